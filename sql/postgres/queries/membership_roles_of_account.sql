-- ORDER BY makes explicit the order SQLite returns (its WITHOUT ROWID primary key (account_id, website_id) is scanned in order).
SELECT website_id, role FROM memberships WHERE account_id = :account_id ORDER BY website_id
