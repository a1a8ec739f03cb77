-- Search at a million entries (docs/benchmarks.md, PostgreSQL): every search is within one guild,
-- and the window is the guild's newest matches by id.
--
-- Walking the guild's ids newest first and checking each row (common words: ~1,000 matches within
-- a few thousand rows) read every guild's rows while walking the primary key; a small guild's walk
-- read ten rows for each of its own. (guild_id, id) keeps the walk inside the guild.
CREATE INDEX entries_guild_id ON entries (guild_id, id);

-- Rarer words go through GIN, whose bitmap is then read row by row from the table (~3 µs a row
-- here). With the guild and the department in the same GIN index (btree_gin, a trusted extension
-- like unaccent), GIN intersects them with the words before any row is read, instead of the
-- planner ANDing a bitmap of the whole guild or rechecking other guilds' matches on the rows.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX entries_search_scoped ON entries USING GIN (guild_id, department, search);
-- Every search names its guild, so the scoped index serves all of them.
DROP INDEX entries_search;
