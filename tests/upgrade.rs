//! Upgrading a database that has data: migrations 12 and 16 rebuild SQLite's `entries` table (to relax a
//! CHECK that retention needs). A database at migration 11 with entries, one of them the highest
//! id and deleted, and a follow-up, is opened by the current store: every entry reads back the
//! same, search still finds them (the full-text index survived the rebuild), and the next entry
//! is numbered above the deleted one, as AUTOINCREMENT promises. Migration 27 adds the terms
//! index, which entries written before it join through the backfill.

use std::borrow::Cow;
use std::path::Path;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::Executor;
use tempfile::TempDir;

use liaison::config::Config;
use liaison::domain::department::DepartmentKeys;
use liaison::domain::entry::{Author, NewEntry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::Note;
use liaison::domain::partner::{NewPartner, PartnerKind, PartnerName, PartnerProfile, PartnerStatus};
use liaison::domain::privacy::Share;
use liaison::domain::search::{SearchQuery, SearchTerms};
use liaison::domain::tag::Tag;
use liaison::domain::terms::{of_entry, Term};
use liaison::domain::time_range::TimeRange;
use liaison::service::terms;
use liaison::store::{self, EntryFilter};

/// The last migration before the rebuild.
const BEFORE_REBUILD: i64 = 20261205000011;
const GUILD: u64 = 7;

/// A SQLite database at `path` migrated up to `version`, as the release that shipped it left it.
async fn database_at(path: &Path, version: i64) -> SqlitePool {
    let options = SqliteConnectOptions::new().filename(path).create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let mut migrator =
        Migrator::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite")).await.unwrap();
    let older: Vec<_> = migrator.migrations.iter().filter(|m| m.version <= version).cloned().collect();
    assert!(older.len() < migrator.migrations.len(), "there is a migration after {version}");
    migrator.migrations = Cow::Owned(older);
    migrator.run(&pool).await.unwrap();
    pool
}

#[tokio::test]
async fn a_database_with_entries_upgrades_through_the_rebuild_unchanged() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.db");
    let pool = database_at(&path, BEFORE_REBUILD).await;
    // Rows as the version before wrote them: three entries, a follow-up on one, the last deleted.
    pool.execute(
        "INSERT INTO entries (guild_id, author_id, author_name, department, channel, informal, note, tags, \
         occurred_at, created_at, follow_up_owner, follow_up_due, follow_up_status) VALUES \
         (7, 42, 'Ada', 'History', 'coffee', 1, 'Walrus ivory catalogue query', 'special-collections', \
          1764000000000, 1764000000000, 42, '2026-12-10', 'open'), \
         (7, 43, 'Ben', 'Law', 'desk', 0, 'Westlaw outage again', '', 1764100000000, 1764100000000, NULL, NULL, NULL), \
         (7, 43, 'Ben', 'Law', 'desk', 0, 'deleted before the upgrade', '', 1764200000000, 1764200000000, NULL, NULL, NULL)",
    )
    .await
    .unwrap();
    pool.execute("DELETE FROM entries WHERE id = 3").await.unwrap();
    pool.close().await;

    let store = store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let all = store.entries_after(GuildId(GUILD), &EntryFilter::default(), None, 10).await.unwrap();
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), vec![EntryId(1), EntryId(2)]);
    assert_eq!(all[0].note.as_str(), "Walrus ivory catalogue query");
    assert_eq!(all[0].tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(), ["special-collections"]);
    assert_eq!(all[0].follow_up.as_ref().map(|f| f.due.to_string()), Some("2026-12-10".to_string()));
    assert_eq!((all[1].share, all[1].expired_at), (Share::Team, None));

    let search = |words: &str| {
        let query = SearchQuery { terms: SearchTerms::parse(words), ..SearchQuery::default() };
        let store = store.clone();
        async move { store.search(GuildId(GUILD), &query, chrono::Utc::now()).await.unwrap() }
    };
    assert_eq!(search("walrus").await.hits.iter().map(|h| h.entry.id).collect::<Vec<_>>(), vec![EntryId(1)]);
    assert_eq!(search("westlaw").await.total, 1);
    assert_eq!(search("deleted").await.total, 0);

    let config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml")).unwrap();
    let rules = &config.rules;
    let at = chrono::Utc::now();
    let added = store
        .insert_entry(&NewEntry {
            also_departments: Vec::new(),
            partners: Vec::new(),
            guild: GuildId(GUILD),
            author: Author { id: UserId(42), name: "Ada".into() },
            department: rules.departments.resolve("History").unwrap().clone(),
            channel: rules.channels.resolve("desk").unwrap().clone(),
            note: Note::clean("after the upgrade", &rules.redactor).unwrap().note,
            tags: Vec::new(),
            occurred_at: at,
            created_at: at,
            follow_up: None,
            source: None,
            redactions: 0,
            share: Share::Team,
        })
        .await
        .unwrap();
    assert_eq!(added.id, EntryId(4), "never the deleted #3 again");
    assert_eq!(search("upgrade").await.total, 1);
}

