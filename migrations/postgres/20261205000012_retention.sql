-- Retention (issue 13): the pass clears an entry's note, source and author name past its guild's
-- period, so an expired entry's note is empty; the init migration's `CHECK (note <> '')` allowed
-- no such row. The generated `search` column and the GIN index over its words follow the cleared
-- note in the same statement. Kept in step with migrations/sqlite/20261205000012_retention.sql
-- (which has to rebuild its table for the same change).
ALTER TABLE entries DROP CONSTRAINT entries_note_check;
ALTER TABLE entries ADD CONSTRAINT entries_note_check CHECK (note <> '' OR expired_at IS NOT NULL);

-- The retention pass: a guild's entries not yet cleared, oldest first, so it reads only those
-- past the period. Once cleared an entry leaves this index.
CREATE INDEX entries_unexpired_created ON entries (guild_id, created_at) WHERE expired_at IS NULL;
