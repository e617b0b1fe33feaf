-- Creates the schema-version table (one row, the applied migration count) if missing, with version 0 if empty; idempotent, run under schema_lock.sql.
CREATE TABLE IF NOT EXISTS tokend_schema (version bigint NOT NULL);
INSERT INTO tokend_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM tokend_schema);
