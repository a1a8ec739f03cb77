-- Events (issue 15): what the library organised, who organised it, with whom and for which
-- departments; which entries were heard there; and the post-event prompt each organiser gets the
-- day after it ends. Kept in step with migrations/sqlite/20261207000021_events.sql.
--
-- Every table carries `guild_id` so that forgetting a guild deletes its rows by guild alone.

CREATE TABLE events (
    id          BIGSERIAL   PRIMARY KEY,
    guild_id    BIGINT      NOT NULL,
    name        TEXT        NOT NULL CHECK (name <> ''),
    -- `partner::name_key` of the name: what look-ups by typed name compare. Not unique: the same
    -- event comes back every year.
    name_key    TEXT        NOT NULL,
    -- Local dates (the guild's time zone).
    starts_on   DATE        NOT NULL,
    ends_on     DATE        NOT NULL,
    place       TEXT,
    created_by  BIGINT      NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    CHECK (ends_on >= starts_on)
);
-- Upcoming and past listings, the digest's week and the prompts' day: a guild's events by end.
CREATE INDEX events_guild_ends ON events (guild_id, ends_on);
-- The prompt pass reads every guild's events that ended on a day.
CREATE INDEX events_ends ON events (ends_on);

-- Organisers, partners and departments, in the order given.
CREATE TABLE event_organisers (
    event_id    BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    guild_id    BIGINT  NOT NULL,
    user_id     BIGINT  NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
);

CREATE TABLE event_partners (
    event_id    BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    partner_id  BIGINT  NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    guild_id    BIGINT  NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (event_id, partner_id)
);
CREATE INDEX event_partners_partner ON event_partners (partner_id);

CREATE TABLE event_departments (
    event_id    BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    guild_id    BIGINT  NOT NULL,
    department  TEXT    NOT NULL CHECK (department <> ''),
    position    INTEGER NOT NULL,
    PRIMARY KEY (event_id, department)
);

-- An entry heard at an event: at most one event per entry. A link table rather than a column, as
-- on SQLite (where a column change would rebuild `entries`), so both backends read it alike.
CREATE TABLE entry_events (
    entry_id    BIGINT PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
    event_id    BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    guild_id    BIGINT NOT NULL
);
CREATE INDEX entry_events_event ON entry_events (event_id, entry_id);

-- The post-event prompt: one row per event and organiser, the claim that makes the DM go out at
-- most once across restarts and processes (the lifecycle of reminders and hand-offs), and what the
-- organiser decided ('nothing' when they pressed Nothing needed).
CREATE TABLE event_prompts (
    event_id      BIGINT      NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organiser_id  BIGINT      NOT NULL,
    guild_id      BIGINT      NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    -- NULL once a failed attempt gave the claim back.
    claimed_at    TIMESTAMPTZ,
    attempts      INTEGER     NOT NULL DEFAULT 1,
    retry_at      TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    message_id    BIGINT,
    undeliverable BOOLEAN     NOT NULL DEFAULT false,
    last_error    TEXT,
    decision      TEXT CHECK (decision IN ('nothing')),
    decided_at    TIMESTAMPTZ,
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    PRIMARY KEY (event_id, organiser_id)
);
CREATE INDEX event_prompts_unsent ON event_prompts (created_at) WHERE finished_at IS NULL;
