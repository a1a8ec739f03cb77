-- One row per guild and digest period: the claim that makes a digest post at most once per
-- period across restarts and processes. A claim is taken (or retaken once its lease has run out
-- without the digest being sent) in one statement, before anything is posted.
CREATE TABLE digest_runs (
    guild_id     INTEGER NOT NULL,
    -- The period's first day, local to the guild, as YYYY-MM-DD.
    period_start TEXT    NOT NULL CHECK (period_start GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    -- Unix milliseconds; 0 once a failed post gave the claim back.
    claimed_at   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 1,
    -- After a failed post, not claimed again before this (unix milliseconds): the backoff.
    retry_at     INTEGER,
    sent_at      INTEGER,
    -- The posted message ids, space-separated.
    message_ids  TEXT,
    last_error   TEXT,
    PRIMARY KEY (guild_id, period_start)
) STRICT;
