-- Searches made in Discord, kept so that their Previous/Next buttons work after a restart. The
-- request is JSON written by the service layer; old rows are deleted as new searches are saved.
CREATE TABLE saved_searches (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id   BIGINT      NOT NULL,
    user_id    BIGINT      NOT NULL,
    request    TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX saved_searches_created ON saved_searches (created_at);
