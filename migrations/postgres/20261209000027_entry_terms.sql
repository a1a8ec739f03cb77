-- Connections (issue 17): what each entry is about, so that entries about the same thing are
-- found without reading notes ("who else heard this", `/search similar`, the digest's "Heard
-- across teams"). Kept in step with migrations/sqlite/20261209000027_entry_terms.sql, which gives
-- the design's reasons at length; in short:
--
-- The terms of a note are made in Rust (`domain::terms::of_entry`), so the store writes them onto
-- the entry's row, in `entries.terms`, with the same statement that writes the note, and the
-- triggers below turn that column into rows of `entry_terms`. Every write path then sets one
-- column, and no delete can leave rows behind, whichever way an entry changes.

-- The stored keys of the entry's terms, or NULL when it holds none: a private entry, an expired
-- note, a note with no word worth comparing, or an entry not indexed yet (which entries are
-- indexed is decided in Rust, `store::terms::indexed_terms`). Kept on the row, the old keys are
-- what the triggers delete by the primary key below, so `entry_terms` needs no index on
-- `entry_id`, which would double its size (and no foreign key, whose cascade would need one).
ALTER TABLE entries ADD COLUMN terms TEXT[] COLLATE "C";
-- The `TERMS_VERSION` (`domain::terms`) `terms` was made by; 0 for never. Entries written before
-- this migration start at 0, and a change to how terms are made bumps the version: either way
-- `index_stale_terms` makes them again, newest first, in batches.
ALTER TABLE entries ADD COLUMN terms_version INTEGER NOT NULL DEFAULT 0;
-- The stale entries of one version, newest first, by a range of this index. The version is a Rust
-- constant, so no partial index can name "older than the current one"; the store asks for each
-- older version in turn.
CREATE INDEX entries_terms_version ON entries (terms_version, id);
-- How many entries hold terms in a window (the measure of a term's rarity), counted on this index
-- alone (an index-only scan). SQLite, which reads the table for such a count, keeps a row under
-- the term '*' in `entry_terms` for each entry instead; PostgreSQL needs neither that row nor its
-- writes.
CREATE INDEX entries_with_terms ON entries (guild_id, occurred_at) WHERE terms IS NOT NULL;

-- One row per distinct term of an indexed entry. The key is the lookup's order: the entries of a
-- guild holding a term in a window, newest first, are one range of it, read backwards, an
-- index-only scan. `guild_id` and `occurred_at` are the entry's, copied, as in the link tables.
-- COLLATE "C": terms are compared for equality only, and bytewise is the cheapest way.
CREATE TABLE entry_terms (
    guild_id    BIGINT      NOT NULL,
    term        TEXT COLLATE "C" NOT NULL CHECK (term <> ''),
    occurred_at TIMESTAMPTZ NOT NULL,
    entry_id    BIGINT      NOT NULL,
    PRIMARY KEY (guild_id, term, occurred_at, entry_id)
);

-- Inserts, once per statement over the rows it wrote: an import of a thousand entries writes
-- their terms in one INSERT. Only inserts: nothing is looked up, so the transition table's
-- missing statistics cannot lead the planner astray.
CREATE FUNCTION entry_terms_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO entry_terms (guild_id, term, occurred_at, entry_id)
    SELECT n.guild_id, t.term, n.occurred_at, n.id
    FROM written AS n CROSS JOIN LATERAL unnest(n.terms) AS t(term)
    WHERE n.terms IS NOT NULL;
    RETURN NULL;
END
$$;

-- Updates and deletes, row by row: each deletes its old rows by the primary key, which a plan
-- made for one row always reads by index (a per-statement join against a transition table, which
-- has no statistics, could be planned as a scan of the whole table).
CREATE FUNCTION entry_terms_replace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF old.terms IS NOT NULL THEN
        DELETE FROM entry_terms
        WHERE guild_id = old.guild_id AND term = ANY (old.terms)
          AND occurred_at = old.occurred_at AND entry_id = old.id;
    END IF;
    IF TG_OP = 'UPDATE' AND new.terms IS NOT NULL THEN
        INSERT INTO entry_terms (guild_id, term, occurred_at, entry_id)
        SELECT new.guild_id, t.term, new.occurred_at, new.id FROM unnest(new.terms) AS t(term);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER entry_terms_after_insert AFTER INSERT ON entries
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION entry_terms_insert();
-- Only when what the rows are made of changes: closing a follow-up, erasing an author's name or
-- re-linking an entry runs nothing here.
CREATE TRIGGER entry_terms_after_update AFTER UPDATE OF terms, occurred_at, guild_id, id ON entries
    FOR EACH ROW
    WHEN (old.terms IS DISTINCT FROM new.terms OR old.occurred_at IS DISTINCT FROM new.occurred_at
          OR old.guild_id IS DISTINCT FROM new.guild_id OR old.id IS DISTINCT FROM new.id)
    EXECUTE FUNCTION entry_terms_replace();
CREATE TRIGGER entry_terms_after_delete AFTER DELETE ON entries
    FOR EACH ROW WHEN (old.terms IS NOT NULL) EXECUTE FUNCTION entry_terms_replace();
