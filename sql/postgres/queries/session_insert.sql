INSERT INTO sessions (hash, account_id, created_at, expires_at) VALUES (:hash, :account_id, :created_at, :expires_at)
