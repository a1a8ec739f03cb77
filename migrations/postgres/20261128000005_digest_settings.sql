-- Each guild's digest settings, set with /settings digest; a guild without a row uses the
-- config's defaults and has no channel (so no digest) until an admin picks one.
CREATE TABLE digest_settings (
    guild_id         BIGINT PRIMARY KEY,
    channel_id       BIGINT   NOT NULL,
    -- 0 = Monday ... 6 = Sunday.
    weekday          SMALLINT NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    -- Minutes after local midnight.
    minute_of_day    SMALLINT NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    timezone         TEXT     NOT NULL,
    enabled          BOOLEAN  NOT NULL,
    post_empty_weeks BOOLEAN  NOT NULL,
    -- Why the digest was turned off by the bot (the channel is gone or forbids it), shown to admins.
    problem          TEXT,
    updated_at       TIMESTAMPTZ NOT NULL
);
