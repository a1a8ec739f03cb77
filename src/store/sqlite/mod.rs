//! The SQLite backend: embedded, created on first use, WAL, FTS5 for search.
//!
//! This file holds only the store itself and how it opens. Each concern's trait of `store/` is
//! implemented in the file of the same name here (`entries`, `search`, `follow_ups`, `stats`,
//! `saved_searches`, `digest_runs`, `digest_settings`, `reminders`, `capture_keys`, `maintenance`,
//! `privacy`, `retention`), so the SQL of a concern sits with nothing else and a new concern is a
//! new file, not a longer list here.
//! `rows` reads SQLite's columns (unix milliseconds, date text) into the records `store::rows`
//! makes domain values of; `search` leans on `facets`, `rank` and `snippet`; `plans` tests the
//! query plans that must not depend on statistics. The schema and its reasons are in
//! `migrations/sqlite/`; measured numbers in `docs/benchmarks.md`.

mod capture_keys;
mod claims;
mod department_settings;
mod departures;
mod digest_runs;
mod digest_settings;
mod entries;
mod erasure;
mod event_prompts;
mod events;
mod facets;
mod follow_ups;
mod hand_offs;
mod impact;
mod liaisons;
mod links;
mod locales;
mod maintenance;
mod partners;
#[cfg(test)]
mod plans;
mod privacy;
mod rank;
mod related_notices;
mod reminders;
mod retention;
mod rows;
mod saved_searches;
mod search;
mod snippet;
mod stats;
mod suggestions;
mod terms;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{SqliteSync, StoreResult};

/// Readers run beside the writer in WAL mode; a bot and its digest need few at once.
const READERS: u32 = 4;

/// Rows a reader's worker thread may read before the task takes them: a walk's page.
const READ_AHEAD_ROWS: usize = super::paging::WALK_PAGE as usize;
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
    /// Opens `sqlite://PATH` with every commit synced to disk ([`SqliteSync::Full`]), creating
    /// the file if needed, and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        Self::open(url, SqliteSync::Full).await
    }

    /// As [`SqliteStore::connect`], syncing commits as `sync` says.
    pub async fn open(url: &str, sync: SqliteSync) -> StoreResult<Self> {
        let synchronous = match sync {
            // In WAL mode FULL syncs the WAL at each commit, so a commit survives a power cut.
            SqliteSync::Full => SqliteSynchronous::Full,
            // NORMAL syncs at checkpoints only: a committed write survives the process being
            // killed (the WAL is in the OS's hands), though not necessarily a power cut.
            SqliteSync::Normal => SqliteSynchronous::Normal,
        };
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .analysis_limit(ANALYSIS_LIMIT)
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
            // Reads straight from the OS page cache instead of copying each page into SQLite's
            // small per-connection cache: 25 to 40% off search latency at 100k entries.
            .pragma("mmap_size", MMAP_BYTES)
            // Deleted content is overwritten with zeros: a note cleared by retention or erased
            // must not linger in the file's free space for anyone who copies it. (Old copies of a
            // page in the WAL are overwritten as the WAL is reused after checkpoints.)
            .pragma("secure_delete", "ON");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // Keeps planner statistics fresh as the data grows, at no cost to any request.
            .connect_with(options.clone().optimize_on_close(true, ANALYSIS_LIMIT))
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&writer).await?;
        // Analyses only tables whose statistics are missing or stale, within ANALYSIS_LIMIT.
        sqlx::query("PRAGMA optimize = 0x10002").execute(&writer).await?;
        // A reader's worker thread may run a whole page ahead of the task reading it: a walk over
        // many pages (a report, the export) reads the next page while writing this one
        // (`service::pages`), and with sqlx's default of 50 rows the worker stopped at the 50th.
        let reader = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(options.row_buffer_size(READ_AHEAD_ROWS))
            .await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What SQLite itself reports for the writer's connection: 2 is FULL, 1 is NORMAL.
    async fn synchronous(store: &SqliteStore) -> i64 {
        let (level,): (i64,) =
            sqlx::query_as("PRAGMA synchronous").fetch_one(&store.writer).await.expect("pragma");
        level
    }

    #[tokio::test]
    async fn commits_are_synced_to_disk_by_default_and_at_checkpoints_when_asked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("sync.db").display());
        let store = SqliteStore::connect(&url).await.expect("open");
        assert_eq!(synchronous(&store).await, 2);
        crate::store::MaintenanceStore::close(&store).await;
        let store = SqliteStore::open(&url, SqliteSync::Normal).await.expect("reopen");
        assert_eq!(synchronous(&store).await, 1);
        crate::store::MaintenanceStore::close(&store).await;
    }

    #[tokio::test]
    async fn every_connection_overwrites_what_it_deletes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("secure.db").display());
        let store = SqliteStore::connect(&url).await.expect("open");
        for pool in [&store.writer, &store.reader] {
            let (on,): (i64,) = sqlx::query_as("PRAGMA secure_delete").fetch_one(pool).await.expect("pragma");
            assert_eq!(on, 1);
        }
        crate::store::MaintenanceStore::close(&store).await;
    }
}
