-- The applied migration count (SQLite: PRAGMA user_version); the table is made by sql/postgres/engine/schema_table.sql.
SELECT version FROM tokend_schema
