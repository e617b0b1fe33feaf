DELETE FROM sessions WHERE hash = :hash
