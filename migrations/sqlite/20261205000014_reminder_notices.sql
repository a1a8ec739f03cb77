-- Privacy (issue 13): the digest no longer says whose DMs are closed. The owner of a reminder
-- Discord refused is told privately, once, on their next command; this is when they were told
-- (Unix milliseconds), NULL until then.
ALTER TABLE reminders ADD COLUMN owner_told_at INTEGER;

-- Every command asks whether its caller has anything to be told: only untold refusals are read.
CREATE INDEX reminders_untold ON reminders (guild_id) WHERE undeliverable = 1 AND owner_told_at IS NULL;
