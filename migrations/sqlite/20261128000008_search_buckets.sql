-- Kept in step with migrations/postgres/20261128000008_search_buckets.sql, which lets PostgreSQL
-- find a guild's newest matches bucket by bucket. SQLite needs nothing: FTS5 walks its matches
-- newest first and stops at the window by itself.
SELECT 1;
