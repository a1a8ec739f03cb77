//! Persistence behind one trait. Callers hold an `Arc<dyn Store>` and never see SQL; each
//! backend converts Discord ids (u64) to SQL integers (i64) losslessly in [`ids`].

mod errors;
pub mod ids;
pub mod paging;
pub mod postgres;
pub mod sqlite;
mod url;

pub use url::redacted;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::department::DepartmentKeys;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::entry::{Entry, EntryEdit, NewEntry};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::search::{SearchPage, SearchQuery};
use crate::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use crate::domain::time_range::TimeRange;

/// `From<sqlx::Error>` (in `errors`) sorts connection failures into `Unavailable`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The server cannot be reached, or no connection came free in time: worth trying again later,
    /// and nothing the person asking did wrong.
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("could not apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL \"{0}\": use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    /// A stored row that no longer passes the domain's rules (edited by hand, say).
    #[error("entry {id} in the database is invalid: {reason}")]
    Corrupt { id: i64, reason: String },
    #[error("entry {0} already exists")]
    DuplicateId(EntryId),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which entries an export (or any listing) covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFilter {
    /// Bounds on `occurred_at`.
    pub occurred: Option<TimeRange>,
    /// Entries filed under any of these keys.
    pub department: Option<DepartmentKeys>,
}

/// Which open follow-ups to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpFilter {
    pub owner: Option<UserId>,
    /// Entries filed under any of these keys.
    pub department: Option<DepartmentKeys>,
    /// Only those due before this date (a date in the guild's timezone).
    pub overdue_on: Option<NaiveDate>,
}

/// The state of one guild's digest for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRun {
    pub period_start: NaiveDate,
    /// When the current claim was taken; `None` after a failed post gave it back.
    pub claimed_at: Option<DateTime<Utc>>,
    /// How many times it was claimed.
    pub attempts: u32,
    pub sent_at: Option<DateTime<Utc>>,
    pub message_ids: Vec<u64>,
    pub last_error: Option<String>,
    /// After a failed post, the earliest time it may be claimed again.
    pub retry_at: Option<DateTime<Utc>>,
}

/// Whether a claim waits out the backoff of an earlier failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backoff {
    /// The scheduler: not before `retry_at`.
    Honour,
    /// An admin asked for it now (having fixed what failed, say).
    Skip,
}

/// One follow-up reminder: a follow-up of an entry, for one due date. A new due date is a new
/// reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReminderKey {
    pub guild: GuildId,
    pub entry: EntryId,
    pub due: NaiveDate,
}

/// How a claimed reminder ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReminderEnd {
    Delivered {
        message_id: u64,
    },
    /// Discord refused the DM (the owner's DMs are closed, say): the next digest carries a line
    /// instead.
    Undeliverable {
        error: String,
    },
}

