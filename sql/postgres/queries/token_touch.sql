-- :last_used_ip is NULL to keep the stored address (cast to text so COALESCE has a type).
UPDATE access_tokens SET last_used_at = :last_used_at, last_used_ip = COALESCE(:last_used_ip::text, last_used_ip) WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :last_used_at)
