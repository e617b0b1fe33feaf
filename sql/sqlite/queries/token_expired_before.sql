SELECT id, account_id, name, display_key FROM access_tokens WHERE expires_at < :cutoff
