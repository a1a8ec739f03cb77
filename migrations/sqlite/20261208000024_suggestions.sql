-- What liaison suggests to a member as they type (issue 16): the channel and department of their
-- latest entry, and the server's tags, most used first. Kept in step with
-- migrations/postgres/20261208000024_suggestions.sql.

-- A member's latest entry in a guild, by recorded time: one short index walk, newest first (the
-- rowid, last in every index, breaks ties).
CREATE INDEX entries_guild_author_created ON entries (guild_id, author_id, created_at);

-- How many of a guild's team entries carry each tag, kept by the triggers below, so autocomplete
-- reads a guild's few distinct tags instead of counting over every entry. Private entries are left
-- out: their tags are not offered to anybody else.
CREATE TABLE tag_uses (
    guild_id INTEGER NOT NULL,
    tag      TEXT    NOT NULL CHECK (tag <> ''),
    uses     INTEGER NOT NULL,
    PRIMARY KEY (guild_id, tag)
) STRICT, WITHOUT ROWID;

-- `tags` is a space-separated list of normalised tags (letters, digits and hyphens, never a quote
-- or a backslash), so it reads as a JSON array with quotes put around each. Triggers cannot hold a
-- recursive WITH, which is why json_each splits it.
INSERT INTO tag_uses (guild_id, tag, uses)
SELECT e.guild_id, j.value, count(*)
FROM entries AS e, json_each('["' || replace(e.tags, ' ', '","') || '"]') AS j
WHERE e.share = 'team' AND e.tags <> ''
GROUP BY e.guild_id, j.value;

CREATE TRIGGER entries_tag_uses_insert AFTER INSERT ON entries
WHEN NEW.share = 'team' AND NEW.tags <> ''
BEGIN
    INSERT INTO tag_uses (guild_id, tag, uses)
    SELECT DISTINCT NEW.guild_id, j.value, 1
    FROM json_each('["' || replace(NEW.tags, ' ', '","') || '"]') AS j
    WHERE true
    ON CONFLICT (guild_id, tag) DO UPDATE SET uses = uses + 1;
END;

CREATE TRIGGER entries_tag_uses_delete AFTER DELETE ON entries
WHEN OLD.share = 'team' AND OLD.tags <> ''
BEGIN
    UPDATE tag_uses SET uses = uses - 1
    WHERE guild_id = OLD.guild_id
      AND tag IN (SELECT value FROM json_each('["' || replace(OLD.tags, ' ', '","') || '"]'));
    DELETE FROM tag_uses
    WHERE guild_id = OLD.guild_id AND uses <= 0
      AND tag IN (SELECT value FROM json_each('["' || replace(OLD.tags, ' ', '","') || '"]'));
END;

CREATE TRIGGER entries_tag_uses_update AFTER UPDATE OF tags, share ON entries
WHEN OLD.tags IS NOT NEW.tags OR OLD.share IS NOT NEW.share
BEGIN
    UPDATE tag_uses SET uses = uses - 1
    WHERE OLD.share = 'team' AND OLD.tags <> '' AND guild_id = OLD.guild_id
      AND tag IN (SELECT value FROM json_each('["' || replace(OLD.tags, ' ', '","') || '"]'));
    DELETE FROM tag_uses
    WHERE OLD.share = 'team' AND OLD.tags <> '' AND guild_id = OLD.guild_id AND uses <= 0
      AND tag IN (SELECT value FROM json_each('["' || replace(OLD.tags, ' ', '","') || '"]'));
    INSERT INTO tag_uses (guild_id, tag, uses)
    SELECT DISTINCT NEW.guild_id, j.value, 1
    FROM json_each('["' || replace(NEW.tags, ' ', '","') || '"]') AS j
    WHERE NEW.share = 'team' AND NEW.tags <> ''
    ON CONFLICT (guild_id, tag) DO UPDATE SET uses = uses + 1;
END;
