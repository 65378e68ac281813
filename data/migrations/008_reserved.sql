-- 008_reserved.sql - a PLACEHOLDER on the payments branch only: 008 is
-- reserved for the ledger helper's migration (determinations stored by
-- hash), which is not on this branch.  Migrations apply in unbroken order,
-- so 009 needs an 008 here.  DELETE THIS FILE when merging: the ledger
-- branch's 008 takes its place (no database outside tests reaches 008
-- through this file).  It changes nothing: the index exists since 001.
CREATE INDEX IF NOT EXISTS audit_subject ON audit(subject, seq);
