-- Held (session-level advisory lock) while migrating, so several nodes starting together apply the migrations once. 7461727 is an arbitrary fixed key used for nothing else (setup_lock.sql uses 7461726).
SELECT pg_advisory_lock(7461727)
