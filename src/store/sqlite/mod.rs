//! The SQLite backend: embedded, created on first use, WAL, FTS5 for search.
//!
//! One module per concern: `rows` maps rows to domain values, `entries` writes and lists them,
//! `search` (with `facets` and `rank`) searches, `follow_ups` and `stats` serve the digest and
//! `/stats`. The schema and its reasons are in `migrations/sqlite/`; measured numbers in
//! `docs/benchmarks.md`.

mod entries;
mod facets;
mod follow_ups;
mod rank;
mod rows;
mod search;
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

/// Readers run beside the one writer in WAL mode; a bot and its digest need few at once.
const MAX_CONNECTIONS: u32 = 4;
/// How long a writer waits for another before giving up with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Rows per index that ANALYZE and `PRAGMA optimize` sample: statistics good enough to plan by,
/// gathered in milliseconds even at millions of rows (SQLite's recommended value).
const ANALYSIS_LIMIT: u32 = 400;

pub struct SqliteStore {
    pool: sqlx::SqlitePool,
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
            // Keeps planner statistics fresh as the data grows, at no cost to any request.
            .optimize_on_close(true, ANALYSIS_LIMIT);
        let pool = SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS).connect_with(options).await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        // Analyses only tables whose statistics are missing or stale, within ANALYSIS_LIMIT.
        sqlx::query("PRAGMA optimize = 0x10002").execute(&pool).await?;
        Ok(SqliteStore { pool, window: search::DEFAULT_WINDOW })
    }

    /// How many of the newest matches a ranked search ranks (and the most `total` counts to).
    /// Larger windows reach further back for common words and cost proportionally more.
    pub fn with_search_window(mut self, rows: usize) -> Self {
        self.window = rows.max(1);
        self
    }
}

#[async_trait]
impl Store for SqliteStore {
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

    async fn optimize(&self) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        // Statistics for the planner (sampled: see ANALYSIS_LIMIT), then one merged full-text
        // segment: after a bulk load, single inserts otherwise pay for merging many small ones.
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        sqlx::query("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')").execute(&mut *conn).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await
    }
}
