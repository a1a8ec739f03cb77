-- Connections (issue 17): what each entry is about, so that entries about the same thing are
-- found without reading notes ("who else heard this", `/search similar`, the digest's "Heard
-- across teams"). Kept in step with migrations/postgres/20261209000027_entry_terms.sql.
--
-- The terms of a note are made in Rust (`domain::terms::of_entry`), which SQL cannot do, so the
-- store writes them onto the entry's row, in `entries.terms`, with the same statement that writes
-- the note; the triggers below turn that column into rows of `entry_terms`. Every write path that
-- changes a note, its tags, its date or whether it may be shown (insert, import, edit, erasure,
-- retention) then only has to set one column, and a delete (of an entry, an author's entries, a
-- guild) needs nothing at all: the index cannot drift from the entries whichever way they change.

-- The stored keys of the entry's terms as a JSON array (`["eebo","train","#rare-books"]`), or
-- NULL when it holds none: a private entry, an expired note, a note with no word worth comparing,
-- or an entry not indexed yet. Which entries are indexed is decided in one place, in Rust
-- (`store::terms::indexed_terms`). Kept on the row, the old keys are what the triggers delete by
-- the primary key below, which needs no second index on `entry_terms` (that would double it).
ALTER TABLE entries ADD COLUMN terms TEXT;
-- The `TERMS_VERSION` (`domain::terms`) `terms` was made by; 0 for never. Entries written before
-- this migration start at 0, and a change to how terms are made bumps the version: either way
-- `index_stale_terms` makes them again, newest first, in batches.
ALTER TABLE entries ADD COLUMN terms_version INTEGER NOT NULL DEFAULT 0;
-- The stale entries of one version, newest first, by a range of this index. The version is a Rust
-- constant, so no partial index can name "older than the current one"; the store asks for each
-- older version in turn.
CREATE INDEX entries_terms_version ON entries (terms_version, id);

-- One row per distinct term of an indexed entry. The key is the lookup's order: the entries of a
-- guild holding a term in a window, newest first, are one range of it, read backwards, with
-- nothing read from `entries`. `occurred_at` and `guild_id` are the entry's, copied, as in the
-- link tables of migration 16, and for the same reason there is no foreign key to `entries`:
-- SQLite rebuilds that table to change it (migration 12), and the rebuild's DROP would delete
-- every row through the key. The triggers do what a cascade would.
--
-- An entry that holds terms also has a row under the term '*', which no term can be (a term is
-- word characters, or `#` and a tag): how many entries hold terms in a window, the measure of a
-- term's rarity, is then a count over one range of the key. A partial index on `entries`
-- (guild_id, occurred_at) WHERE terms IS NOT NULL was tried first: SQLite reads the table for
-- every row it counts, since the query names `terms`, which the index does not hold.
CREATE TABLE entry_terms (
    guild_id    INTEGER NOT NULL,
    term        TEXT    NOT NULL CHECK (term <> ''),
    occurred_at INTEGER NOT NULL,
    entry_id    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, term, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER entry_terms_after_insert AFTER INSERT ON entries WHEN new.terms IS NOT NULL BEGIN
    INSERT INTO entry_terms (guild_id, term, occurred_at, entry_id)
    SELECT new.guild_id, value, new.occurred_at, new.id FROM json_each(new.terms)
    UNION ALL SELECT new.guild_id, '*', new.occurred_at, new.id;
END;

CREATE TRIGGER entry_terms_after_delete AFTER DELETE ON entries WHEN old.terms IS NOT NULL BEGIN
    DELETE FROM entry_terms
    WHERE guild_id = old.guild_id AND term IN (SELECT value FROM json_each(old.terms) UNION ALL SELECT '*')
      AND occurred_at = old.occurred_at AND entry_id = old.id;
END;

-- Only when what the rows are made of changes: closing a follow-up, erasing an author's name or
-- re-linking an entry writes nothing here.
CREATE TRIGGER entry_terms_after_update AFTER UPDATE OF terms, occurred_at, guild_id ON entries
WHEN old.terms IS NOT new.terms OR old.occurred_at IS NOT new.occurred_at OR old.guild_id IS NOT new.guild_id
BEGIN
    DELETE FROM entry_terms
    WHERE old.terms IS NOT NULL AND guild_id = old.guild_id
      AND term IN (SELECT value FROM json_each(old.terms) UNION ALL SELECT '*')
      AND occurred_at = old.occurred_at AND entry_id = old.id;
    INSERT INTO entry_terms (guild_id, term, occurred_at, entry_id)
    SELECT new.guild_id, value, new.occurred_at, new.id FROM json_each(new.terms)
    UNION ALL SELECT new.guild_id, '*', new.occurred_at, new.id WHERE new.terms IS NOT NULL;
END;
