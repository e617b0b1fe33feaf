-- PostgreSQL translation of sql/sqlite/migrations/0005_audit_events.sql: the audit log (SPEC §12), one
-- row per change or security-relevant refusal, written in the transaction of the change.
-- Append-only: UPDATE is refused by a trigger; rows leave only by the retention purge
-- (sql/postgres/queries/audit_event_purge.sql). account_id is whose events they are (NULL for a
-- refused sign-in of an unknown email); token_id is the token the event is about or was made by,
-- for the tokenId filter. details is a JSON object of strings, kept as text (not jsonb) so it is
-- returned byte for byte as written. Nothing here is ever a raw token, password or cookie.
CREATE TABLE audit_events (
    id TEXT COLLATE "C" PRIMARY KEY,
    created_at TEXT COLLATE "C" NOT NULL,
    event TEXT COLLATE "C" NOT NULL,
    outcome TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('success', 'denied')),
    account_id TEXT COLLATE "C",
    token_id TEXT COLLATE "C",
    actor_type TEXT COLLATE "C" NOT NULL
        CHECK (actor_type IN ('token', 'session', 'cli', 'system', 'anonymous')),
    actor_id TEXT COLLATE "C",
    actor_account_id TEXT COLLATE "C",
    target_type TEXT COLLATE "C",
    target_id TEXT COLLATE "C",
    target_name TEXT COLLATE "C",
    target_display_key TEXT COLLATE "C",
    ip TEXT COLLATE "C",
    user_agent TEXT COLLATE "C",
    request_id TEXT COLLATE "C",
    details TEXT COLLATE "C" NOT NULL DEFAULT '{}'
);
-- An account's events newest first, one index range per keyset page (as token pages).
CREATE INDEX audit_events_by_account ON audit_events(account_id, created_at, id);
-- The CLI's walk over all accounts and the retention purge.
CREATE INDEX audit_events_by_time ON audit_events(created_at, id);
-- The SQLite trigger's RAISE(ABORT, ...) becomes an exception raised before any UPDATE.
CREATE FUNCTION audit_events_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
'BEGIN
    RAISE EXCEPTION ''audit_events is append-only'';
END';
CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
