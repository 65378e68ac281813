-- 003_tokens.sql - API access tokens (issue 4).  A token is shown once, when
-- it is made; only its BLAKE2b-256 hash is kept.  Names are never reused,
-- even after revocation, so a name in the audit trail names one token.
CREATE TABLE tokens (
  name       TEXT PRIMARY KEY,
  role       TEXT NOT NULL CHECK (role IN ('viewer', 'officer', 'admin')),
  hash       TEXT NOT NULL UNIQUE,          -- hex of crypto_generichash(token)
  hint       TEXT NOT NULL,                 -- the first characters, to tell tokens apart
  created_at TEXT NOT NULL,                 -- ISO 8601 UTC
  revoked_at TEXT                           -- NULL while the token is valid
);
