UPDATE access_tokens SET current_key_used = 1 WHERE id = :id AND hash = :hash AND current_key_used = 0
