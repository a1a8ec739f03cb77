-- One-time keys of capture forms (/intel's and "Save as intel"'s): the entry each key was saved as,
-- so that a form submitted twice (a double click, a client retry) saves once. Written in the
-- entry's transaction; rows older than a day are of no use and are deleted as new keys are
-- written. Keyed per guild, so that a key never answers for another server. No foreign key: a key
-- of a deleted entry still stops a late retry from saving it again.
CREATE TABLE capture_keys (
    guild_id   INTEGER NOT NULL,
    key        TEXT    NOT NULL,
    entry_id   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, key)
) STRICT;

CREATE INDEX capture_keys_created ON capture_keys (created_at);
