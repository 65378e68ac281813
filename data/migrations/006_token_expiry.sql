-- 004_token_expiry.sql - tokens may expire (issue 10), and the listing no
-- longer shows a token's first characters: `hint` is emptied (it held part
-- of the secret); listings show a fingerprint derived from the hash.
ALTER TABLE tokens ADD COLUMN expires_at TEXT; -- ISO 8601 UTC; NULL = never
UPDATE tokens SET hint = '';
