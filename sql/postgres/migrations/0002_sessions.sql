-- PostgreSQL translation of sql/sqlite/migrations/0002_sessions.sql: admin-page sign-in sessions
-- (SPEC §7). Only the keyed BLAKE2b-256 of the cookie value is stored, like tokens, so a stolen
-- database holds no usable session.
CREATE TABLE sessions (
    hash       bytea PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
