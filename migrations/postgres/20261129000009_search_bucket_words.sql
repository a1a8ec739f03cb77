-- Words scoped to their id bucket (docs/benchmarks.md, "PostgreSQL search by id bucket"). Migration 8
-- indexed each word once per guild, with a separate key per bucket: a search for the newest
-- matches either read every match in the guild (one scan, ~2,200 rows for a word the window needs
-- 900 of: 15-30 ms at 1M) or asked GIN for "any of these buckets and all of these words", which
-- decodes every bucket's whole posting list (19 ms over 54 buckets). Here each word is keyed by
-- its bucket, so a run of buckets is one small GIN scan per bucket (`keys @> '{b:w1, b:w2}' OR
-- ...`), each reading only that bucket's postings of those words, and only the run's matches are
-- read from the table: 2-3 ms for that rare word, at 1M (measured).
--
-- The keys, each scoped to the entry's guild and bucket (`id >> 14`, as `entry_buckets` counts):
--   "<guild>/<bucket>/<department>"  its department;
--   "<guild>/<bucket>:<lexeme>"      each word of its tsvector (note and tags).
-- The guild and the bucket are numbers, so the separator after them keeps the kinds apart
-- whatever a department or a word holds. src/store/postgres/newest.rs calls this function with
-- the same arguments, or the index goes unused.
--
-- PostgreSQL only: SQLite's migration of the same name is empty.
CREATE FUNCTION entry_bucket_keys(guild_id BIGINT, id BIGINT, department TEXT, search TSVECTOR)
RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[guild_id::text || '/' || (id >> 14)::text || '/' || department]
           || array_agg(guild_id::text || '/' || (id >> 14)::text || ':' || lexeme)
    FROM unnest(tsvector_to_array(search)) AS lexeme
$$;

-- fastupdate off, as migration 8's: a pending list would be read by every one of a run's scans.
CREATE INDEX entries_bucket_keys ON entries
    USING GIN (entry_bucket_keys(guild_id, id, department, search)) WITH (fastupdate = off);

DROP INDEX entries_search_keys;
DROP FUNCTION entry_search_keys(BIGINT, BIGINT, TEXT, TSVECTOR);
