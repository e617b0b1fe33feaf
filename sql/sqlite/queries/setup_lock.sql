-- Serialises first-run set-up across nodes. SQLite's single writer already serialises it: a no-op.
SELECT 1
