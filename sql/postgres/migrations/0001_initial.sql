-- PostgreSQL translation of sql/sqlite/migrations/0001_initial.sql: accounts, websites, memberships and
-- access tokens (SPEC §2). Every text column is COLLATE "C" so comparisons and ORDER BY are byte
-- order, exactly as SQLite's BINARY collation. Ids are 24-hex ObjectIds; timestamps are ISO-8601
-- UTC strings with milliseconds, which sort in time order. Lists (permissions, website ids) are
-- comma-separated: neither can contain a comma.
CREATE TABLE accounts (
    id            TEXT COLLATE "C" PRIMARY KEY,
    email         TEXT COLLATE "C" NOT NULL UNIQUE,
    name          TEXT COLLATE "C",
    password_hash TEXT COLLATE "C",
    created_at    TEXT COLLATE "C" NOT NULL
);

CREATE TABLE websites (
    id         TEXT COLLATE "C" PRIMARY KEY,
    owner_id   TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
    domain     TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C",
    timezone   TEXT COLLATE "C" NOT NULL DEFAULT 'UTC',
    created_at TEXT COLLATE "C" NOT NULL,
    UNIQUE (owner_id, domain)
);

CREATE TABLE memberships (
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
    website_id TEXT COLLATE "C" NOT NULL REFERENCES websites(id) ON DELETE CASCADE,
    role       TEXT COLLATE "C" NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    joined_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, website_id)
);
CREATE INDEX memberships_by_website ON memberships(website_id);

-- Only the keyed BLAKE2b-256 of a token is stored; the raw token never is.
CREATE TABLE access_tokens (
    id           TEXT COLLATE "C" PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
    name         TEXT COLLATE "C",
    display_key  TEXT COLLATE "C" NOT NULL,
    hash         bytea NOT NULL UNIQUE,
    permissions  TEXT COLLATE "C" NOT NULL,
    website_ids  TEXT COLLATE "C" NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL,
    last_used_at TEXT COLLATE "C",
    revoked_at   TEXT COLLATE "C"
);
CREATE INDEX access_tokens_live_by_account ON access_tokens(account_id, created_at)
    WHERE revoked_at IS NULL;
