INSERT INTO accounts (id, email, name, password_hash, created_at) VALUES (:id, :email, :name, :password_hash, :created_at)
