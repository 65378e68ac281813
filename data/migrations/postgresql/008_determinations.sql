-- 008_determinations.sql (PostgreSQL) - the same change as
-- ../008_determinations.sql: each determination stored once under the
-- SHA-256 (hex) of its text, shipments naming it by that hash.  The
-- hash is PostgreSQL's sha256() over the text's UTF-8 bytes, the bytes
-- Tollgate hashed for the audit records.  The reference is added last:
-- an ALTER TABLE may not follow row changes with deferred checks pending.

CREATE TABLE determinations (
  sha256 TEXT PRIMARY KEY,   -- SHA-256 of body, lowercase hex
  body   TEXT NOT NULL       -- the determination, compact JSON
);
INSERT INTO determinations (sha256, body)
  SELECT DISTINCT encode(sha256(convert_to(determination, 'UTF8')), 'hex'), determination
  FROM shipments;
ALTER TABLE shipments ADD COLUMN determination_sha256 TEXT;
UPDATE shipments SET determination_sha256 = encode(sha256(convert_to(determination, 'UTF8')), 'hex');
ALTER TABLE shipments DROP COLUMN determination;
ALTER TABLE shipments ALTER COLUMN determination_sha256 SET NOT NULL;
ALTER TABLE shipments ADD CONSTRAINT shipments_determination
  FOREIGN KEY (determination_sha256) REFERENCES determinations(sha256)
  DEFERRABLE INITIALLY DEFERRED;

-- The aggregate-TPP cap's sums (src/lib/ledger_tpp.c), kept as running
-- totals instead of summed over every shipment for each one checked: the
-- units x TPP (milli) of the shipments to the US of a chip by day
-- (license_id 0), and of those to CN/MO under each license (on_date '').
-- Sums are exact 128-bit integers written as decimal text.  They cover
-- the shipments with id <= tpp_totals_upto.upto (no row: none yet); a
-- cap check first adds the rows recorded since, in its write transaction.
CREATE TABLE tpp_totals (
  chip       TEXT NOT NULL,
  license_id INTEGER NOT NULL,
  on_date    TEXT NOT NULL,
  total      TEXT NOT NULL,   -- decimal
  PRIMARY KEY (chip, license_id, on_date)
);
CREATE TABLE tpp_totals_upto (
  name TEXT PRIMARY KEY CHECK (name = 'shipments'),
  upto INTEGER NOT NULL
);
