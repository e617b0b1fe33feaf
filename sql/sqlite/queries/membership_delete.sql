DELETE FROM memberships WHERE account_id = :account_id AND website_id = :website_id AND role <> 'owner'
