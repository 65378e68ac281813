-- 003_tokens.sql - API access tokens.
-- (Schema to be filled in by the module that owns it; no database
-- has been released with this version yet.)
SELECT 1;