/// The last migration before partners (16) rebuilt SQLite's `entries` a second time, to add the
/// link facet tokens to the full-text index.
const BEFORE_PARTNERS: i64 = 20261205000015;

/// A database at migration 15 with a private entry, an expired one and a deleted highest id is
/// opened by the current store: every entry reads back as before, with no links; search by word
/// and by department still works (the full-text index survived); and an entry captured
/// afterwards with another department and a partner is found under each.
#[tokio::test]
async fn a_database_with_entries_upgrades_through_the_partners_rebuild() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.db");
    let pool = database_at(&path, BEFORE_PARTNERS).await;
    pool.execute(
        "INSERT INTO entries (guild_id, author_id, author_name, department, channel, informal, note, tags, \
         occurred_at, created_at, share, expired_at) VALUES \
         (7, 42, 'Ada', 'History', 'coffee', 1, 'Walrus ivory catalogue query', 'special-collections', \
          1764000000000, 1764000000000, 'private', NULL), \
         (7, 43, 'Ben', 'Law', 'desk', 0, '', '', 1764100000000, 1764100000000, 'team', 1764100000001), \
         (7, 43, 'Ben', 'Law', 'desk', 0, 'deleted before the upgrade', '', 1764200000000, 1764200000000, 'team', NULL)",
    )
    .await
    .unwrap();
    pool.execute("DELETE FROM entries WHERE id = 3").await.unwrap();
    pool.close().await;

    let store = store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let guild = GuildId(GUILD);
    let all = store.entries_after(guild, &EntryFilter::default(), None, 10).await.unwrap();
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), vec![EntryId(1), EntryId(2)]);
    assert_eq!((all[0].share, all[0].note.as_str()), (Share::Private, "Walrus ivory catalogue query"));
    assert!(all[1].expired_at.is_some());
    assert!(all.iter().all(|e| e.also_departments.is_empty() && e.partners.is_empty()));

    let config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml")).unwrap();
    let rules = &config.rules;
    let history = rules.departments.resolve("History").unwrap().clone();
    let law = rules.departments.resolve("Law").unwrap().clone();
    let search = |words: &str, department: Option<&liaison::domain::department::Department>, partner| {
        let query = SearchQuery {
            terms: SearchTerms::parse(words),
            text: words.to_string(),
            department: department.map(|d| DepartmentKeys::one(d.key().clone())),
            partner,
            ..SearchQuery::default()
        };
        let store = store.clone();
        async move {
            let page = store.search(guild, &query, chrono::Utc::now()).await.unwrap();
            page.hits.iter().map(|h| h.entry.id.0).collect::<Vec<_>>()
        }
    };
    assert_eq!(search("walrus", None, None).await, vec![1]);
    assert_eq!(search("walrus", Some(&history), None).await, vec![1]);
    assert_eq!(search("", Some(&law), None).await, vec![2]);

    let at = chrono::Utc::now();
    let partner = store
        .insert_partner(&NewPartner {
            guild,
            profile: PartnerProfile {
                kind: PartnerKind::Person,
                name: PartnerName::parse("Dr A. Field").unwrap(),
                departments: vec![history.key().clone()],
                owners: vec![UserId(42)],
                notes: String::new(),
                link: None,
                status: PartnerStatus::Active,
            },
            created_by: UserId(42),
            created_at: at,
        })
        .await
        .unwrap();
    let added = store
        .insert_entry(&NewEntry {
            also_departments: vec![law.clone()],
            partners: vec![partner.link()],
            guild,
            author: Author { id: UserId(42), name: "Ada".into() },
            department: history.clone(),
            channel: rules.channels.resolve("coffee").unwrap().clone(),
            note: Note::clean("Library Carpentry workshop co-delivered", &rules.redactor).unwrap().note,
            tags: Vec::new(),
            occurred_at: at,
            created_at: at,
            follow_up: None,
            source: None,
            redactions: 0,
            share: Share::Team,
        })
        .await
        .unwrap();
    assert_eq!(added.id, EntryId(4), "never the deleted #3 again");
    assert_eq!(search("carpentry", Some(&law), None).await, vec![4], "found under its other department");
    assert_eq!(search("carpentry", None, Some(partner.id)).await, vec![4], "found by its partner");
    assert_eq!(search("walrus", None, Some(partner.id)).await, Vec::<i64>::new());
}

