-- Kept in step with migrations/postgres/20261129000009_search_bucket_words.sql, which changes how
-- PostgreSQL indexes words for its bucket-by-bucket search. SQLite needs nothing: FTS5 walks its
-- matches newest first and stops at the window by itself.
SELECT 1;
