-- Privacy (issue 13): who an entry's text is for, when retention cleared it, each guild's privacy
-- choices, the record of every erasure and expiry pass, and guilds the bot was removed from.

-- 'team' (the default: every entry written before) or 'private' (its author and admins only).
ALTER TABLE entries ADD COLUMN share TEXT NOT NULL DEFAULT 'team' CHECK (share IN ('team', 'private'));
-- When the retention pass cleared the note, source and author name.
ALTER TABLE entries ADD COLUMN expired_at TIMESTAMPTZ;

-- A guild's choices; no row means the config's defaults. NULL note_days follows the config.
CREATE TABLE privacy_settings (
    guild_id           BIGINT PRIMARY KEY,
    note_days          INTEGER CHECK (note_days IS NULL OR note_days >= 0),
    excerpts           BOOLEAN NOT NULL,
    names              BOOLEAN NOT NULL,
    contributor_counts BOOLEAN NOT NULL,
    hide_small_counts  BOOLEAN NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- Every erasure and expiry pass: when, by whom, what, how many entries. Never the erased text.
CREATE TABLE privacy_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id BIGINT      NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    by_whom  TEXT        NOT NULL,
    action   TEXT        NOT NULL,
    entries  BIGINT      NOT NULL CHECK (entries >= 0)
);

CREATE INDEX privacy_log_guild_at ON privacy_log (guild_id, at);

-- Guilds the bot was removed from: their data is deleted after delete_after unless the bot comes
-- back first (the row is then removed).
CREATE TABLE guild_departures (
    guild_id     BIGINT PRIMARY KEY,
    left_at      TIMESTAMPTZ NOT NULL,
    delete_after TIMESTAMPTZ NOT NULL
);
