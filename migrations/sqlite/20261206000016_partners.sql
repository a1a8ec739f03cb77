-- Partners (issue 14): the people, organisations, teams and groups the library has relationships
-- with, who looks after each, and which entries concern them; entries filed under more than one
-- department; each department's liaison librarians. Kept in step with
-- migrations/postgres/20261206000016_partners.sql.

CREATE TABLE partners (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('person', 'organisation', 'team', 'group')),
    name        TEXT    NOT NULL CHECK (name <> ''),
    -- `PartnerName::key`: lower case, accents, punctuation and spacing folded. Unique per guild.
    name_key    TEXT    NOT NULL CHECK (name_key <> ''),
    -- "They want / we offer".
    notes       TEXT    NOT NULL DEFAULT '',
    link        TEXT,
    status      TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dormant')),
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER,
    UNIQUE (guild_id, name_key)
) STRICT;

CREATE TABLE partner_departments (
    partner_id  INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    department  TEXT    NOT NULL CHECK (department <> ''),
    -- The order they were given in.
    position    INTEGER NOT NULL,
    PRIMARY KEY (partner_id, department)
) STRICT, WITHOUT ROWID;
CREATE INDEX partner_departments_department ON partner_departments (department, partner_id);

-- The owner is position 0; co-owners follow.
CREATE TABLE partner_owners (
    partner_id  INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (partner_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX partner_owners_user ON partner_owners (user_id, partner_id);

-- Links from entries. No foreign key to `entries`: SQLite rebuilds that table to change it (as
-- migration 12 did), and a rebuild's DROP would delete every link through the key; a trigger
-- below removes an entry's links when it is deleted instead. `guild_id` and `occurred_at` are
-- the entry's, copied so a partner's timeline and a department's counts read one index.
CREATE TABLE entry_partners (
    entry_id    INTEGER NOT NULL,
    partner_id  INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    occurred_at INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (entry_id, partner_id)
) STRICT, WITHOUT ROWID;
-- A partner's timeline, newest first, and its last contact.
CREATE INDEX entry_partners_timeline ON entry_partners (partner_id, occurred_at, entry_id);

-- The departments an entry is filed under besides its own (`entries.department`).
CREATE TABLE entry_departments (
    entry_id    INTEGER NOT NULL,
    guild_id    INTEGER NOT NULL,
    department  TEXT    NOT NULL CHECK (department <> ''),
    occurred_at INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (entry_id, department)
) STRICT, WITHOUT ROWID;
CREATE INDEX entry_departments_guild ON entry_departments (guild_id, department, occurred_at);

CREATE TABLE department_liaisons (
    guild_id    INTEGER NOT NULL,
    department  TEXT    NOT NULL CHECK (department <> ''),
    user_id     INTEGER NOT NULL,
    PRIMARY KEY (guild_id, department, user_id)
) STRICT, WITHOUT ROWID;

-- The full-text index scopes searches by facet tokens (see the init migration). An entry's other
-- departments (`g<guild>d<hex>`) and its partners (`g<guild>p<id>`) become tokens too, written by
-- the store into `link_facets` (a space-led list, or '') whenever the links change, so that a
-- search finds an entry under every department it names. `facets` is a generated column, which
-- SQLite cannot change in place: the table is rebuilt as migration 12 rebuilt it, with the same
-- columns, ids and indexes, `link_facets` added and appended to `facets`. Every existing row has
-- no links, so its `facets` reads as before and the full-text index stays valid as it is.

CREATE TABLE entries_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id          INTEGER NOT NULL,
    author_id         INTEGER NOT NULL,
    author_name       TEXT    NOT NULL,
    department        TEXT    NOT NULL CHECK (department <> ''),
    channel           TEXT    NOT NULL CHECK (channel <> ''),
    informal          INTEGER NOT NULL CHECK (informal IN (0, 1)),
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
    facets            TEXT GENERATED ALWAYS AS (
        printf('g%u g%ud%s g%uc%s g%ua%u g%uy%s g%um%s',
               guild_id, guild_id, hex(department), guild_id, hex(channel), guild_id, author_id,
               guild_id, strftime('%Y', occurred_at / 1000.0, 'unixepoch'),
               guild_id, strftime('%Y%m', occurred_at / 1000.0, 'unixepoch'))
        || CASE WHEN tags = '' THEN ''
                ELSE printf(' g%ut', guild_id) || replace(hex(tags), '20', printf(' g%ut', guild_id))
           END
        || link_facets
    ) VIRTUAL,
    share             TEXT    NOT NULL DEFAULT 'team' CHECK (share IN ('team', 'private')),
    expired_at        INTEGER,
    link_facets       TEXT    NOT NULL DEFAULT '',
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

DELETE FROM sqlite_sequence WHERE name = 'entries_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'entries_rebuilt', seq FROM sqlite_sequence WHERE name = 'entries';

DROP TABLE entries;
ALTER TABLE entries_rebuilt RENAME TO entries;

CREATE INDEX entries_guild_occurred ON entries (guild_id, occurred_at);
CREATE INDEX entries_guild_department_occurred ON entries (guild_id, department, occurred_at);
CREATE INDEX entries_open_follow_ups ON entries (guild_id, follow_up_due) WHERE follow_up_status = 'open';
CREATE INDEX entries_done_follow_ups ON entries (guild_id, follow_up_done_at) WHERE follow_up_status = 'done';
CREATE INDEX entries_open_due ON entries (follow_up_due) WHERE follow_up_status = 'open';
CREATE INDEX entries_unexpired_created ON entries (guild_id, created_at) WHERE expired_at IS NULL;
CREATE INDEX entries_private ON entries (guild_id, author_id) WHERE share = 'private';

CREATE TRIGGER entries_fts_after_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts (rowid, note, tags, facets) VALUES (new.id, new.note, new.tags, new.facets);
END;

CREATE TRIGGER entries_fts_after_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, note, tags, facets)
    VALUES ('delete', old.id, old.note, old.tags, old.facets);
END;

CREATE TRIGGER entries_fts_after_update
AFTER UPDATE OF note, tags, guild_id, department, channel, author_id, occurred_at, link_facets ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, note, tags, facets)
    VALUES ('delete', old.id, old.note, old.tags, old.facets);
    INSERT INTO entries_fts (rowid, note, tags, facets) VALUES (new.id, new.note, new.tags, new.facets);
END;

-- What a foreign key would do, without the hazard above.
CREATE TRIGGER entries_links_after_delete AFTER DELETE ON entries BEGIN
    DELETE FROM entry_partners WHERE entry_id = old.id;
    DELETE FROM entry_departments WHERE entry_id = old.id;
END;
