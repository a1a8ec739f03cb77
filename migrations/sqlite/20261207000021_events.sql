-- Events (issue 15): what the library organised, who organised it, with whom and for which
-- departments; which entries were heard there; and the post-event prompt each organiser gets the
-- day after it ends. Kept in step with migrations/postgres/20261207000021_events.sql.
--
-- Every table carries `guild_id` so that forgetting a guild deletes its rows by guild alone.

CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    name        TEXT    NOT NULL CHECK (name <> ''),
    -- `partner::name_key` of the name: what look-ups by typed name compare. Not unique: the same
    -- event comes back every year.
    name_key    TEXT    NOT NULL,
    -- Local dates (the guild's time zone), as `YYYY-MM-DD`.
    starts_on   TEXT    NOT NULL CHECK (starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    ends_on     TEXT    NOT NULL CHECK (ends_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    place       TEXT,
    created_by  INTEGER NOT NULL,
    -- Unix milliseconds.
    created_at  INTEGER NOT NULL,
    CHECK (ends_on >= starts_on)
) STRICT;
-- Upcoming and past listings, the digest's week and the prompts' day: a guild's events by end.
CREATE INDEX events_guild_ends ON events (guild_id, ends_on);
-- The prompt pass reads every guild's events that ended on a day.
CREATE INDEX events_ends ON events (ends_on);

-- Organisers, partners and departments, in the order given.
CREATE TABLE event_organisers (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE event_partners (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    partner_id  INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (event_id, partner_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_partners_partner ON event_partners (partner_id);

CREATE TABLE event_departments (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    department  TEXT    NOT NULL CHECK (department <> ''),
    position    INTEGER NOT NULL,
    PRIMARY KEY (event_id, department)
) STRICT, WITHOUT ROWID;

-- An entry heard at an event: at most one event per entry. A link table rather than a column, so
-- that `entries` (whose SQLite table a column change would rebuild) stays as it is. No foreign key
-- to `entries`, for the reason migration 16 gives; the trigger below does its work.
CREATE TABLE entry_events (
    entry_id    INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL
) STRICT;
CREATE INDEX entry_events_event ON entry_events (event_id, entry_id);

CREATE TRIGGER entries_events_after_delete AFTER DELETE ON entries BEGIN
    DELETE FROM entry_events WHERE entry_id = old.id;
END;

-- The post-event prompt: one row per event and organiser, the claim that makes the DM go out at
-- most once across restarts and processes (the lifecycle of reminders and hand-offs), and what the
-- organiser decided ('nothing' when they pressed Nothing needed).
CREATE TABLE event_prompts (
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organiser_id  INTEGER NOT NULL,
    guild_id      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    -- 0 once a failed attempt gave the claim back.
    claimed_at    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 1,
    retry_at      INTEGER,
    finished_at   INTEGER,
    message_id    INTEGER,
    undeliverable INTEGER NOT NULL DEFAULT 0 CHECK (undeliverable IN (0, 1)),
    last_error    TEXT,
    decision      TEXT CHECK (decision IN ('nothing')),
    decided_at    INTEGER,
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    PRIMARY KEY (event_id, organiser_id)
) STRICT;
CREATE INDEX event_prompts_unsent ON event_prompts (created_at) WHERE finished_at IS NULL;
