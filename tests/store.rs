//! The store conformance suite: every test runs against SQLite (a fresh file in a temporary
//! directory, always) and against PostgreSQL (a fresh database on the server `TEST_DATABASE_URL`
//! names; ignored without one, failing on CI without one). Both backends must give the same
//! answers; a test that can only mean something for one backend lives in `sqlite_only` or
//! `postgres_only` and says why.
//!
//! Run one half: `cargo test --test store sqlite::` or `cargo test --test store postgres::`.

#[path = "store/harness.rs"]
mod harness;

#[path = "store/canonical.rs"]
mod canonical;
#[path = "store/capture_keys.rs"]
mod capture_keys;
#[path = "store/claims.rs"]
mod claims;
#[path = "store/department_settings.rs"]
mod department_settings;
#[path = "store/departures.rs"]
mod departures;
#[path = "store/edits.rs"]
mod edits;
#[path = "store/entries.rs"]
mod entries;
#[path = "store/erasure.rs"]
mod erasure;
#[path = "store/event_prompts.rs"]
mod event_prompts;
#[path = "store/events.rs"]
mod events;
#[path = "store/follow_ups.rs"]
mod follow_ups;
#[path = "store/hand_offs.rs"]
mod hand_offs;
#[path = "store/impact.rs"]
mod impact;
#[path = "store/links.rs"]
mod links;
#[path = "store/locales.rs"]
mod locales;
#[path = "store/partners.rs"]
mod partners;
#[path = "store/postgres_only.rs"]
mod postgres_only;
#[path = "store/privacy.rs"]
mod privacy;
#[path = "store/private.rs"]
mod private;
#[path = "store/related_notices.rs"]
mod related_notices;
#[path = "store/reminders.rs"]
mod reminders;
#[path = "store/renamed.rs"]
mod renamed;
#[path = "store/report.rs"]
mod report;
#[path = "store/retention.rs"]
mod retention;
#[path = "store/saved_searches.rs"]
mod saved_searches;
#[path = "store/search.rs"]
mod search;
#[path = "store/sqlite_only.rs"]
mod sqlite_only;
#[path = "store/suggestions.rs"]
mod suggestions;
#[path = "store/terms.rs"]
mod terms;
#[path = "store/unreadable.rs"]
mod unreadable;

use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use liaison::domain::channel::{Channel, ChannelCatalogue, ChannelSpec};
use liaison::domain::department::{
    Department, DepartmentCatalogue, DepartmentKey, DepartmentKeys, DepartmentSpec,
};
use liaison::domain::entry::{Author, Entry, NewEntry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::Note;
use liaison::domain::search::{SearchPage, SearchQuery, SearchTerms};
use liaison::domain::tag::Tag;

use harness::Db;

/// Top bit set: stored as a negative i64.
pub const A: GuildId = GuildId(u64::MAX);
/// Small, so that its facet token is the `g2` a hostile query spells out.
pub const B: GuildId = GuildId(2);
pub const ADA: UserId = UserId(u64::MAX - 1);
pub const BEN: UserId = UserId(42);

impl Db {
    pub async fn add(&self, entry: NewEntry) -> Entry {
        self.store.insert_entry(&entry).await.expect("insert")
    }

    pub async fn search(&self, guild: GuildId, query: &SearchQuery) -> SearchPage {
        self.store.search(guild, query, now()).await.expect("search")
    }
}

pub fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

/// The tests' clock: after every entry they make, so that recency ranks as it would in use.
pub fn now() -> DateTime<Utc> {
    t(30, 12)
}

/// The departments entries are filed under here. `History and Classics` stands for `History`
/// renamed: the store sees only two keys, and a filter on both must find either.
pub fn department(name: &str) -> Department {
    static CATALOGUE: OnceLock<DepartmentCatalogue> = OnceLock::new();
    let catalogue = CATALOGUE.get_or_init(|| {
        let spec = |name: &str| DepartmentSpec { name: name.to_string(), aliases: Vec::new() };
        DepartmentCatalogue::new(["History", "History and Classics", "Physics", "Art"].map(spec).to_vec())
            .expect("valid catalogue")
    });
    catalogue.resolve(name).expect("a department of the test catalogue").clone()
}

/// `desk` and `email` are formal, `coffee` informal.
pub fn channel(key: &str) -> Channel {
    static CATALOGUE: OnceLock<ChannelCatalogue> = OnceLock::new();
    let catalogue = CATALOGUE.get_or_init(|| {
        let spec =
            |(key, informal): (&str, bool)| ChannelSpec { key: key.into(), name: key.into(), informal };
        ChannelCatalogue::new(
            [("desk", false), ("coffee", true), ("email", false)].map(spec).to_vec(),
            "desk",
        )
        .expect("valid catalogue")
    });
    catalogue.resolve(key).expect("a channel of the test catalogue").clone()
}

/// A filter on entries filed under any of `names`.
pub fn filed_under(names: &[&str]) -> Option<DepartmentKeys> {
    DepartmentKeys::from_keys(names.iter().map(|n| DepartmentKey::from_stored(*n)))
}

pub fn new(guild: GuildId, note: &str) -> NewEntry {
    NewEntry {
        also_departments: Vec::new(),
        partners: Vec::new(),
        guild,
        author: Author { id: ADA, name: "Ada".to_string() },
        department: department("History"),
        channel: channel("desk"),
        note: Note::parse(note).unwrap(),
        tags: Vec::new(),
        occurred_at: t(2, 10),
        created_at: t(2, 10),
        follow_up: None,
        source: None,
        redactions: 0,
        share: liaison::domain::privacy::Share::Team,
    }
}

pub fn tags(list: &[&str]) -> Vec<Tag> {
    list.iter().map(|t| Tag::parse(t).unwrap()).collect()
}

pub fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        terms: SearchTerms::parse(text),
        per_page: 50,
        ..SearchQuery::default()
    }
}

pub fn ids(page: &SearchPage) -> Vec<EntryId> {
    page.hits.iter().map(|h| h.entry.id).collect()
}

pub fn entry_ids(entries: &[Entry]) -> Vec<EntryId> {
    entries.iter().map(|e| e.id).collect()
}
