SELECT hash, previous_hash FROM access_tokens WHERE id = :id AND revoked_at IS NULL
