//! The PostgreSQL backend: for deployments that outgrow one machine, several bot processes sharing
//! one database. Same meaning as the SQLite backend, method for method; the conformance suite
//! (`tests/store.rs`) runs against both.
//!
//! One module per concern, as in `sqlite/`: `rows` maps rows to domain values, `entries` writes and
//! lists them, `search` (with `headline`) searches, `follow_ups` and `stats` serve the
//! digest and `/stats`, and the claims live in `digest_runs` and `reminders`. The schema and its
//! reasons are in `migrations/postgres/`; `connect` opens the pool, waiting for a server that is
//! not up yet.

mod connect;
mod digest_runs;
mod digest_settings;
mod entries;
mod follow_ups;
mod headline;
mod newest;
mod reminders;
mod rows;
mod saved_searches;
mod search;
mod stats;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;

use super::{
    Backoff, DatabaseOptions, DigestRun, EntryFilter, FollowUpFilter, ReminderEnd, ReminderKey, ReminderRun,
    Store, StoreResult,
};
use crate::domain::digest_settings::DigestSettings;
use crate::domain::entry::{Entry, EntryEdit, NewEntry};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::search::{SearchPage, SearchQuery};
use crate::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use crate::domain::time_range::TimeRange;

pub struct PostgresStore {
    pool: PgPool,
    window: usize,
}

impl PostgresStore {
    /// Opens `postgres://...`, waiting up to `options.startup_wait` for a server that is not up
    /// yet, and applies pending migrations (one process at a time: sqlx holds an advisory lock).
    pub async fn connect(url: &str, options: &DatabaseOptions) -> StoreResult<Self> {
        let pool = connect::pool(url, options).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PostgresStore { pool, window: search::DEFAULT_WINDOW })
    }

    /// How many of the newest matches a ranked search ranks (and the most `total` counts to), as
    /// `SqliteStore::with_search_window`.
    pub fn with_search_window(mut self, rows: usize) -> Self {
        self.window = rows.max(1);
        self
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn insert_entry(&self, entry: &NewEntry) -> StoreResult<Entry> {
        entries::insert(&self.pool, entry).await
    }

    async fn import_entries(&self, entries: &[Entry]) -> StoreResult<u64> {
        entries::import(&self.pool, entries).await
    }

    async fn existing_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<EntryId>> {
        entries::existing_ids(&self.pool, ids).await
    }

    async fn entry(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Entry>> {
        entries::entry(&self.pool, guild, id).await
    }

    async fn edit_entry(&self, guild: GuildId, id: EntryId, edit: &EntryEdit) -> StoreResult<Option<Entry>> {
        entries::edit(&self.pool, guild, id, edit).await
    }

    async fn delete_entry(&self, guild: GuildId, id: EntryId) -> StoreResult<bool> {
        entries::delete(&self.pool, guild, id).await
    }

    async fn search(&self, guild: GuildId, query: &SearchQuery) -> StoreResult<SearchPage> {
        search::search(&self.pool, self.window, guild, query).await
    }

    async fn entries_after(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<EntryId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        entries::after(&self.pool, guild, filter, after, limit).await
    }

    async fn count_entries(&self, guild: GuildId, filter: &EntryFilter) -> StoreResult<u64> {
        entries::count(&self.pool, guild, filter).await
    }

    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>> {
        entries::by_department(&self.pool, guild, range).await
    }

    async fn open_follow_ups(&self, guild: GuildId, filter: &FollowUpFilter) -> StoreResult<Vec<Entry>> {
        follow_ups::open(&self.pool, guild, filter).await
    }

    async fn follow_ups_done(&self, guild: GuildId, range: TimeRange) -> StoreResult<Vec<Entry>> {
        follow_ups::done_between(&self.pool, guild, range).await
    }

    async fn set_follow_up_done(
        &self,
        guild: GuildId,
        id: EntryId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<Entry>> {
        follow_ups::set_done(&self.pool, guild, id, at).await
    }

    async fn counts(&self, guild: GuildId, filter: &EntryFilter, by: CountBy) -> StoreResult<Vec<Count>> {
        stats::counts(&self.pool, guild, filter, by).await
    }

    async fn last_heard(&self, guild: GuildId) -> StoreResult<Vec<LastHeard>> {
        stats::last_heard(&self.pool, guild).await
    }

    async fn save_search(
        &self,
        guild: GuildId,
        user: UserId,
        payload: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        saved_searches::save(&self.pool, guild, user, payload, at).await
    }

    async fn saved_search(&self, guild: GuildId, id: i64) -> StoreResult<Option<(String, DateTime<Utc>)>> {
        saved_searches::load(&self.pool, guild, id).await
    }

    async fn claim_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        backoff: Backoff,
    ) -> StoreResult<bool> {
        digest_runs::claim(&self.pool, guild, period_start, now, lease, backoff).await
    }

    async fn record_digest_parts(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
    ) -> StoreResult<()> {
        digest_runs::record_parts(&self.pool, guild, period_start, message_ids).await
    }

    async fn mark_digest_sent(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        digest_runs::mark_sent(&self.pool, guild, period_start, message_ids, now).await
    }

    async fn release_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        digest_runs::release(&self.pool, guild, period_start, error, retry_at).await
    }

    async fn digest_run(&self, guild: GuildId, period_start: NaiveDate) -> StoreResult<Option<DigestRun>> {
        digest_runs::get(&self.pool, guild, period_start).await
    }

    async fn follow_ups_due(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Entry>> {
        follow_ups::due_between(&self.pool, from, to).await
    }

    async fn claim_reminder(
        &self,
        key: &ReminderKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        reminders::claim(&self.pool, key, now, lease).await
    }

    async fn finish_reminder(
        &self,
        key: &ReminderKey,
        end: &ReminderEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        reminders::finish(&self.pool, key, end, now).await
    }

    async fn release_reminder(
        &self,
        key: &ReminderKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        reminders::release(&self.pool, key, error, retry_at).await
    }

    async fn reminder(&self, key: &ReminderKey) -> StoreResult<Option<ReminderRun>> {
        reminders::get(&self.pool, key).await
    }

    async fn undelivered_reminders(
        &self,
        guild: GuildId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ReminderRun>> {
        reminders::undelivered(&self.pool, guild, from, to).await
    }

    async fn save_digest_settings(&self, settings: &DigestSettings, now: DateTime<Utc>) -> StoreResult<()> {
        digest_settings::save(&self.pool, settings, now).await
    }

    async fn digest_settings(&self, guild: GuildId) -> StoreResult<Option<DigestSettings>> {
        digest_settings::get(&self.pool, guild).await
    }

    async fn enabled_digests(&self) -> StoreResult<Vec<DigestSettings>> {
        digest_settings::enabled(&self.pool).await
    }

    async fn optimize(&self) -> StoreResult<()> {
        // Planner statistics after a bulk load (autovacuum would get there, later); VACUUM also
        // merges the GIN index's pending list into the index proper, which a bulk insert fills.
        // Only this database's own tables: a shared server may hold others.
        for table in ["entries", "saved_searches", "digest_runs", "digest_settings", "reminders"] {
            sqlx::query(&format!("VACUUM (ANALYZE) {table}")).execute(&self.pool).await?;
        }
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
