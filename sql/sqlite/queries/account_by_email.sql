SELECT id, email, name, password_hash, created_at FROM accounts WHERE email = :email
