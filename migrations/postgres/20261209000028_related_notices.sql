-- Connections (issue 17): when someone captures an entry about the same thing as an entry with an
-- open follow-up, the follow-up's owner is told by DM. One row per follow-up (its entry) and day
-- (in the guild's timezone): the claim that makes that DM go out at most once a day across
-- restarts and processes, with the same lifecycle as reminders and hand-offs (claimed, given back
-- with a backoff, finished as delivered or undeliverable).
CREATE TABLE related_notices (
    guild_id      BIGINT      NOT NULL,
    -- The entry whose follow-up's owner is told.
    entry_id      BIGINT      NOT NULL,
    -- The day it was told on, in the guild's timezone.
    notice_day    DATE        NOT NULL,
    -- The new entry the owner is told of (the first of that day).
    heard_id      BIGINT      NOT NULL,
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
    -- A notice Discord refused: when its owner was told privately, on their next command; NULL
    -- until then.
    owner_told_at TIMESTAMPTZ,
    PRIMARY KEY (guild_id, entry_id, notice_day)
);

-- The scheduler's retry pass: only unsent notices are read.
CREATE INDEX related_notices_unsent ON related_notices (created_at) WHERE finished_at IS NULL;

-- Every command asks whether its caller has anything to be told: only untold refusals are read.
CREATE INDEX related_notices_untold ON related_notices (guild_id) WHERE undeliverable AND owner_told_at IS NULL;
