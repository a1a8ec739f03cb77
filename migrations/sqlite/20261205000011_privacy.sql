-- Privacy (issue 13): who an entry's text is for, when retention cleared it, each guild's privacy
-- choices, the record of every erasure and expiry pass, and guilds the bot was removed from.

-- 'team' (the default: every entry written before) or 'private' (its author and admins only).
ALTER TABLE entries ADD COLUMN share TEXT NOT NULL DEFAULT 'team' CHECK (share IN ('team', 'private'));
-- Unix milliseconds when the retention pass cleared the note, source and author name.
ALTER TABLE entries ADD COLUMN expired_at INTEGER;

-- A guild's choices; no row means the config's defaults. NULL note_days follows the config.
CREATE TABLE privacy_settings (
    guild_id           INTEGER PRIMARY KEY,
    note_days          INTEGER CHECK (note_days IS NULL OR note_days >= 0),
    excerpts           INTEGER NOT NULL CHECK (excerpts IN (0, 1)),
    names              INTEGER NOT NULL CHECK (names IN (0, 1)),
    contributor_counts INTEGER NOT NULL CHECK (contributor_counts IN (0, 1)),
    hide_small_counts  INTEGER NOT NULL CHECK (hide_small_counts IN (0, 1)),
    updated_at         INTEGER NOT NULL
) STRICT;

-- Every erasure and expiry pass: when, by whom, what, how many entries. Never the erased text.
CREATE TABLE privacy_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    by_whom  TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    entries  INTEGER NOT NULL CHECK (entries >= 0)
) STRICT;

CREATE INDEX privacy_log_guild_at ON privacy_log (guild_id, at);

-- Guilds the bot was removed from: their data is deleted after delete_after unless the bot comes
-- back first (the row is then removed).
CREATE TABLE guild_departures (
    guild_id     INTEGER PRIMARY KEY,
    left_at      INTEGER NOT NULL,
    delete_after INTEGER NOT NULL
) STRICT;
