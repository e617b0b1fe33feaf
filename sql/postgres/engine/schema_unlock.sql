-- Releases the migration lock taken by schema_lock.sql (same key, 7461727); returns 1 if it was held, 0 if not (never a boolean).
SELECT CASE WHEN pg_advisory_unlock(7461727) THEN 1 ELSE 0 END
