-- Retention (issue 13): the pass clears an entry's note, source and author name past its guild's
-- period, so an expired entry's note is empty; the init migration's `CHECK (note <> '')` allowed
-- no such row. SQLite cannot change a CHECK in place, so the table is rebuilt with the same
-- columns, in the same order, with the same ids, and only that CHECK relaxed; its indexes and
-- the full-text triggers are made again as they were. Nothing references `entries` by a foreign
-- key, and the rows keep their ids, so `entries_fts` (external content, keyed by id) stays valid
-- as it is. Kept in step with migrations/postgres/20261205000012_retention.sql.

CREATE TABLE entries_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id          INTEGER NOT NULL,
    author_id         INTEGER NOT NULL,
    author_name       TEXT    NOT NULL,
    department        TEXT    NOT NULL CHECK (department <> ''),
    channel           TEXT    NOT NULL CHECK (channel <> ''),
    informal          INTEGER NOT NULL CHECK (informal IN (0, 1)),
    -- Empty only once the retention pass cleared it.
    note              TEXT    NOT NULL CHECK (note <> '' OR expired_at IS NOT NULL),
    tags              TEXT    NOT NULL DEFAULT '',
    occurred_at       INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER,
    follow_up_owner   INTEGER,
    follow_up_due     TEXT CHECK (follow_up_due GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    follow_up_status  TEXT CHECK (follow_up_status IN ('open', 'done')),
    follow_up_done_at INTEGER CHECK (follow_up_done_at IS NULL OR follow_up_status IS NOT NULL),
    source            TEXT,
    redactions        INTEGER NOT NULL DEFAULT 0 CHECK (redactions >= 0),
    -- As in 20261128000001_init.sql, which says what each token is.
    facets            TEXT GENERATED ALWAYS AS (
        printf('g%u g%ud%s g%uc%s g%ua%u g%uy%s g%um%s',
               guild_id, guild_id, hex(department), guild_id, hex(channel), guild_id, author_id,
               guild_id, strftime('%Y', occurred_at / 1000.0, 'unixepoch'),
               guild_id, strftime('%Y%m', occurred_at / 1000.0, 'unixepoch'))
        || CASE WHEN tags = '' THEN ''
                ELSE printf(' g%ut', guild_id) || replace(hex(tags), '20', printf(' g%ut', guild_id))
           END
    ) VIRTUAL,
    share             TEXT    NOT NULL DEFAULT 'team' CHECK (share IN ('team', 'private')),
    expired_at        INTEGER,
    CHECK ((follow_up_owner IS NULL) = (follow_up_due IS NULL)
           AND (follow_up_due IS NULL) = (follow_up_status IS NULL))
) STRICT;

INSERT INTO entries_rebuilt (
    id, guild_id, author_id, author_name, department, channel, informal, note, tags, occurred_at,
    created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, follow_up_done_at,
    source, redactions, share, expired_at)
SELECT id, guild_id, author_id, author_name, department, channel, informal, note, tags, occurred_at,
       created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, follow_up_done_at,
       source, redactions, share, expired_at
FROM entries;

-- AUTOINCREMENT's high-water mark, so that an id deleted before the rebuild is still never
-- handed out again. DROP TABLE forgets the old table's; RENAME carries this one's over.
DELETE FROM sqlite_sequence WHERE name = 'entries_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'entries_rebuilt', seq FROM sqlite_sequence WHERE name = 'entries';

-- Drops the old table's indexes and triggers with it; no trigger fires for the rows it drops,
-- so the full-text index is left as it is.
DROP TABLE entries;
ALTER TABLE entries_rebuilt RENAME TO entries;

CREATE INDEX entries_guild_occurred ON entries (guild_id, occurred_at);
CREATE INDEX entries_guild_department_occurred ON entries (guild_id, department, occurred_at);
CREATE INDEX entries_open_follow_ups ON entries (guild_id, follow_up_due) WHERE follow_up_status = 'open';
CREATE INDEX entries_done_follow_ups ON entries (guild_id, follow_up_done_at) WHERE follow_up_status = 'done';
CREATE INDEX entries_open_due ON entries (follow_up_due) WHERE follow_up_status = 'open';

-- The retention pass: a guild's entries not yet cleared, oldest first, so it reads only those
-- past the period. Once cleared an entry leaves this index.
CREATE INDEX entries_unexpired_created ON entries (guild_id, created_at) WHERE expired_at IS NULL;

CREATE TRIGGER entries_fts_after_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts (rowid, note, tags, facets) VALUES (new.id, new.note, new.tags, new.facets);
END;

CREATE TRIGGER entries_fts_after_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, note, tags, facets)
    VALUES ('delete', old.id, old.note, old.tags, old.facets);
END;

-- Only the columns the index is built from: closing a follow-up does not touch the index, and
-- clearing a note past its period removes its words.
CREATE TRIGGER entries_fts_after_update
AFTER UPDATE OF note, tags, guild_id, department, channel, author_id, occurred_at ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, note, tags, facets)
    VALUES ('delete', old.id, old.note, old.tags, old.facets);
    INSERT INTO entries_fts (rowid, note, tags, facets) VALUES (new.id, new.note, new.tags, new.facets);
END;
