-- 012_token_changes.sql - how often each token was revoked or rotated
-- (issue 13).  Servers on PostgreSQL remember verified tokens under a
-- lease (src/lib/token_cache.c): each reads the sum of this column a few
-- times a second and forgets every remembered token when it moves.  A
-- revocation or rotation adds one in the same statement that changes the
-- token, so the sum moves exactly when the change commits.
ALTER TABLE tokens ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;
