UPDATE access_tokens SET last_used_at = :last_used_at, last_used_ip = COALESCE(:last_used_ip, last_used_ip) WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :last_used_at)
