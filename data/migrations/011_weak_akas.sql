-- 011_weak_akas.sql - weak aliases (issue 9): the last `weak_akas` of an
-- entry's newline-separated `akas` are aliases its list marks as weak -
-- the UN list's alias QUALITY "Low", OFAC's weak AKAs (the a.k.a. 'X' in
-- the remarks of its SDN file: OFAC FAQ 122-123 and its notice of
-- 2012-06-13, ofac.treasury.gov/recent-actions/20120613).  Rows stored before
-- this migration have none (0) until their list is imported again.
ALTER TABLE screening_entry ADD COLUMN weak_akas INTEGER NOT NULL DEFAULT 0;
