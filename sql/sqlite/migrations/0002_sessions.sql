-- Admin-page sign-in sessions (SPEC §7). Only the keyed BLAKE2b-256 of the cookie value is
-- stored, like tokens, so a stolen database holds no usable session.
CREATE TABLE sessions (
    hash       BLOB PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
