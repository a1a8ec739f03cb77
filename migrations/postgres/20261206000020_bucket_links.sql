-- Search by id bucket (migration 9) learns an entry's links (issue 14): its other departments and
-- its partners become keys of the bucket index too, so a search filtered to a department finds the
-- entries naming it as another in the same GIN scans, and a search filtered to a partner
-- intersects the partner with the words inside the index, reading only the rows it keeps. Before
-- this a partner's search walked the partner's links checking each row (686 ms p99 at 1M for a
-- partner of 10,000 entries, docs/benchmarks.md), and a department's ORed in the ids of its
-- cross-disciplinary entries.
--
-- `bucket_links` is the links as the bucket keys spell them after `<guild>/<bucket>`: `/<department
-- key>` for each other department (a department key's own shape, so one key finds an entry under
-- its own or another department) and `#<partner id>` for each partner. The store writes it with
-- the link rows (src/store/postgres/links.rs), as SQLite's store writes `link_facets`.
-- The SQLite side of this migration is empty: its full-text facet tokens did this from migration 16.

ALTER TABLE entries ADD COLUMN bucket_links TEXT[] NOT NULL DEFAULT '{}';

UPDATE entries SET bucket_links = links.tokens
FROM (
    SELECT entry_id, array_agg(token ORDER BY kind, position) AS tokens
    FROM (
        SELECT entry_id, 0 AS kind, position, '/' || department AS token FROM entry_departments
        UNION ALL
        SELECT entry_id, 1 AS kind, position, '#' || partner_id::text AS token FROM entry_partners
    ) AS link
    GROUP BY entry_id
) AS links
WHERE entries.id = links.entry_id;

CREATE FUNCTION entry_bucket_keys(guild_id BIGINT, id BIGINT, department TEXT, search TSVECTOR, links TEXT[])
RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[guild_id::text || '/' || (id >> 14)::text || '/' || department]
           || ARRAY(SELECT guild_id::text || '/' || (id >> 14)::text || ':' || lexeme
                    FROM unnest(tsvector_to_array(search)) AS lexeme)
           || ARRAY(SELECT guild_id::text || '/' || (id >> 14)::text || link FROM unnest(links) AS link)
$$;

CREATE INDEX entries_bucket_links ON entries
    USING GIN (entry_bucket_keys(guild_id, id, department, search, bucket_links)) WITH (fastupdate = off);

DROP INDEX entries_bucket_keys;
DROP FUNCTION entry_bucket_keys(BIGINT, BIGINT, TEXT, TSVECTOR);
