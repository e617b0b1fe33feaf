SELECT account_id FROM sessions WHERE hash = :hash AND expires_at > :now
