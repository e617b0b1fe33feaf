SELECT m.account_id, a.name, a.email, m.role, m.joined_at FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.website_id = :website_id ORDER BY m.joined_at, m.account_id
