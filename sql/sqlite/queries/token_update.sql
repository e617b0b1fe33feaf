UPDATE access_tokens SET name = :name, expires_at = :expires_at, allowed_ips = :allowed_ips, rate_limit = :rate_limit, rate_window_seconds = :rate_window_seconds WHERE id = :id AND revoked_at IS NULL
