-- A server's locale (Discord's `preferred_locale`), so that what the bot sends with no interaction
-- to answer (the digest, reminders, hand-offs) writes dates as the server does. Written when
-- Discord sends the guild (GUILD_CREATE, GUILD_UPDATE). Kept in step with
-- migrations/postgres/20261208000026_guild_locales.sql.
CREATE TABLE guild_locales (
    guild_id   INTEGER PRIMARY KEY,
    locale     TEXT    NOT NULL CHECK (locale <> ''),
    updated_at INTEGER NOT NULL
);
