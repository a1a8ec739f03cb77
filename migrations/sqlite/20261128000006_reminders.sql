-- One row per follow-up reminder (guild, entry, due date): the claim that makes the DM go out at
-- most once per due date across restarts and processes, with the same lifecycle as
-- digest_runs. A reminder Discord refused (DMs closed) is kept with undeliverable = 1 so that
-- the next digest can say so instead.
CREATE TABLE reminders (
    guild_id      INTEGER NOT NULL,
    entry_id      INTEGER NOT NULL,
    -- The due date it reminds of, YYYY-MM-DD: a new due date is a new reminder.
    due_on        TEXT    NOT NULL CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    -- Unix milliseconds; 0 once a failed attempt gave the claim back.
    claimed_at    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 1,
    retry_at      INTEGER,
    -- When it was delivered or given up as undeliverable.
    finished_at   INTEGER,
    message_id    INTEGER,
    undeliverable INTEGER NOT NULL DEFAULT 0 CHECK (undeliverable IN (0, 1)),
    last_error    TEXT,
    PRIMARY KEY (guild_id, entry_id, due_on)
) STRICT;

-- The digest's fallback lines: a guild's undelivered reminders by due date.
CREATE INDEX reminders_undeliverable ON reminders (guild_id, due_on) WHERE undeliverable = 1;

-- The reminder scheduler looks for open follow-ups due around today in every guild.
CREATE INDEX entries_open_due ON entries (follow_up_due) WHERE follow_up_status = 'open';
