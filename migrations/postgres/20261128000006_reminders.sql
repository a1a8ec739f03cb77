-- One row per follow-up reminder (guild, entry, due date): the claim that makes the DM go out at
-- most once per due date across restarts and processes, with the same lifecycle as
-- digest_runs. A reminder Discord refused (DMs closed) is kept as undeliverable so that the next
-- digest can say so instead.
CREATE TABLE reminders (
    guild_id      BIGINT  NOT NULL,
    entry_id      BIGINT  NOT NULL,
    -- The due date it reminds of: a new due date is a new reminder.
    due_on        DATE    NOT NULL,
    -- NULL once a failed attempt gave the claim back.
    claimed_at    TIMESTAMPTZ,
    attempts      INTEGER NOT NULL DEFAULT 1,
    retry_at      TIMESTAMPTZ,
    -- When it was delivered or given up as undeliverable.
    finished_at   TIMESTAMPTZ,
    message_id    BIGINT,
    undeliverable BOOLEAN NOT NULL DEFAULT false,
    last_error    TEXT,
    PRIMARY KEY (guild_id, entry_id, due_on)
);

-- The digest's fallback lines: a guild's undelivered reminders by due date.
CREATE INDEX reminders_undeliverable ON reminders (guild_id, due_on) WHERE undeliverable;

-- The reminder scheduler looks for open follow-ups due around today in every guild.
CREATE INDEX entries_open_due ON entries (follow_up_due) WHERE follow_up_status = 'open';
