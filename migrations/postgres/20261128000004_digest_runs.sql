-- One row per guild and digest period: the claim that makes a digest post at most once per
-- period across restarts and processes. A claim is taken (or retaken once its lease has run out
-- without the digest being sent) in one statement, before anything is posted.
CREATE TABLE digest_runs (
    guild_id     BIGINT  NOT NULL,
    -- The period's first day, local to the guild.
    period_start DATE    NOT NULL,
    -- NULL once a failed post gave the claim back (SQLite writes 0 there).
    claimed_at   TIMESTAMPTZ,
    attempts     INTEGER NOT NULL DEFAULT 1,
    -- After a failed post, not claimed again before this: the backoff.
    retry_at     TIMESTAMPTZ,
    sent_at      TIMESTAMPTZ,
    -- The posted message ids, each a u64 cast to BIGINT.
    message_ids  BIGINT[],
    last_error   TEXT,
    PRIMARY KEY (guild_id, period_start)
);
