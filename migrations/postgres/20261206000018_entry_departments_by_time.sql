-- A period's other departments (an entry's departments besides its own) by time alone: what counts
-- by department and the digest's counts read for a week across every department, where the
-- (guild, department, occurred_at) index of migration 16 would be read whole. Kept in step with
-- migrations/sqlite/20261206000018_entry_departments_by_time.sql.
CREATE INDEX entry_departments_guild_occurred ON entry_departments (guild_id, occurred_at);
