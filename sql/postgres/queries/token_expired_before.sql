-- ORDER BY makes explicit the order SQLite returns (it reads the access_tokens_by_expiry index), so the purge's audit events are written in expiry order.
SELECT id, account_id, name, display_key FROM access_tokens WHERE expires_at < :cutoff ORDER BY expires_at, id
