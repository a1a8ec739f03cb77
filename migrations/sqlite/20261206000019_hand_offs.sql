-- Desk-to-liaison hand-offs (issue 14): one row per entry and liaison librarian it was handed to.
-- The row is the claim that makes the DM go out at most once across restarts and processes, with
-- the same lifecycle as reminders (claimed, given back with a backoff, finished as delivered or
-- undeliverable), and it records who took the entry on. The first taker wins: every row of an
-- entry gets the same taken_by.
CREATE TABLE hand_offs (
    entry_id      INTEGER NOT NULL,
    liaison_id    INTEGER NOT NULL,
    guild_id      INTEGER NOT NULL,
    -- The department key it was handed off for (one of the entry's departments).
    department    TEXT    NOT NULL CHECK (department <> ''),
    -- Unix milliseconds.
    created_at    INTEGER NOT NULL,
    -- Unix milliseconds; 0 once a failed attempt gave the claim back.
    claimed_at    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 1,
    retry_at      INTEGER,
    -- When the DM was delivered or given up as undeliverable.
    finished_at   INTEGER,
    message_id    INTEGER,
    undeliverable INTEGER NOT NULL DEFAULT 0 CHECK (undeliverable IN (0, 1)),
    last_error    TEXT,
    taken_by      INTEGER,
    taken_at      INTEGER,
    CHECK ((taken_by IS NULL) = (taken_at IS NULL)),
    PRIMARY KEY (entry_id, liaison_id)
) STRICT;

-- The digest's hand-off lines: a guild's hand-offs by when they were made.
CREATE INDEX hand_offs_guild_created ON hand_offs (guild_id, created_at);

-- The scheduler's retry pass: only unsent hand-offs are read.
CREATE INDEX hand_offs_unsent ON hand_offs (created_at) WHERE finished_at IS NULL;
