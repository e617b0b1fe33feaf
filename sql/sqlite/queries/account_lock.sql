-- Serialises the writes that check a per-account limit (the 20 live tokens). SQLite's single writer already serialises them, so this only returns the id (as PostgreSQL's SELECT ... FOR UPDATE does).
SELECT :account_id
