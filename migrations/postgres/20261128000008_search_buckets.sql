-- Ranked search at a million entries (docs/benchmarks.md, "PostgreSQL search by id bucket"). A search ranks
-- the guild's newest matches by id, but GIN hands back every match of a word, unordered: taking the
-- newest thousand of a word in 2% of a big guild's notes meant reading 12,000 rows (~40 ms), and
-- walking the newest ids instead read 50,000. So ids are cut into buckets of 16,384 (`id >> 14`),
-- and search asks GIN for one (guild, bucket) at a time, newest first, stopping once the window is
-- full: a page reads about the window's rows whatever the word's frequency. When the newest
-- buckets held few matches, the rest of the guild goes in one scan (src/store/postgres/newest.rs).
--
-- PostgreSQL only: SQLite's FTS5 walks its matches newest first by itself. Its migration of the
-- same name is empty so that the two lists stay in step.

-- What GIN indexes, per entry: a set of keys, each scoped to the entry's guild, so that GIN never
-- reads a posting list as long as a whole guild (a guild key of its own cost ~0.3 ms a bucket, and
-- half of a rare query's one scan):
--   "<guild>/<bucket>"               the entry's bucket;
--   "<guild>/<bucket>/<department>"  the same within its department;
--   "<guild>//<department>"          its department, for the one scan over a guild's older buckets;
--   "<guild>:<lexeme>"               each word of its tsvector (note and tags).
-- A search asks for entries whose keys contain all of its own (`@>`), then checks the tsvector on
-- the rows it finds (`search @@ ...`) for phrases. The guild is a number, so the separators after
-- it keep the kinds apart whatever a department or a word holds.
-- src/store/postgres/newest.rs calls this function with the same arguments, or the index goes unused.
CREATE FUNCTION entry_search_keys(guild_id BIGINT, id BIGINT, department TEXT, search TSVECTOR)
RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[guild_id::text || '/' || (id >> 14)::text,
                 guild_id::text || '/' || (id >> 14)::text || '/' || department,
                 guild_id::text || '//' || department]
           || array_agg(guild_id::text || ':' || lexeme)
    FROM unnest(tsvector_to_array(search)) AS lexeme
$$;

-- fastupdate off: with it on, new entries wait in a pending list (up to 4 MB) that every GIN scan
-- reads from end to end, and a search makes one scan per bucket. Each insert updates the index
-- at once instead (docs/benchmarks.md: insert p99 stays under 3 ms).
CREATE INDEX entries_search_keys ON entries
    USING GIN (entry_search_keys(guild_id, id, department, search)) WITH (fastupdate = off);
-- Every search goes through the keys, so this replaces migration 7's index.
DROP INDEX entries_search_scoped;

-- Which buckets hold a guild's entries, and the days (UTC) their entries occurred on: search
-- visits only these, and with a date range only those whose days overlap it. A bucket only ever
-- widens (a deleted entry leaves its bucket as it was), so a bucket that covers a day keeps
-- covering it, and the list is always a superset of what the entries need.
CREATE TABLE entry_buckets (
    guild_id  BIGINT NOT NULL,
    bucket    BIGINT NOT NULL,
    first_day DATE   NOT NULL,
    last_day  DATE   NOT NULL CHECK (last_day >= first_day),
    PRIMARY KEY (guild_id, bucket)
);

INSERT INTO entry_buckets (guild_id, bucket, first_day, last_day)
SELECT guild_id, id >> 14, min((occurred_at AT TIME ZONE 'UTC')::date), max((occurred_at AT TIME ZONE 'UTC')::date)
FROM entries
GROUP BY 1, 2;

-- Kept by the database rather than by the store, so that no write path (an import, a second
-- process, a manual fix) can forget it. Once per statement, over the rows it wrote: an import of
-- 10,000 rows widens each of its buckets once. Rows already covered cost no write and no lock
-- (coverage never shrinks), so most inserts and every edit of a note leave the table alone.
CREATE FUNCTION entry_buckets_widen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO entry_buckets AS b (guild_id, bucket, first_day, last_day)
    SELECT c.guild_id, c.bucket, min(c.day), max(c.day)
    FROM (SELECT guild_id, id >> 14 AS bucket, (occurred_at AT TIME ZONE 'UTC')::date AS day FROM changed) AS c
    WHERE NOT EXISTS (
        SELECT 1 FROM entry_buckets AS k
        WHERE k.guild_id = c.guild_id AND k.bucket = c.bucket AND k.first_day <= c.day AND k.last_day >= c.day)
    GROUP BY c.guild_id, c.bucket
    -- One order for every writer, so that two imports never wait on each other's buckets in a cycle.
    ORDER BY c.guild_id, c.bucket
    ON CONFLICT (guild_id, bucket) DO UPDATE
        SET first_day = least(b.first_day, excluded.first_day),
            last_day = greatest(b.last_day, excluded.last_day);
    RETURN NULL;
END
$$;

CREATE TRIGGER entries_widen_buckets_after_insert AFTER INSERT ON entries
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION entry_buckets_widen();
CREATE TRIGGER entries_widen_buckets_after_update AFTER UPDATE ON entries
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION entry_buckets_widen();
