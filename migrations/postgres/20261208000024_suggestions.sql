-- What liaison suggests to a member as they type (issue 16): the channel and department of their
-- latest entry, and the server's tags, most used first. Kept in step with
-- migrations/sqlite/20261208000024_suggestions.sql.

-- A member's latest entry in a guild, by recorded time: one short index walk, newest first.
CREATE INDEX entries_guild_author_created ON entries (guild_id, author_id, created_at, id);

-- How many of a guild's team entries carry each tag, kept by the trigger below, so autocomplete
-- reads a guild's few distinct tags instead of counting over every entry. Private entries are left
-- out: their tags are not offered to anybody else.
CREATE TABLE tag_uses (
    guild_id BIGINT NOT NULL,
    tag      TEXT   NOT NULL CHECK (tag <> ''),
    -- No CHECK on it: a trigger adds a negative change to a row, then deletes rows left at 0.
    uses     BIGINT NOT NULL,
    PRIMARY KEY (guild_id, tag)
);

INSERT INTO tag_uses (guild_id, tag, uses)
SELECT e.guild_id, t.tag, count(*)
FROM entries AS e, unnest(string_to_array(e.tags, ' ')) AS t (tag)
WHERE e.share = 'team' AND e.tags <> ''
GROUP BY e.guild_id, t.tag;

-- Inserts and deletes once per statement, over the rows it changed: an import of thousands of
-- entries touches each tag's row once. Rows are changed in (guild, tag) order so that concurrent
-- captures lock them in one order. Each operation has its own branch because a statement naming
-- a transition table the trigger lacks cannot even be planned.
CREATE FUNCTION tag_uses_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tag_uses (guild_id, tag, uses)
        SELECT a.guild_id, t.tag, count(*)
        FROM added AS a, unnest(string_to_array(a.tags, ' ')) AS t (tag)
        WHERE a.share = 'team' AND a.tags <> ''
        GROUP BY a.guild_id, t.tag
        ORDER BY a.guild_id, t.tag
        ON CONFLICT (guild_id, tag) DO UPDATE SET uses = tag_uses.uses + EXCLUDED.uses;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO tag_uses (guild_id, tag, uses)
        SELECT r.guild_id, t.tag, -count(*)
        FROM removed AS r, unnest(string_to_array(r.tags, ' ')) AS t (tag)
        WHERE r.share = 'team' AND r.tags <> ''
        GROUP BY r.guild_id, t.tag
        ORDER BY r.guild_id, t.tag
        ON CONFLICT (guild_id, tag) DO UPDATE SET uses = tag_uses.uses + EXCLUDED.uses;
        DELETE FROM tag_uses WHERE uses <= 0 AND guild_id IN (SELECT DISTINCT guild_id FROM removed);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER entries_tag_uses_insert AFTER INSERT ON entries
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION tag_uses_follow();
CREATE TRIGGER entries_tag_uses_delete AFTER DELETE ON entries
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION tag_uses_follow();

-- Updates row by row, and only those that change tags or share: a statement-level trigger would
-- copy every row of a retention pass or a follow-up change into transition tables for nothing.
CREATE FUNCTION tag_uses_follow_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tag_uses (guild_id, tag, uses)
    SELECT guild_id, tag, sum(n)
    FROM (
        SELECT NEW.guild_id AS guild_id, t.tag, 1 AS n
        FROM unnest(string_to_array(NEW.tags, ' ')) AS t (tag)
        WHERE NEW.share = 'team' AND NEW.tags <> ''
        UNION ALL
        SELECT OLD.guild_id, t.tag, -1
        FROM unnest(string_to_array(OLD.tags, ' ')) AS t (tag)
        WHERE OLD.share = 'team' AND OLD.tags <> ''
    ) AS each_use
    GROUP BY guild_id, tag
    HAVING sum(n) <> 0
    ORDER BY guild_id, tag
    ON CONFLICT (guild_id, tag) DO UPDATE SET uses = tag_uses.uses + EXCLUDED.uses;
    DELETE FROM tag_uses WHERE guild_id = OLD.guild_id AND uses <= 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER entries_tag_uses_update AFTER UPDATE OF tags, share ON entries
    FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags OR OLD.share IS DISTINCT FROM NEW.share)
    EXECUTE FUNCTION tag_uses_follow_update();
