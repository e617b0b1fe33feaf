SELECT count(*) FROM access_tokens WHERE revoked_at IS NULL
