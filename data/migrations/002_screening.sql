-- 002_screening.sql - screening lists and their entries.
-- One row per loaded list; `kind` is csl, ofac or un, and importing a
-- list of a kind replaces the stored list of that kind (in one
-- transaction, so a failed import leaves the stored lists as they were).
-- `published` is the list's own date when the file carries one;
-- `imported_at` is when it was imported (UTC, ISO 8601).
CREATE TABLE screening_list (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  format TEXT NOT NULL,       -- csl-csv, csl-json, ofac-csv, un-xml
  files TEXT NOT NULL,        -- file names, comma-separated
  published TEXT,
  imported_at TEXT NOT NULL,
  entries INTEGER NOT NULL
);
-- One row per entry, as the source gives it.  `source` is the list the
-- entry is on in the CSL's own words ("Entity List (EL) - Bureau of
-- Industry and Security"); `akas` are newline-separated; `countries` are
-- ISO 3166-1 alpha-2 codes, comma-separated.
CREATE TABLE screening_entry (
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES screening_list(id),
  seq INTEGER NOT NULL,
  source TEXT NOT NULL,
  ref TEXT,
  type TEXT,
  name TEXT NOT NULL,
  akas TEXT,
  countries TEXT,
  programs TEXT,
  license_requirement TEXT,
  license_policy TEXT,
  fr_notice TEXT,
  start_date TEXT,
  url TEXT
);
CREATE INDEX screening_entry_list ON screening_entry(list_id, seq);
