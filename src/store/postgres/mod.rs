//! The PostgreSQL backend: for deployments that outgrow one machine, several bot processes sharing
//! one database. Same meaning as the SQLite backend, method for method; the conformance suite
//! (`tests/store.rs`) runs against both.
//!
//! This file holds only the store itself and how it opens. As in `sqlite/`, each concern's trait
//! of `store/` is implemented in the file of the same name (`entries`, `search`, `follow_ups`,
//! `stats`, `saved_searches`, `digest_runs`, `digest_settings`, `reminders`, `capture_keys`,
//! `maintenance`, `privacy`, `retention`), so a new concern is a new file, not a longer list here. `rows` reads
//! PostgreSQL's native columns into the records `store::rows` makes domain values of; `search`
//! leans on `newest` (the window, by id bucket) and `headline` (snippets). The schema and its
//! reasons are in `migrations/postgres/`; `connect` opens the pool, waiting for a server that is
//! not up yet.

mod capture_keys;
mod claims;
mod connect;
mod department_settings;
mod departures;
mod digest_runs;
mod digest_settings;
mod entries;
mod erasure;
mod event_prompts;
mod events;
mod filters;
mod follow_ups;
mod hand_offs;
mod headline;
mod impact;
mod liaisons;
mod links;
mod locales;
mod maintenance;
mod newest;
mod partners;
mod privacy;
mod related_notices;
mod reminders;
mod retention;
mod rows;
mod saved_searches;
mod search;
mod stats;
mod suggestions;
mod terms;

use sqlx::PgPool;

use super::{DatabaseOptions, StoreResult};

pub struct PostgresStore {
    pool: PgPool,
    window: usize,
    /// A partner with at most this many links is searched through them (`newest`).
    partner_walk: u32,
}

impl PostgresStore {
    /// Opens `postgres://...`, waiting up to `options.startup_wait` for a server that is not up
    /// yet, and applies pending migrations (one process at a time: sqlx holds an advisory lock).
    pub async fn connect(url: &str, options: &DatabaseOptions) -> StoreResult<Self> {
        let pool = connect::pool(url, options).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PostgresStore { pool, window: search::DEFAULT_WINDOW, partner_walk: newest::PARTNER_WALK })
    }

    /// How many of the newest matches a ranked search ranks (and the most `total` counts to), as
    /// `SqliteStore::with_search_window`.
    pub fn with_search_window(mut self, rows: usize) -> Self {
        self.window = rows.max(1);
        self
    }

    /// The most links a partner may have for a ranked search filtered to it to read them rather
    /// than the id buckets (`newest`'s `PARTNER_WALK` unless set). 0 always reads the buckets, so
    /// that the conformance tests cover both ways.
    pub fn with_partner_walk(mut self, links: u32) -> Self {
        self.partner_walk = links;
        self
    }
}
