-- Serialises first-run set-up across nodes: a transaction-level advisory lock, released at COMMIT/ROLLBACK. 7461726 is an arbitrary fixed key used for nothing else (schema_lock.sql uses 7461727).
SELECT pg_advisory_xact_lock(7461726)
