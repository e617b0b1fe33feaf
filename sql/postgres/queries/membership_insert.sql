INSERT INTO memberships (account_id, website_id, role, joined_at) VALUES (:account_id, :website_id, :role, :joined_at)
