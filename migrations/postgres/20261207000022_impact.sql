-- Impact stories (issue 15): what changed because of an entry, one story per entry, and the
-- objectives a guild reports them against. Kept in step with
-- migrations/sqlite/20261207000022_impact.sql.

CREATE TABLE impact_stories (
    entry_id   BIGINT      PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
    guild_id   BIGINT      NOT NULL,
    -- Redacted as notes are, 1 to 1000 characters.
    outcome    TEXT        NOT NULL CHECK (outcome <> ''),
    -- An http(s) address, or NULL.
    evidence   TEXT        CHECK (evidence IS NULL OR evidence <> ''),
    -- The objective's name when the story was marked; kept if the objective is removed.
    objective  TEXT        NOT NULL CHECK (objective <> ''),
    marked_by  BIGINT      NOT NULL,
    marked_at  TIMESTAMPTZ NOT NULL
);
-- The digest's week and a report's year: a guild's stories by when they were marked.
CREATE INDEX impact_stories_guild_marked ON impact_stories (guild_id, marked_at);

-- A guild's objectives, in the order they were added. `name_key` is `ObjectiveName::key`.
CREATE TABLE impact_objectives (
    guild_id   BIGINT      NOT NULL,
    name_key   TEXT        NOT NULL CHECK (name_key <> ''),
    name       TEXT        NOT NULL CHECK (name <> ''),
    added_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (guild_id, name_key)
);

-- Whether an entry's impact story (and so the entry's note) is kept past the retention period.
-- No row means kept.
CREATE TABLE impact_settings (
    guild_id            BIGINT      PRIMARY KEY,
    keep_past_retention BOOLEAN     NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