/// The state of one reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRun {
    pub key: ReminderKey,
    pub attempts: u32,
    /// When it was delivered or found undeliverable; `None` while pending.
    pub finished_at: Option<DateTime<Utc>>,
    pub end: Option<ReminderEnd>,
    pub last_error: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Stores a new entry and returns it with its id. Durable when it returns.
    async fn insert_entry(&self, entry: &NewEntry) -> StoreResult<Entry>;

    /// Stores entries with the ids they carry, all or none, in one transaction (import, and
    /// moving data between backends). An id that exists already fails the whole batch.
    async fn import_entries(&self, entries: &[Entry]) -> StoreResult<u64>;

    /// Which of `ids` exist already, in any guild (ids are global).
    async fn existing_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<EntryId>>;

    async fn entry(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Entry>>;

    /// Replaces the note and tags; `None` when no such entry in this guild.
    async fn edit_entry(&self, guild: GuildId, id: EntryId, edit: &EntryEdit) -> StoreResult<Option<Entry>>;

    /// `false` when no such entry in this guild.
    async fn delete_entry(&self, guild: GuildId, id: EntryId) -> StoreResult<bool>;

    /// Ranked full-text search (relevance combined with recency) when the query has words;
    /// newest first otherwise. Always within `guild`.
    async fn search(&self, guild: GuildId, query: &SearchQuery) -> StoreResult<SearchPage>;

    /// Up to `limit` entries with ids above `after`, in id order: keyset paging for exports.
    async fn entries_after(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<EntryId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>>;

    async fn count_entries(&self, guild: GuildId, filter: &EntryFilter) -> StoreResult<u64>;

    /// Entries that occurred in `range`, grouped by department (departments by name, entries
    /// oldest first): what the weekly digest is built from.
    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>>;

    /// Entries with an open follow-up, soonest due first.
    async fn open_follow_ups(&self, guild: GuildId, filter: &FollowUpFilter) -> StoreResult<Vec<Entry>>;

    /// Entries whose follow-up was marked done in `range`, in the order they were done.
    async fn follow_ups_done(&self, guild: GuildId, range: TimeRange) -> StoreResult<Vec<Entry>>;

    /// Marks a follow-up done at `at` (or open again with `None`); `None` when the entry does not
    /// exist in this guild or has no follow-up.
    async fn set_follow_up_done(
        &self,
        guild: GuildId,
        id: EntryId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<Entry>>;

    /// Entries that pass `filter` (occurred range, department), counted by `by`, largest first.
    async fn counts(&self, guild: GuildId, filter: &EntryFilter, by: CountBy) -> StoreResult<Vec<Count>>;

    /// The latest `occurred_at` of each department that has any entry.
    async fn last_heard(&self, guild: GuildId) -> StoreResult<Vec<LastHeard>>;

    /// Keeps a search (its request, serialised by the caller) for paging buttons; returns its id.
    async fn save_search(
        &self,
        guild: GuildId,
        user: UserId,
        payload: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;

    /// A saved search of this guild and when it was saved.
    async fn saved_search(&self, guild: GuildId, id: i64) -> StoreResult<Option<(String, DateTime<Utc>)>>;

    /// Claims the digest of (guild, period) for posting: `true` when the caller may post, that is
    /// when it was never claimed, or is unsent and its last claim is older than `lease`. Atomic
    /// across processes sharing the database.
    async fn claim_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        backoff: Backoff,
    ) -> StoreResult<bool>;

    /// Records the messages of a claimed digest posted so far, so that a retry after a failure
    /// part-way resumes after them instead of posting them again.
    async fn record_digest_parts(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
    ) -> StoreResult<()>;

    /// Records a claimed digest as posted.
    async fn mark_digest_sent(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Gives an unsent claim back after a failed post, keeping the error; it may be claimed again
    /// from `retry_at`.
    async fn release_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()>;

    async fn digest_run(&self, guild: GuildId, period_start: NaiveDate) -> StoreResult<Option<DigestRun>>;

    /// Open follow-ups due from `from` to `to` (inclusive) in every guild, soonest first: what
    /// the reminder scheduler walks. Never shown to a user as it is.
    async fn follow_ups_due(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Entry>>;

    /// Claims a reminder for sending, exactly like [`Store::claim_digest`]: `true` when it was
    /// never claimed, or is unfinished, its claim older than `lease` and its backoff over.
    async fn claim_reminder(
        &self,
        key: &ReminderKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool>;

    /// Records how a claimed reminder ended; final.
    async fn finish_reminder(
        &self,
        key: &ReminderKey,
        end: &ReminderEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Gives an unfinished claim back after a failure worth retrying, from `retry_at`.
    async fn release_reminder(
        &self,
        key: &ReminderKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()>;

    async fn reminder(&self, key: &ReminderKey) -> StoreResult<Option<ReminderRun>>;

    /// Reminders of this guild due from `from` to `to` (inclusive) that could not be delivered,
    /// oldest due first: the digest's fallback.
    async fn undelivered_reminders(
        &self,
        guild: GuildId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ReminderRun>>;

    /// Creates or replaces a guild's digest settings.
    async fn save_digest_settings(&self, settings: &DigestSettings, now: DateTime<Utc>) -> StoreResult<()>;

    /// A guild's digest settings; `None` until an admin has set them.
    async fn digest_settings(&self, guild: GuildId) -> StoreResult<Option<DigestSettings>>;

    /// Every guild whose digest is on: what the scheduler walks.
    async fn enabled_digests(&self) -> StoreResult<Vec<DigestSettings>>;

    /// Housekeeping after bulk loads: refresh planner statistics and merge full-text segments.
    async fn optimize(&self) -> StoreResult<()>;

    async fn close(&self);
}

/// Entries sorted by department into one group per department, in the order given.
pub(crate) fn group_by_department(entries: Vec<Entry>) -> Vec<DepartmentEntries> {
    let mut groups: Vec<DepartmentEntries> = Vec::new();
    for entry in entries {
        match groups.last_mut() {
            Some(group) if group.department == entry.department => group.entries.push(entry),
            _ => {
                groups.push(DepartmentEntries { department: entry.department.clone(), entries: vec![entry] })
            }
        }
    }
    groups
}

/// How to open a database server's pool. SQLite, embedded, keeps its own fixed pools (one writer,
/// a few readers) and ignores these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseOptions {
    /// The most connections one process holds open.
    pub max_connections: u32,
    /// How long start-up keeps retrying a server that does not answer before giving up.
    pub startup_wait: std::time::Duration,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        DatabaseOptions { max_connections: 10, startup_wait: std::time::Duration::from_secs(30) }
    }
}

/// Opens (creating and migrating where needed) the database a URL names, with default options.
pub async fn connect(url: &str) -> StoreResult<std::sync::Arc<dyn Store>> {
    connect_with(url, &DatabaseOptions::default()).await
}

/// As [`connect`]. The scheme picks the backend, so callers never name one.
pub async fn connect_with(url: &str, options: &DatabaseOptions) -> StoreResult<std::sync::Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(std::sync::Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(std::sync::Arc::new(postgres::PostgresStore::connect(url, options).await?))
    } else {
        Err(StoreError::UnsupportedUrl(redacted(url)))
    }
}
