-- Accounts, websites, memberships and access tokens (SPEC §2).
-- Ids are 24-hex ObjectIds; timestamps are ISO-8601 UTC strings with milliseconds, which sort
-- in time order. Lists (permissions, website ids) are comma-separated: neither can contain a comma.
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT,
    password_hash TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE websites (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL REFERENCES accounts(id),
    domain     TEXT NOT NULL,
    name       TEXT,
    timezone   TEXT NOT NULL DEFAULT 'UTC',
    created_at TEXT NOT NULL,
    UNIQUE (owner_id, domain)
);

CREATE TABLE memberships (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    website_id TEXT NOT NULL REFERENCES websites(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    joined_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, website_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_website ON memberships(website_id);

-- Only the keyed BLAKE2b-256 of a token is stored; the raw token never is.
CREATE TABLE access_tokens (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    name         TEXT,
    display_key  TEXT NOT NULL,
    hash         BLOB NOT NULL UNIQUE,
    permissions  TEXT NOT NULL,
    website_ids  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX access_tokens_live_by_account ON access_tokens(account_id, created_at)
    WHERE revoked_at IS NULL;
