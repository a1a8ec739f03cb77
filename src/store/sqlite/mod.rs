//! The SQLite backend: embedded, created on first use, WAL, FTS5 for search.
//!
//! One module per concern: `rows` maps rows to domain values, `entries` writes and lists them,
//! `search` (with `facets`, `rank` and `snippet`) searches, `follow_ups` and `stats` serve the
//! digest and `/stats`; `plans` tests the query plans that must not depend on statistics. The
//! schema and its reasons are in `migrations/sqlite/`; measured numbers in `docs/benchmarks.md`.

mod digest_runs;
mod digest_settings;
mod entries;
mod facets;
mod follow_ups;
#[cfg(test)]
mod plans;
mod rank;
mod reminders;
mod rows;
mod saved_searches;
mod search;
mod snippet;
mod stats;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{EntryFilter, FollowUpFilter, Store, StoreResult};
use crate::domain::entry::{Entry, EntryEdit, NewEntry};
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::search::{SearchPage, SearchQuery};
use crate::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use crate::domain::time_range::TimeRange;

/// Readers run beside the writer in WAL mode; a bot and its digest need few at once.
const READERS: u32 = 4;
/// How long a writer waits for another (say the CLI beside the bot) before "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Rows per index that ANALYZE and `PRAGMA optimize` sample: statistics good enough to plan by,
/// gathered in milliseconds even at millions of rows (SQLite's recommended value).
const ANALYSIS_LIMIT: u32 = 400;
/// How often the WAL is copied back into the database file, off the write path.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);
/// Pages of WAL after which a commit checkpoints by itself: a bound on the WAL (40 MB) should the
/// background checkpoints fall behind a long burst of writes. SQLite's default is 1000.
const WAL_AUTOCHECKPOINT_PAGES: &str = "10000";
/// Address space, not memory: pages are shared with the OS cache and with the other connections.
const MMAP_BYTES: &str = "4294967296";

/// Writes go through one connection, reads through a pool. Measured: with writes spread over a
/// pool, one insert in about fifty re-read some 90 MB (p99 19 ms at 30k entries); through one
/// warm connection the p99 was under 4 ms. SQLite allows one writer at a time anyway.
///
/// Checkpoints run in a background task rather than in whichever commit crosses SQLite's
/// threshold: that commit otherwise pays for copying the WAL and two fsyncs (about 5 ms here),
/// which was the whole of the insert p99.
pub struct SqliteStore {
    writer: sqlx::SqlitePool,
    reader: sqlx::SqlitePool,
    checkpointer: tokio::task::JoinHandle<()>,
    window: usize,
}

impl SqliteStore {
    /// Opens `sqlite://PATH`, creating the file if needed, and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL syncs at checkpoints, not at each commit: a committed write
            // survives the process being killed (the WAL is in the OS's hands), though not
            // necessarily a power cut. FULL would cost an fsync per entry.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .analysis_limit(ANALYSIS_LIMIT)
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
            // Reads straight from the OS page cache instead of copying each page into SQLite's
            // small per-connection cache: 25 to 40% off search latency at 100k entries.
            .pragma("mmap_size", MMAP_BYTES);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // Keeps planner statistics fresh as the data grows, at no cost to any request.
            .connect_with(options.clone().optimize_on_close(true, ANALYSIS_LIMIT))
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&writer).await?;
        // Analyses only tables whose statistics are missing or stale, within ANALYSIS_LIMIT.
        sqlx::query("PRAGMA optimize = 0x10002").execute(&writer).await?;
        let reader = SqlitePoolOptions::new().max_connections(READERS).connect_with(options).await?;
        let checkpointer = tokio::spawn(checkpoint_regularly(reader.clone()));
        Ok(SqliteStore { writer, reader, checkpointer, window: search::DEFAULT_WINDOW })
    }

    /// How many of the newest matches a ranked search ranks (and the most `total` counts to).
    /// Larger windows reach further back for common words and cost proportionally more.
    pub fn with_search_window(mut self, rows: usize) -> Self {
        self.window = rows.max(1);
        self
    }
}

