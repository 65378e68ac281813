-- 007_screening_decisions.sql - screening decisions as records (issue 12):
-- a hit cleared as a false positive, and the alerts a re-screen raises
-- when a list changes.  `party_key` is the party's name folded (ASCII
-- lower case, runs of spaces as one) so "ACME  Ltd" and "acme ltd" are one
-- party.  A hit is named by its list (the entry's `source`, as tg_screen's
-- "list"), the entry's name and its reference on that list; `list_version`
-- is the list's title and publication date when the decision was taken.
-- Rows are never deleted; an alert is closed by a clearance or by an
-- officer's note (status, closed_*).  Each write has its audit record.
CREATE TABLE screening_clearance (
  id           INTEGER PRIMARY KEY,
  party        TEXT NOT NULL,
  party_key    TEXT NOT NULL,
  list         TEXT NOT NULL,
  entry        TEXT NOT NULL,
  entry_ref    TEXT,
  score        TEXT NOT NULL,   -- the hit's score when cleared, as text ("0.912")
  list_version TEXT NOT NULL,
  reason       TEXT NOT NULL,
  cleared_at   TEXT NOT NULL,
  cleared_by   TEXT NOT NULL
);
CREATE UNIQUE INDEX screening_clearance_hit ON screening_clearance(party_key, list, entry);

CREATE TABLE screening_alert (
  id           INTEGER PRIMARY KEY,
  party        TEXT NOT NULL,
  party_key    TEXT NOT NULL,
  recorded_in  TEXT NOT NULL,   -- where the party is recorded: "shipment:7", "license:L-1", ...
  list         TEXT NOT NULL,
  entry        TEXT NOT NULL,
  entry_ref    TEXT,
  score        TEXT NOT NULL,
  list_version TEXT NOT NULL,
  raised_at    TEXT NOT NULL,
  raised_by    TEXT NOT NULL,   -- who imported the list that raised it
  status       TEXT NOT NULL CHECK (status IN ('open', 'cleared', 'closed')),
  closed_at    TEXT,
  closed_by    TEXT,
  close_note   TEXT
);
CREATE UNIQUE INDEX screening_alert_hit ON screening_alert(party_key, list, entry);
CREATE INDEX screening_alert_status ON screening_alert(status, id);
