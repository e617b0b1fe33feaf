-- The audit log (SPEC §12): one row per change or security-relevant refusal, written in the
-- transaction of the change. Append-only: UPDATE is refused by a trigger; rows leave only by the
-- retention purge (sql/queries/audit_event_purge.sql). account_id is whose events they are (NULL
-- for a refused sign-in of an unknown email); token_id is the token the event is about or was
-- made by, for the tokenId filter. details is a JSON object of strings. Nothing here is ever a
-- raw token, password or cookie.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    event TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'denied')),
    account_id TEXT,
    token_id TEXT,
    actor_type TEXT NOT NULL CHECK (actor_type IN ('token', 'session', 'cli', 'system', 'anonymous')),
    actor_id TEXT,
    actor_account_id TEXT,
    target_type TEXT,
    target_id TEXT,
    target_name TEXT,
    target_display_key TEXT,
    ip TEXT,
    user_agent TEXT,
    request_id TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
-- An account's events newest first, one index range per keyset page (as token pages).
CREATE INDEX audit_events_by_account ON audit_events(account_id, created_at, id);
-- The CLI's walk over all accounts and the retention purge.
CREATE INDEX audit_events_by_time ON audit_events(created_at, id);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
