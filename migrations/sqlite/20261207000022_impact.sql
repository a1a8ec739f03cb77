-- Impact stories (issue 15): what changed because of an entry, one story per entry, and the
-- objectives a guild reports them against. Kept in step with
-- migrations/postgres/20261207000022_impact.sql.

-- No foreign key to `entries` (a rebuild of that table would delete through it, see migration
-- 16); the trigger below deletes an entry's story with the entry instead.
CREATE TABLE impact_stories (
    entry_id   INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    -- Redacted as notes are, 1 to 1000 characters.
    outcome    TEXT    NOT NULL CHECK (outcome <> ''),
    -- An http(s) address, or NULL.
    evidence   TEXT    CHECK (evidence IS NULL OR evidence <> ''),
    -- The objective's name when the story was marked; kept if the objective is removed.
    objective  TEXT    NOT NULL CHECK (objective <> ''),
    marked_by  INTEGER NOT NULL,
    -- Unix milliseconds.
    marked_at  INTEGER NOT NULL
) STRICT;
-- The digest's week and a report's year: a guild's stories by when they were marked.
CREATE INDEX impact_stories_guild_marked ON impact_stories (guild_id, marked_at);

CREATE TRIGGER entries_impact_after_delete AFTER DELETE ON entries BEGIN
    DELETE FROM impact_stories WHERE entry_id = old.id;
END;

-- A guild's objectives, in the order they were added. `name_key` is `ObjectiveName::key`.
CREATE TABLE impact_objectives (
    guild_id   INTEGER NOT NULL,
    name_key   TEXT    NOT NULL CHECK (name_key <> ''),
    name       TEXT    NOT NULL CHECK (name <> ''),
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, name_key)
) STRICT, WITHOUT ROWID;

-- Whether an entry's impact story (and so the entry's note) is kept past the retention period.
-- No row means kept.
CREATE TABLE impact_settings (
    guild_id            INTEGER PRIMARY KEY,
    keep_past_retention INTEGER NOT NULL CHECK (keep_past_retention IN (0, 1)),
    updated_at          INTEGER NOT NULL
) STRICT;
