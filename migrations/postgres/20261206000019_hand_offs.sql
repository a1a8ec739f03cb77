-- Desk-to-liaison hand-offs (issue 14): one row per entry and liaison librarian it was handed to.
-- The row is the claim that makes the DM go out at most once across restarts and processes, with
-- the same lifecycle as reminders (claimed, given back with a backoff, finished as delivered or
-- undeliverable), and it records who took the entry on. The first taker wins: every row of an
-- entry gets the same taken_by.
CREATE TABLE hand_offs (
    entry_id      BIGINT      NOT NULL,
    liaison_id    BIGINT      NOT NULL,
    guild_id      BIGINT      NOT NULL,
    -- The department key it was handed off for (one of the entry's departments).
    department    TEXT        NOT NULL CHECK (department <> ''),
    created_at    TIMESTAMPTZ NOT NULL,
    -- NULL once a failed attempt gave the claim back.
    claimed_at    TIMESTAMPTZ,
    attempts      INTEGER     NOT NULL DEFAULT 1,
    retry_at      TIMESTAMPTZ,
    -- When the DM was delivered or given up as undeliverable.
    finished_at   TIMESTAMPTZ,
    message_id    BIGINT,
    undeliverable BOOLEAN     NOT NULL DEFAULT false,
    last_error    TEXT,
    taken_by      BIGINT,
    taken_at      TIMESTAMPTZ,
    CHECK ((taken_by IS NULL) = (taken_at IS NULL)),
    PRIMARY KEY (entry_id, liaison_id)
);

-- The digest's hand-off lines: a guild's hand-offs by when they were made.
CREATE INDEX hand_offs_guild_created ON hand_offs (guild_id, created_at);

-- The scheduler's retry pass: only unsent hand-offs are read.
CREATE INDEX hand_offs_unsent ON hand_offs (created_at) WHERE finished_at IS NULL;
