-- Kept in step with migrations/postgres/20261206000020_bucket_links.sql, which makes an entry's
-- other departments and partners keys of PostgreSQL's search index. SQLite's full-text index has
-- held them as facet tokens (`link_facets`) since migration 16: nothing to change here.
SELECT 1;