/// PASSIVE never waits for, nor blocks, readers or the writer; it copies what it can, and the
/// next write starts the WAL over once everything is copied.
async fn checkpoint_regularly(pool: sqlx::SqlitePool) {
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            tracing::warn!(error = %e, "WAL checkpoint failed; commits will checkpoint instead");
        }
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // The task holds a handle to the reader pool; without this it would keep it open.
        self.checkpointer.abort();
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn insert_entry(&self, entry: &NewEntry) -> StoreResult<Entry> {
        entries::insert(&self.writer, entry).await
    }

    async fn import_entries(&self, entries: &[Entry]) -> StoreResult<u64> {
        entries::import(&self.writer, entries).await
    }

    async fn existing_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<EntryId>> {
        entries::existing_ids(&self.reader, ids).await
    }

    async fn entry(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Entry>> {
        entries::entry(&self.reader, guild, id).await
    }

    async fn edit_entry(&self, guild: GuildId, id: EntryId, edit: &EntryEdit) -> StoreResult<Option<Entry>> {
        entries::edit(&self.writer, guild, id, edit).await
    }

    async fn delete_entry(&self, guild: GuildId, id: EntryId) -> StoreResult<bool> {
        entries::delete(&self.writer, guild, id).await
    }

    async fn search(&self, guild: GuildId, query: &SearchQuery) -> StoreResult<SearchPage> {
        search::search(&self.reader, self.window, guild, query).await
    }

    async fn entries_after(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<EntryId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        entries::after(&self.reader, guild, filter, after, limit).await
    }

    async fn count_entries(&self, guild: GuildId, filter: &EntryFilter) -> StoreResult<u64> {
        entries::count(&self.reader, guild, filter).await
    }

    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>> {
        entries::by_department(&self.reader, guild, range).await
    }

    async fn open_follow_ups(&self, guild: GuildId, filter: &FollowUpFilter) -> StoreResult<Vec<Entry>> {
        follow_ups::open(&self.reader, guild, filter).await
    }

    async fn follow_ups_done(&self, guild: GuildId, range: TimeRange) -> StoreResult<Vec<Entry>> {
        follow_ups::done_between(&self.reader, guild, range).await
    }

    async fn set_follow_up_done(
        &self,
        guild: GuildId,
        id: EntryId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<Entry>> {
        follow_ups::set_done(&self.writer, guild, id, at).await
    }

    async fn counts(&self, guild: GuildId, filter: &EntryFilter, by: CountBy) -> StoreResult<Vec<Count>> {
        stats::counts(&self.reader, guild, filter, by).await
    }

    async fn last_heard(&self, guild: GuildId) -> StoreResult<Vec<LastHeard>> {
        stats::last_heard(&self.reader, guild).await
    }

    async fn save_search(
        &self,
        guild: GuildId,
        user: crate::domain::ids::UserId,
        payload: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        saved_searches::save(&self.writer, guild, user, payload, at).await
    }

    async fn saved_search(&self, guild: GuildId, id: i64) -> StoreResult<Option<(String, DateTime<Utc>)>> {
        saved_searches::load(&self.reader, guild, id).await
    }

    async fn claim_digest(
        &self,
        guild: GuildId,
        period_start: chrono::NaiveDate,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        backoff: super::Backoff,
    ) -> StoreResult<bool> {
        digest_runs::claim(&self.writer, guild, period_start, now, lease, backoff).await
    }

    async fn record_digest_parts(
        &self,
        guild: GuildId,
        period_start: chrono::NaiveDate,
        message_ids: &[u64],
    ) -> StoreResult<()> {
        digest_runs::record_parts(&self.writer, guild, period_start, message_ids).await
    }

    async fn mark_digest_sent(
        &self,
        guild: GuildId,
        period_start: chrono::NaiveDate,
        message_ids: &[u64],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        digest_runs::mark_sent(&self.writer, guild, period_start, message_ids, now).await
    }

    async fn release_digest(
        &self,
        guild: GuildId,
        period_start: chrono::NaiveDate,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        digest_runs::release(&self.writer, guild, period_start, error, retry_at).await
    }

    async fn digest_run(
        &self,
        guild: GuildId,
        period_start: chrono::NaiveDate,
    ) -> StoreResult<Option<super::DigestRun>> {
        digest_runs::get(&self.reader, guild, period_start).await
    }

    async fn follow_ups_due(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<Vec<Entry>> {
        follow_ups::due_between(&self.reader, from, to).await
    }

    async fn claim_reminder(
        &self,
        key: &super::ReminderKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        reminders::claim(&self.writer, key, now, lease).await
    }

    async fn finish_reminder(
        &self,
        key: &super::ReminderKey,
        end: &super::ReminderEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        reminders::finish(&self.writer, key, end, now).await
    }

    async fn release_reminder(
        &self,
        key: &super::ReminderKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        reminders::release(&self.writer, key, error, retry_at).await
    }

    async fn reminder(&self, key: &super::ReminderKey) -> StoreResult<Option<super::ReminderRun>> {
        reminders::get(&self.reader, key).await
    }

    async fn undelivered_reminders(
        &self,
        guild: GuildId,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<Vec<super::ReminderRun>> {
        reminders::undelivered(&self.reader, guild, from, to).await
    }

    async fn save_digest_settings(
        &self,
        settings: &crate::domain::digest_settings::DigestSettings,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        digest_settings::save(&self.writer, settings, now).await
    }

    async fn digest_settings(
        &self,
        guild: GuildId,
    ) -> StoreResult<Option<crate::domain::digest_settings::DigestSettings>> {
        digest_settings::get(&self.reader, guild).await
    }

    async fn enabled_digests(&self) -> StoreResult<Vec<crate::domain::digest_settings::DigestSettings>> {
        digest_settings::enabled(&self.reader).await
    }

    async fn optimize(&self) -> StoreResult<()> {
        let mut conn = self.writer.acquire().await?;
        // Statistics for the planner (sampled: see ANALYSIS_LIMIT), then one merged full-text
        // segment: after a bulk load, single inserts otherwise pay for merging many small ones.
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        sqlx::query("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')").execute(&mut *conn).await?;
        // The merge went through the WAL (hundreds of MB at a million entries): copy it back and
        // give the space back now rather than keep a WAL that size for good.
        let _: (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut *conn).await?;
        Ok(())
    }

    async fn close(&self) {
        self.checkpointer.abort();
        self.reader.close().await;
        // Last: closing the last connection checkpoints the WAL into the database file.
        self.writer.close().await;
    }
}
