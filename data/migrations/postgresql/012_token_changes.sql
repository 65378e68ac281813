-- 012_token_changes.sql (PostgreSQL) - the same column as
-- ../012_token_changes.sql, which the servers' token leases read
-- (src/lib/token_cache.c), and a trigger that moves it on any change of
-- a token's secret, revocation, expiry or role, whoever makes the change:
-- a Tollgate from before this migration still running during an upgrade,
-- or an administrator's UPDATE in psql.  (Tollgate's own revocations and
-- rotations add one in their UPDATE too; the trigger then sets the same
-- value.)  Rows are never deleted: revoke a token, do not DELETE it.
ALTER TABLE tokens ADD COLUMN changes BIGINT NOT NULL DEFAULT 0;
CREATE FUNCTION tollgate_token_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.hash IS DISTINCT FROM OLD.hash OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at
     OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.role IS DISTINCT FROM OLD.role THEN
    NEW.changes := OLD.changes + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tokens_changed BEFORE UPDATE ON tokens
  FOR EACH ROW EXECUTE FUNCTION tollgate_token_changed();
