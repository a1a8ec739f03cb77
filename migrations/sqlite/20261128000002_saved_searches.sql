-- Searches made in Discord, kept so that their Previous/Next buttons work after a restart. The
-- request is JSON written by the service layer; rows older than two weeks are of no use and are
-- deleted as new searches are saved.
CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    request    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX saved_searches_created ON saved_searches (created_at);
