-- 004_ownership.sql - ownership records for the Affiliates Rule (issue 8):
-- who owns what share of a party, per which source, as of which date.
-- An import replaces every record (one transaction, one audit record).
CREATE TABLE ownership (
  seq         INTEGER PRIMARY KEY,
  party       TEXT NOT NULL,
  owner       TEXT NOT NULL,
  share_ppm   INTEGER NOT NULL CHECK (share_ppm >= 0 AND share_ppm <= 1000000), -- percent x 10^4
  source      TEXT NOT NULL,
  as_of       TEXT NOT NULL,               -- YYYY-MM-DD
  file        TEXT NOT NULL,               -- the file it came from
  line        INTEGER NOT NULL,            -- its line in that file
  imported_at TEXT NOT NULL                -- ISO 8601 UTC
);
