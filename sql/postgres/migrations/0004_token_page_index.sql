-- PostgreSQL translation of sql/sqlite/migrations/0004_token_page_index.sql. Keyset pages of the token
-- list (SPEC §11.11) walk ORDER BY created_at DESC, id DESC. With id in the index a page is one
-- index range read (backwards) in order, with no sort of equal created_at values; the new index
-- also serves everything the old (account_id, created_at) one did.
DROP INDEX access_tokens_live_by_account;
CREATE INDEX access_tokens_live_by_account ON access_tokens(account_id, created_at, id)
    WHERE revoked_at IS NULL;
