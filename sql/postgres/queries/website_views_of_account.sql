SELECT w.id, w.owner_id, w.domain, w.name, w.timezone, w.created_at, m.role FROM memberships m JOIN websites w ON w.id = m.website_id WHERE m.account_id = :account_id ORDER BY w.created_at, w.id
