-- PostgreSQL translation of sql/sqlite/migrations/0003_token_lifecycle.sql: token lifecycle (SPEC §11):
-- expiry, a second key while a rotation's grace runs, and the usage policies of §11.6–§11.7.
-- previous_hash is the rotated-away key, valid until previous_expires_at. current_key_used (0/1)
-- says whether the current key has authenticated since the last rotation (the lost-response
-- rule). allowed_ips is comma-separated normalized CIDRs ('' = any address); rate_limit and
-- rate_window_seconds are both NULL when the token has no limit.
ALTER TABLE access_tokens ADD COLUMN expires_at TEXT COLLATE "C";
ALTER TABLE access_tokens ADD COLUMN previous_hash bytea;
ALTER TABLE access_tokens ADD COLUMN previous_expires_at TEXT COLLATE "C";
ALTER TABLE access_tokens ADD COLUMN rotated_at TEXT COLLATE "C";
ALTER TABLE access_tokens ADD COLUMN current_key_used bigint NOT NULL DEFAULT 0;
ALTER TABLE access_tokens ADD COLUMN allowed_ips TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE access_tokens ADD COLUMN rate_limit bigint;
ALTER TABLE access_tokens ADD COLUMN rate_window_seconds bigint;
ALTER TABLE access_tokens ADD COLUMN last_used_ip TEXT COLLATE "C";
-- A presented key is looked up by either hash in one indexed read
-- (sql/postgres/queries/token_by_key_hash.sql).
CREATE UNIQUE INDEX access_tokens_by_previous_hash ON access_tokens(previous_hash)
    WHERE previous_hash IS NOT NULL;
-- The purge of long-expired tokens reads only the tokens that expire.
CREATE INDEX access_tokens_by_expiry ON access_tokens(expires_at) WHERE expires_at IS NOT NULL;
