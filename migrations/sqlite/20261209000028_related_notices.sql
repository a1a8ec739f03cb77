-- Connections (issue 17): when someone captures an entry about the same thing as an entry with an
-- open follow-up, the follow-up's owner is told by DM. One row per follow-up (its entry) and day
-- (in the guild's timezone): the claim that makes that DM go out at most once a day across
-- restarts and processes, with the same lifecycle as reminders and hand-offs (claimed, given back
-- with a backoff, finished as delivered or undeliverable).
CREATE TABLE related_notices (
    guild_id      INTEGER NOT NULL,
    -- The entry whose follow-up's owner is told.
    entry_id      INTEGER NOT NULL,
    -- The day it was told on, YYYY-MM-DD, in the guild's timezone.
    notice_day    TEXT    NOT NULL CHECK (notice_day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    -- The new entry the owner is told of (the first of that day).
    heard_id      INTEGER NOT NULL,
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
    -- A notice Discord refused: when its owner was told privately, on their next command (Unix
    -- milliseconds); NULL until then.
    owner_told_at INTEGER,
    PRIMARY KEY (guild_id, entry_id, notice_day)
) STRICT;

-- The scheduler's retry pass: only unsent notices are read.
CREATE INDEX related_notices_unsent ON related_notices (created_at) WHERE finished_at IS NULL;

-- Every command asks whether its caller has anything to be told: only untold refusals are read.
CREATE INDEX related_notices_untold ON related_notices (guild_id) WHERE undeliverable = 1 AND owner_told_at IS NULL;
