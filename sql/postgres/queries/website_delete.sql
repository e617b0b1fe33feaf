DELETE FROM websites WHERE id = :id
