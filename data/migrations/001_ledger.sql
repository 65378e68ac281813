-- 001_ledger.sql - the license ledger: licenses, shipments drawn against
-- them (with the payment each owes), and the hash-chained audit trail.
-- Money is integer USD cents, rates integer parts per million, TPP
-- integer thousandths (milli-TPP), dates ISO text (YYYY-MM-DD).  Rows are
-- never edited in place except a license's revocation fields; every write
-- appends an audit record whose content is the row's state afterwards
-- (see src/lib/audit.c), so `tollgate audit verify` can replay them.

CREATE TABLE licenses (
  id                INTEGER PRIMARY KEY,
  number            TEXT NOT NULL UNIQUE,
  holder            TEXT NOT NULL,
  chips             TEXT NOT NULL,   -- JSON array: chip ids or ECCNs
  destinations      TEXT NOT NULL,   -- JSON array: canonical alpha-2 codes
  end_users         TEXT NOT NULL,   -- JSON array; [] = any end user
  qty_limit         INTEGER,         -- NULL = no quantity limit
  value_limit_cents INTEGER,         -- NULL = no value limit
  valid_from        TEXT NOT NULL,
  valid_until       TEXT NOT NULL,
  payment_rate_ppm  INTEGER,         -- NULL = none stated on the license
  tpp_cap_pct       INTEGER,         -- NULL = no aggregate-TPP cap stated
  conditions        TEXT NOT NULL,   -- JSON array of condition texts
  notes             TEXT,
  created_at        TEXT NOT NULL,
  created_by        TEXT NOT NULL,
  revoked_at        TEXT,
  revoked_by        TEXT,
  revoke_reason     TEXT
);

CREATE TABLE shipments (
  id                 INTEGER PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('shipment', 'reversal')),
  corrects           INTEGER REFERENCES shipments(id), -- reversal: the shipment
  chip               TEXT NOT NULL,
  eccn               TEXT,
  dest               TEXT NOT NULL,  -- canonical (HK -> CN)
  dest_input         TEXT NOT NULL,
  hq                 TEXT,
  end_user           TEXT,
  on_date            TEXT NOT NULL,
  qty                INTEGER NOT NULL, -- negative for a reversal
  unit_price_cents   INTEGER NOT NULL,
  value_cents        INTEGER NOT NULL, -- qty * unit price (negative: reversal)
  tpp_milli          INTEGER,          -- per unit; NULL when unknown
  verdict            TEXT NOT NULL,
  exception          TEXT,
  review_policy      TEXT,
  notified_on        TEXT,             -- NAC: date BIS was notified
  license_id         INTEGER REFERENCES licenses(id),
  license_number     TEXT,
  fee_rate_ppm       INTEGER NOT NULL DEFAULT 0,
  fee_cents          INTEGER NOT NULL DEFAULT 0,
  fee_source         TEXT,             -- "rules" or "license"
  reference          TEXT,
  reason             TEXT,             -- reversal: why
  rules_sha256       TEXT,             -- the rule sets that decided it
  determination      TEXT NOT NULL,    -- the determination (JSON)
  recorded_at        TEXT NOT NULL,
  recorded_by        TEXT NOT NULL
);
CREATE INDEX shipments_license ON shipments(license_id);
CREATE INDEX shipments_chip_dest ON shipments(chip, dest, on_date);
CREATE INDEX shipments_on ON shipments(on_date);
CREATE UNIQUE INDEX shipments_one_reversal ON shipments(corrects)
  WHERE corrects IS NOT NULL;

CREATE TABLE audit (
  seq      INTEGER PRIMARY KEY,  -- 1, 2, 3 ... without gaps
  at       TEXT NOT NULL,        -- UTC, YYYY-MM-DDTHH:MM:SSZ
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,        -- license.add, license.revoke, shipment.record,
                                 -- shipment.reverse, rules.load, list.update ...
  subject  TEXT NOT NULL,        -- "license:L-1", "shipment:7", "rules", ...
  content  TEXT NOT NULL,        -- canonical JSON of the subject afterwards
  prev     TEXT NOT NULL,        -- hash of record seq-1 (64 zeros for seq 1)
  hash     TEXT NOT NULL         -- SHA-256 of prev and the record, hex
);
CREATE INDEX audit_subject ON audit(subject, seq);
