-- Serialises the writes that check a per-account limit (the 20 live tokens): the account row stays locked until the transaction ends. NO KEY UPDATE conflicts with itself but not with the KEY SHARE lock of an insert that references the account, so other writes of the account do not wait.
SELECT id FROM accounts WHERE id = :account_id FOR NO KEY UPDATE
