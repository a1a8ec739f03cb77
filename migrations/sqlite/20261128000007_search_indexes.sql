-- Kept in step with migrations/postgres/20261128000007_search_indexes.sql, which adds the
-- indexes PostgreSQL's search needs at a million entries. SQLite needs none: its FTS5 index
-- already holds the guild and department as facet tokens (see 20261128000001_init.sql), so the
-- words and the scope are intersected inside the index.
SELECT 1;
