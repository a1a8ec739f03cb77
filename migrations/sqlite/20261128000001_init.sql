-- Entries and their full-text index.
--
-- Times are INTEGER unix milliseconds (UTC): they compare and index as numbers. Discord ids (u64)
-- are stored as i64 by a two's-complement cast (src/store/ids.rs), so large ids are negative here.
-- Tags are one space-separated string of normalised tags (lower-case letters, digits, hyphens).

CREATE TABLE entries (
    -- AUTOINCREMENT: ids are shown to people ("#12"), so a deleted id is never handed out again.
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id          INTEGER NOT NULL,
    author_id         INTEGER NOT NULL,
    author_name       TEXT    NOT NULL,
    department        TEXT    NOT NULL CHECK (department <> ''),
    channel           TEXT    NOT NULL CHECK (channel <> ''),
    informal          INTEGER NOT NULL CHECK (informal IN (0, 1)),
    note              TEXT    NOT NULL CHECK (note <> ''),
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
    -- Scoping tokens for the full-text index, so that guild and filters narrow the search inside
    -- FTS5 before anything is ranked. Every token is alphanumeric and starts with `g` and the
    -- guild as a u64 in decimal; the first letter after those digits says what follows, in
    -- upper-case hex of the UTF-8 bytes (the tokenizer folds it to lower case):
    --   g<guild>   g<guild>d<department>   g<guild>c<channel>   g<guild>a<author, decimal>
    --   g<guild>y<YYYY> and g<guild>m<YYYYMM> of occurred_at in UTC (a date range becomes a few
    --   of these, and the exact bounds are checked on the row)
    --   g<guild>t<tag> for each tag.
    -- Tags hold no byte below 0x21, so "20" in hex(tags) can only be an aligned space.
    -- VIRTUAL: computed when read (by the triggers and by FTS5 reading the content row), never
    -- stored.
    facets            TEXT GENERATED ALWAYS AS (
        printf('g%u g%ud%s g%uc%s g%ua%u g%uy%s g%um%s',
               guild_id, guild_id, hex(department), guild_id, hex(channel), guild_id, author_id,
               guild_id, strftime('%Y', occurred_at / 1000.0, 'unixepoch'),
               guild_id, strftime('%Y%m', occurred_at / 1000.0, 'unixepoch'))
        || CASE WHEN tags = '' THEN ''
                ELSE printf(' g%ut', guild_id) || replace(hex(tags), '20', printf(' g%ut', guild_id))
           END
    ) VIRTUAL,
    CHECK ((follow_up_owner IS NULL) = (follow_up_due IS NULL)
           AND (follow_up_due IS NULL) = (follow_up_status IS NULL))
) STRICT;

-- Newest-first listings, date ranges, the digest week and counts over a period.
CREATE INDEX entries_guild_occurred ON entries (guild_id, occurred_at);
-- Listings and counts for one department; `last_heard` reads the end of each department's run.
CREATE INDEX entries_guild_department_occurred ON entries (guild_id, department, occurred_at);
-- Open follow-ups are few; only they are indexed, soonest due first.
CREATE INDEX entries_open_follow_ups ON entries (guild_id, follow_up_due) WHERE follow_up_status = 'open';

-- External content: the text lives once, in `entries`; FTS5 keeps only the index and reads the
-- row back (note, tags, facets) for snippets.
CREATE VIRTUAL TABLE entries_fts USING fts5(
    note,
    tags,
    facets,
    content = 'entries',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER entries_fts_after_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts (rowid, note, tags, facets) VALUES (new.id, new.note, new.tags, new.facets);
END;

CREATE TRIGGER entries_fts_after_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, note, tags, facets)
    VALUES ('delete', old.id, old.note, old.tags, old.facets);
END;

-- Only the columns the index is built from: closing a follow-up does not touch the index.
CREATE TRIGGER entries_fts_after_update
AFTER UPDATE OF note, tags, guild_id, department, channel, author_id, occurred_at ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, note, tags, facets)
    VALUES ('delete', old.id, old.note, old.tags, old.facets);
    INSERT INTO entries_fts (rowid, note, tags, facets) VALUES (new.id, new.note, new.tags, new.facets);
END;
