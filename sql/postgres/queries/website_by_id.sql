SELECT id, owner_id, domain, name, timezone, created_at FROM websites WHERE id = :id
