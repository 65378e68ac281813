-- 001_ledger.sql - the license ledger (licenses, shipments, payments, audit trail).
-- (Schema to be filled in by the module that owns it; no database
-- has been released with this version yet.)
SELECT 1;
