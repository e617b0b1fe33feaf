SELECT website_id, role FROM memberships WHERE account_id = :account_id
