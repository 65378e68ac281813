-- 009_payments.sql - payments as records (issue 12): the terms of each
-- payment arrangement (who is paid, which fee rules it collects, when a
-- payment falls due and where that rule comes from), the payments an
-- officer records against a shipment or a license, and (license_changes)
-- each license amendment or extension with its reason.  What is owed is not
-- stored: it is derived from the shipments (their fee and the rules that
-- imposed it), so it cannot drift from them.  Money is integer USD cents.
-- A term is changed only by `tollgate payment terms` (audited); payments
-- are never edited or deleted.  Each write has its audit record.
-- payment_terms holds the terms set by `tollgate payment terms` (audited);
-- an arrangement without a row there has its default from the view
-- payment_terms_default below (a view, so a new database has no rows to
-- copy and `tollgate migrate` still finds it empty).
CREATE TABLE payment_terms (
  arrangement  TEXT PRIMARY KEY,
  rules        TEXT NOT NULL,   -- the fee rules it collects (rule ids, space-separated);
                                -- "license" = a rate stated on the license
  payee        TEXT NOT NULL,   -- who is paid, under what
  due_kind     TEXT NOT NULL CHECK (due_kind IN ('days', 'working_days')),
  due_n        INTEGER NOT NULL CHECK (due_n >= 0 AND due_n <= 3660),
  due_from     TEXT NOT NULL,   -- what the term counts from
  due_source   TEXT NOT NULL,   -- where the term comes from, or that no source fixes it
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL
);

-- The defaults.  The 15% remittance and a license's own rate have no
-- published due date: 30 days is Tollgate's default, a setting.  The
-- Section 232 duty is deposited with the entry summary, 19 CFR 142.12(b)
-- (read in the eCFR text: "within 10 working days after the time of
-- entry").  The proclamation's number, 11002 of 2026-01-14, is from
-- secondary sources (Thompson Hine trade update of January 2026, Crane
-- Worldwide's notice of its Federal Register publication on 2026-01-20);
-- the Federal Register copy was not read.
CREATE VIEW payment_terms_default (arrangement, rules, payee, due_kind, due_n, due_from,
                                    due_source, updated_at, updated_by) AS
  SELECT
  'revenue-share-15', 'fee-15pct-h20-mi308',
  'US government: 15% revenue-share remittance under the August 2025 H20/MI308 arrangement',
  'days', 30, 'the date of export (the shipment''s date)',
  'no source fixes it: the arrangement has no published regulation or payment term (NVIDIA CFO, 2025-08-27); 30 days is a Tollgate default, a setting (tollgate payment terms)',
  '2026-12-02T00:00:00Z', 'migration 009'
UNION ALL
  SELECT
  'section-232-duty', 'duty-232-band-h200 duty-232-band-mi325x',
  'CBP: Section 232 ad valorem duty of 25% (Proclamation 11002, HTSUS 9903.79.01), paid by the importer of record on entry into the US',
  'working_days', 10, 'the date of entry into the US, taken as the shipment''s date (the entry date is not recorded)',
  '19 CFR 142.12(b): the entry summary is filed with estimated duties attached within 10 working days after the time of entry (19 CFR 141.101); working days skip Saturdays and Sundays only, federal holidays are not modelled',
  '2026-12-02T00:00:00Z', 'migration 009'
UNION ALL
  SELECT
  'license-condition', 'license',
  'as the license''s payment condition states (a rate stated on the license)',
  'days', 30, 'the date of export (the shipment''s date)',
  'no source fixes it: a rate stated on a license carries no term in Tollgate; 30 days is a Tollgate default, a setting (tollgate payment terms)',
  '2026-12-02T00:00:00Z', 'migration 009';

CREATE TABLE payments (
  id             INTEGER PRIMARY KEY,
  arrangement    TEXT NOT NULL,
  shipment_id    INTEGER,         -- the shipment paid for, or NULL (then license_number)
  license_number TEXT,            -- a payment on a license goes to its oldest dues first
  amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
  paid_on        TEXT NOT NULL,
  reference      TEXT NOT NULL,   -- the payer's reference (wire, CBP entry number ...)
  notes          TEXT,
  recorded_at    TEXT NOT NULL,
  recorded_by    TEXT NOT NULL
);
CREATE INDEX payments_shipment ON payments(shipment_id);
CREATE INDEX payments_license ON payments(license_number);

-- A license's amendments and extensions, each with its reason and the
-- license as it was (canonical JSON); the license row carries the new
-- state, so the audit check of licenses is unchanged.
CREATE TABLE license_changes (
  id             INTEGER PRIMARY KEY,
  license_number TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('amend', 'extend')),
  reason         TEXT NOT NULL,
  prior_state    TEXT NOT NULL,
  changed_at     TEXT NOT NULL,
  changed_by     TEXT NOT NULL
);
CREATE INDEX license_changes_number ON license_changes(license_number, id);
