-- 012_token_changes.sql (PostgreSQL) - the same column as
-- ../012_token_changes.sql, which the servers' token leases read
-- (src/lib/token_cache.c), and a trigger that moves it on any change of
-- a token's secret, revocation, expiry or role, whoever makes the change:
-- a Tollgate from before this migration still running during an upgrade,
-- or an administrator's UPDATE in psql.  (Tollgate's own revocations and
-- rotations add one in their UPDATE too; the trigger then sets the same
-- value.)  Rows are never deleted (a deleted row whose count is 0 would
-- not move the sum, and a server would go on accepting the token from
-- memory): DELETE and TRUNCATE are refused; revoke a token instead.
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
CREATE FUNCTION tollgate_token_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'tokens are never deleted: revoke the token instead (tollgate token revoke NAME)';
END $$;
CREATE TRIGGER tokens_kept BEFORE DELETE ON tokens
  FOR EACH ROW EXECUTE FUNCTION tollgate_token_kept();
CREATE TRIGGER tokens_kept_whole BEFORE TRUNCATE ON tokens
  FOR EACH STATEMENT EXECUTE FUNCTION tollgate_token_kept();