/// The last migration before the terms index (27).
const BEFORE_TERMS: i64 = 20261208000026;

/// A database at migration 26 with a team entry, a private one, an expired one and a deleted one
/// is opened by the current store: no entry holds terms yet, so none is found by them; the
/// backfill (`service::terms::index_stale`, as the bot, `migrate` and `import` run it) indexes
/// the three left, reporting its progress, after which the team entry alone is found, by its words
/// and its tag, and a second run has nothing to do.
#[tokio::test]
async fn a_database_with_entries_upgrades_to_the_terms_index_and_is_backfilled() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.db");
    let pool = database_at(&path, BEFORE_TERMS).await;
    pool.execute(
        "INSERT INTO entries (guild_id, author_id, author_name, department, channel, informal, note, tags, \
         occurred_at, created_at, share, expired_at) VALUES \
         (7, 42, 'Ada', 'History', 'coffee', 1, 'Walrus ivory catalogue query', 'special-collections', \
          1764000000000, 1764000000000, 'team', NULL), \
         (7, 42, 'Ada', 'History', 'desk', 0, 'Walrus ivory, privately', '', 1764100000000, 1764100000000, 'private', NULL), \
         (7, 43, 'Ben', 'Law', 'desk', 0, '', '', 1764100000000, 1764100000000, 'team', 1764100000001), \
         (7, 43, 'Ben', 'Law', 'desk', 0, 'Walrus deleted before the upgrade', '', 1764200000000, 1764200000000, 'team', NULL)",
    )
    .await
    .unwrap();
    pool.execute("DELETE FROM entries WHERE id = 4").await.unwrap();
    pool.close().await;

    let store = store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let guild = GuildId(GUILD);
    let window = TimeRange::new(
        chrono::DateTime::from_timestamp_millis(1763000000000).unwrap(),
        chrono::DateTime::from_timestamp_millis(1765000000000).unwrap(),
    );
    let walrus = of_entry("walrus", &[]).remove(0).term;
    let tag = Term::tag(&Tag::parse("special-collections").unwrap());
    let found = |terms: Vec<Term>| {
        let (store, window) = (store.clone(), window);
        async move {
            let postings = store.entries_with_terms(guild, &terms, &window, 10).await.unwrap();
            postings
                .into_iter()
                .map(|p| p.entries.iter().map(|e| e.0).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found(vec![walrus.clone()]).await, vec![Vec::<i64>::new()]);

    let mut seen = Vec::new();
    let indexed = terms::index_stale(store.as_ref(), &mut |n| seen.push(n)).await.unwrap();
    assert_eq!(indexed, 3);
    assert_eq!(seen, vec![3]);
    assert_eq!(found(vec![walrus, tag]).await, vec![vec![1], vec![1]]);
    assert_eq!(store.indexed_entries(guild, &window, 10).await.unwrap(), 1);
    assert_eq!(terms::index_stale(store.as_ref(), &mut |_| {}).await.unwrap(), 0);
}
