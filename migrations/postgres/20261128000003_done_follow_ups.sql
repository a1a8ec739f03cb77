-- The weekly digest lists the follow-ups done in its week; done ones are few, so only they are
-- indexed, by when they were done.
CREATE INDEX entries_done_follow_ups ON entries (guild_id, follow_up_done_at) WHERE follow_up_status = 'done';
