//! Persistence, one trait per concern (entries, capture keys, search, follow-ups, stats, saved searches, digest
//! runs and settings, reminders, maintenance, privacy, retention, erasure, departures,
//! partners, liaisons, hand-offs, impact stories), each in its own file with
//! the types that belong to
//! it. `Store` is their union, so callers hold one `Arc<dyn Store>` and never see SQL, while a new
//! concern arrives as a new trait in a new file instead of growing one long list.
//!
//! Each backend (`sqlite/`, `postgres/`) implements each trait in that concern's file. Rows become
//! domain values once, in `rows`, whichever backend read them; each backend decodes only its
//! own column types; a row that cannot be decoded is left out of every listing and logged by its
//! id. Discord ids (u64) become SQL integers (i64) losslessly in [`ids`].

mod capture_keys;
mod claims;
mod department_settings;
mod departures;
mod digest_runs;
mod digest_settings;
mod entries;
mod erasure;
mod errors;
mod event_prompts;
mod events;
mod follow_ups;
mod hand_offs;
pub mod ids;
pub(crate) mod impact;
mod liaisons;
mod locales;
mod maintenance;
pub mod paging;
pub(crate) mod partners;
pub mod postgres;
mod privacy;
mod reminders;
mod retention;
mod rows;
mod saved_searches;
mod search;
pub mod sqlite;
mod stats;
mod suggestions;
pub(crate) mod terms;
mod url;

pub use crate::domain::impact::ImpactLine;
pub use capture_keys::{CaptureKey, CaptureKeyStore, Inserted, KEEP_CAPTURE_KEYS};
pub use claims::{ClaimEnd, ClaimRows, ClaimTable, KeyValue};
pub use department_settings::DepartmentSettingsStore;
pub use departures::DepartureStore;
pub use digest_runs::{Backoff, DigestRun, DigestRunStore};
pub use digest_settings::DigestSettingsStore;
pub use entries::{EntryFilter, EntryStore, Stored, TimeCursor};
pub use erasure::{ErasureStore, Rewrite};
pub use errors::{StoreError, StoreResult};
pub use event_prompts::{EventPrompt, EventPromptEnd, EventPromptKey, EventPromptStore};
pub use events::EventStore;
pub use follow_ups::{FollowUpFilter, FollowUpStore};
pub(crate) use hand_offs::HandOffRecord;
pub use hand_offs::{HandOff, HandOffEnd, HandOffKey, HandOffStore, HandOffTake};
pub use impact::{ImpactDate, ImpactStore};
pub use liaisons::LiaisonStore;
pub use locales::GuildLocaleStore;
pub use maintenance::MaintenanceStore;
pub use partners::{
    LastContact, PartnerFilter, PartnerStore, PartnerSummary, PartnerWriteError, TimelinePage,
};
pub use privacy::PrivacyStore;
pub use reminders::{ReminderEnd, ReminderKey, ReminderRun, ReminderStore};
pub use retention::RetentionStore;
pub use saved_searches::{SavedSearchStore, KEEP_SAVED_SEARCHES};
pub use search::SearchStore;
pub use stats::StatsStore;
pub use suggestions::{LastUsed, SuggestionStore, TagUse};
pub use terms::{indexed_terms, Postings, TermStore, MAX_LOOKUP_TERMS};
pub use url::redacted;

/// Everything a backend stores. Implemented for every type that implements each concern, so a
/// backend never names it; `Arc<dyn Store>` reaches every concern's methods.
pub trait Store:
    EntryStore
    + CaptureKeyStore
    + SearchStore
    + FollowUpStore
    + StatsStore
    + SavedSearchStore
    + DigestRunStore
    + DigestSettingsStore
    + ReminderStore
    + MaintenanceStore
    + PrivacyStore
    + DepartureStore
    + RetentionStore
    + ErasureStore
    + PartnerStore
    + LiaisonStore
    + HandOffStore
    + ImpactStore
    + EventStore
    + EventPromptStore
    + DepartmentSettingsStore
    + SuggestionStore
    + GuildLocaleStore
    + TermStore
{
}

impl<T> Store for T where
    T: EntryStore
        + CaptureKeyStore
        + SearchStore
        + FollowUpStore
        + StatsStore
        + SavedSearchStore
        + DigestRunStore
        + DigestSettingsStore
        + ReminderStore
        + MaintenanceStore
        + PrivacyStore
        + DepartureStore
        + RetentionStore
        + ErasureStore
        + PartnerStore
        + LiaisonStore
        + HandOffStore
        + ImpactStore
        + EventStore
        + EventPromptStore
        + DepartmentSettingsStore
        + SuggestionStore
        + GuildLocaleStore
        + TermStore
        + ?Sized
{
}

/// How to open the database. The pool settings are a server's; SQLite, embedded, keeps its own
/// fixed pools (one writer, a few readers) and reads only `sqlite_sync`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseOptions {
    /// The most connections one process holds open.
    pub max_connections: u32,
    /// How long start-up keeps retrying a server that does not answer before giving up.
    pub startup_wait: std::time::Duration,
    /// When SQLite's commits reach the disk.
    pub sqlite_sync: SqliteSync,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        DatabaseOptions {
            max_connections: 10,
            startup_wait: std::time::Duration::from_secs(30),
            sqlite_sync: SqliteSync::Full,
        }
    }
}

/// How far a committed SQLite write is durable when the store returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    /// Each commit is synced to disk: it survives a power cut or an operating-system crash, as
    /// [`EntryStore::insert_entry`]'s "durable when it returns" promises. Costs an fsync per commit.
    Full,
    /// Synced at checkpoints only (WAL): a commit survives the process being killed, not
    /// necessarily a power cut. For machines whose disks make fsync slow, by choice.
    Normal,
}

/// Opens (creating and migrating where needed) the database a URL names, with default options.
pub async fn connect(url: &str) -> StoreResult<std::sync::Arc<dyn Store>> {
    connect_with(url, &DatabaseOptions::default()).await
}

/// As [`connect`]. The scheme picks the backend, so callers never name one.
pub async fn connect_with(url: &str, options: &DatabaseOptions) -> StoreResult<std::sync::Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(std::sync::Arc::new(sqlite::SqliteStore::open(url, options.sqlite_sync).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(std::sync::Arc::new(postgres::PostgresStore::connect(url, options).await?))
    } else {
        Err(StoreError::UnsupportedUrl(redacted(url)))
    }
}
