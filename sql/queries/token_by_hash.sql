SELECT id, account_id, name, display_key, permissions, website_ids, created_at, last_used_at, revoked_at FROM access_tokens WHERE hash = :hash
