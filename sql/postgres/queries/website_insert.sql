INSERT INTO websites (id, owner_id, domain, name, timezone, created_at) VALUES (:id, :owner_id, :domain, :name, :timezone, :created_at)
