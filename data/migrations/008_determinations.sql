-- 008_determinations.sql - each determination stored once, by content
-- hash: a shipment names its determination by the SHA-256 (hex) of the
-- compact JSON text, and the text lives in `determinations` under that
-- key.  Shipments of the same order facts share one row instead of
-- repeating 17-36 KB each.  Existing shipments move their text there and
-- keep its hash, which is the `determination_sha256` their audit records
-- already carry, so the chain and `audit verify` are unchanged.
-- tg_sha256(text) is the store's own SQL function (store_sqlite.c); the
-- PostgreSQL form of this migration is postgresql/008_determinations.sql.
-- SQLite cannot add a NOT NULL column without a default: the column is
-- NULL-able here and every write sets it (the reference is checked).

CREATE TABLE determinations (
  sha256 TEXT PRIMARY KEY,   -- SHA-256 of body, lowercase hex
  body   TEXT NOT NULL       -- the determination, compact JSON
);
INSERT INTO determinations (sha256, body)
  SELECT DISTINCT tg_sha256(determination), determination FROM shipments;
ALTER TABLE shipments ADD COLUMN determination_sha256 TEXT
  REFERENCES determinations(sha256) DEFERRABLE INITIALLY DEFERRED;
UPDATE shipments SET determination_sha256 = tg_sha256(determination);
ALTER TABLE shipments DROP COLUMN determination;

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
