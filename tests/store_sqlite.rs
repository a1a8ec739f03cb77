//! The SQLite store against a real database file in a temporary directory.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use liaison::domain::entry::{Author, Entry, EntryEdit, FollowUp, FollowUpStatus, NewEntry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::Note;
use liaison::domain::search::{SearchPage, SearchQuery, SearchTerms, HIGHLIGHT_END, HIGHLIGHT_START};
use liaison::domain::stats::CountBy;
use liaison::domain::tag::Tag;
use liaison::domain::time_range::TimeRange;
use liaison::store::sqlite::SqliteStore;
use liaison::store::{Backoff, EntryFilter, FollowUpFilter, Store, StoreError};
use tempfile::TempDir;

/// Top bit set: stored as a negative i64.
const A: GuildId = GuildId(u64::MAX);
/// Small, so that its facet token is the `g2` a hostile query spells out.
const B: GuildId = GuildId(2);
const ADA: UserId = UserId(u64::MAX - 1);
const BEN: UserId = UserId(42);

struct Db {
    dir: TempDir,
    store: SqliteStore,
}

impl Db {
    async fn new() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::connect(&url(&dir)).await.expect("connect");
        Db { dir, store }
    }

    async fn add(&self, entry: NewEntry) -> Entry {
        self.store.insert_entry(&entry).await.expect("insert")
    }

    async fn search(&self, guild: GuildId, query: &SearchQuery) -> SearchPage {
        self.store.search(guild, query).await.expect("search")
    }
}

fn url(dir: &TempDir) -> String {
    format!("sqlite://{}", dir.path().join("liaison.db").display())
}

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn new(guild: GuildId, note: &str) -> NewEntry {
    NewEntry {
        guild,
        author: Author { id: ADA, name: "Ada".to_string() },
        department: "History".to_string(),
        channel: "desk".to_string(),
        informal: false,
        note: Note::parse(note).unwrap(),
        tags: Vec::new(),
        occurred_at: t(2, 10),
        created_at: t(2, 10),
        follow_up: None,
        source: None,
        redactions: 0,
    }
}

fn tags(list: &[&str]) -> Vec<Tag> {
    list.iter().map(|t| Tag::parse(t).unwrap()).collect()
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        terms: SearchTerms::parse(text),
        per_page: 50,
        ..SearchQuery::default()
    }
}

fn ids(page: &SearchPage) -> Vec<EntryId> {
    page.hits.iter().map(|h| h.entry.id).collect()
}

fn entry_ids(entries: &[Entry]) -> Vec<EntryId> {
    entries.iter().map(|e| e.id).collect()
}

#[tokio::test]
async fn an_entry_round_trips_every_field_including_the_top_bit_of_ids() {
    let db = Db::new().await;
    let stored = db
        .add(NewEntry {
            author: Author { id: UserId(u64::MAX), name: "Zoë O'Neill".to_string() },
            informal: true,
            tags: tags(&["open-access", "eebo"]),
            occurred_at: Utc.timestamp_millis_opt(1_790_000_000_123).unwrap(),
            follow_up: Some(FollowUp::open(UserId(u64::MAX), NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())),
            source: Some("https://discord.com/channels/1/2/3".to_string()),
            redactions: 2,
            ..new(A, "Three PhD students asked for EEBO training")
        })
        .await;
    assert_eq!(stored.guild, A);
    assert_eq!(stored.author.id, UserId(u64::MAX));
    assert_eq!(stored.follow_up.as_ref().unwrap().owner, UserId(u64::MAX));
    assert_eq!(stored.occurred_at.timestamp_millis(), 1_790_000_000_123);
    assert_eq!(stored.tags, tags(&["open-access", "eebo"]));
    assert!(stored.informal);
    assert_eq!(stored.updated_at, None);
    let read = db.store.entry(A, stored.id).await.unwrap().unwrap();
    assert_eq!(read, stored);
}

#[tokio::test]
async fn times_are_kept_to_the_millisecond() {
    let db = Db::new().await;
    let precise = Utc.timestamp_nanos(1_790_000_000_123_456_789);
    let stored = db.add(NewEntry { occurred_at: precise, ..new(A, "note") }).await;
    assert_eq!(stored.occurred_at, Utc.timestamp_millis_opt(1_790_000_000_123).unwrap());
}

#[tokio::test]
async fn ids_of_deleted_entries_are_not_handed_out_again() {
    let db = Db::new().await;
    let first = db.add(new(A, "one")).await;
    let second = db.add(new(A, "two")).await;
    assert!(db.store.delete_entry(A, second.id).await.unwrap());
    let third = db.add(new(A, "three")).await;
    assert!(first.id < second.id && second.id < third.id);
}

#[tokio::test]
async fn a_row_that_fails_the_domain_rules_is_reported_as_corrupt() {
    let db = Db::new().await;
    let e = db.add(new(A, "fine")).await;
    let pool = sqlx::SqlitePool::connect(&url(&db.dir)).await.unwrap();
    sqlx::query("UPDATE entries SET note = '   ' WHERE id = ?").bind(e.id.0).execute(&pool).await.unwrap();
    match db.store.entry(A, e.id).await {
        Err(StoreError::Corrupt { id, .. }) => assert_eq!(id, e.id.0),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    pool.close().await;
}

#[tokio::test]
async fn edit_replaces_the_text_and_keeps_search_in_sync() {
    let db = Db::new().await;
    let e = db.add(NewEntry { tags: tags(&["loans"]), ..new(A, "Asked about interlibrary loans") }).await;
    let edit = EntryEdit {
        note: Note::parse("Asked about thesis binding").unwrap(),
        tags: tags(&["theses"]),
        redactions: 1,
        updated_at: t(3, 9),
    };
    let edited = db.store.edit_entry(A, e.id, &edit).await.unwrap().unwrap();
    assert_eq!(edited.note.as_str(), "Asked about thesis binding");
    assert_eq!(edited.tags, tags(&["theses"]));
    assert_eq!(edited.redactions, 1);
    assert_eq!(edited.updated_at, Some(t(3, 9)));
    assert!(db.search(A, &q("interlibrary")).await.hits.is_empty());
    assert!(db.search(A, &q("loans")).await.hits.is_empty());
    assert_eq!(ids(&db.search(A, &q("binding")).await), vec![e.id]);
    let by_tag = SearchQuery { tag: Some(Tag::parse("theses").unwrap()), ..q("") };
    assert_eq!(ids(&db.search(A, &by_tag).await), vec![e.id]);
    let old_tag = SearchQuery { tag: Some(Tag::parse("loans").unwrap()), ..q("asked") };
    assert!(db.search(A, &old_tag).await.hits.is_empty());
    assert!(db.store.edit_entry(A, EntryId(999), &edit).await.unwrap().is_none());
}

#[tokio::test]
async fn delete_removes_the_entry_from_search() {
    let db = Db::new().await;
    let e = db.add(new(A, "Reading list for the new module")).await;
    assert_eq!(ids(&db.search(A, &q("reading")).await), vec![e.id]);
    assert!(db.store.delete_entry(A, e.id).await.unwrap());
    assert!(!db.store.delete_entry(A, e.id).await.unwrap());
    assert!(db.store.entry(A, e.id).await.unwrap().is_none());
    assert!(db.search(A, &q("reading")).await.hits.is_empty());
    assert!(db.search(A, &q("")).await.hits.is_empty());
}

#[tokio::test]
async fn import_keeps_ids_and_a_duplicate_writes_nothing() {
    let db = Db::new().await;
    let existing = db.add(new(A, "already here")).await;
    let imported: Vec<Entry> = [100, 101]
        .into_iter()
        .map(|id| Entry {
            updated_at: Some(t(4, 8)),
            ..Entry::from_new(EntryId(id), new(B, "imported note"))
        })
        .collect();
    assert_eq!(db.store.import_entries(&imported).await.unwrap(), 2);
    assert_eq!(db.store.entry(B, EntryId(100)).await.unwrap().unwrap(), imported[0]);
    assert_eq!(ids(&db.search(B, &q("imported")).await), vec![EntryId(101), EntryId(100)]);

    let clash = vec![
        Entry::from_new(EntryId(200), new(B, "new one")),
        Entry::from_new(existing.id, new(B, "clashes")),
    ];
    match db.store.import_entries(&clash).await {
        Err(StoreError::DuplicateId(id)) => assert_eq!(id, existing.id),
        other => panic!("expected DuplicateId, got {other:?}"),
    }
    let twice = vec![Entry::from_new(EntryId(300), new(B, "a")), Entry::from_new(EntryId(300), new(B, "b"))];
    assert!(matches!(db.store.import_entries(&twice).await, Err(StoreError::DuplicateId(EntryId(300)))));
    let wanted = [EntryId(200), EntryId(300), existing.id, EntryId(100)];
    assert_eq!(db.store.existing_ids(&wanted).await.unwrap(), vec![existing.id, EntryId(100)]);
    assert!(db.search(B, &q("clashes")).await.hits.is_empty());
    // New entries continue after the imported ids.
    assert!(db.add(new(A, "after import")).await.id > EntryId(101));
}

#[tokio::test]
async fn guilds_never_see_each_others_entries() {
    let db = Db::new().await;
    let due = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let mut by_guild = Vec::new();
    for guild in [A, B] {
        let e = db
            .add(NewEntry {
                follow_up: Some(FollowUp::open(ADA, due)),
                tags: tags(&["loans"]),
                ..new(guild, "Same words in both guilds about loans")
            })
            .await;
        by_guild.push(e);
    }
    let (a, b) = (&by_guild[0], &by_guild[1]);
    for (guild, mine, theirs) in [(A, a, b), (B, b, a)] {
        assert_eq!(ids(&db.search(guild, &q("loans")).await), vec![mine.id]);
        assert_eq!(ids(&db.search(guild, &q("")).await), vec![mine.id]);
        let tagged = SearchQuery { tag: Some(Tag::parse("loans").unwrap()), author: Some(ADA), ..q("") };
        assert_eq!(ids(&db.search(guild, &tagged).await), vec![mine.id]);
        assert!(db.store.entry(guild, theirs.id).await.unwrap().is_none());
        let edit =
            EntryEdit { note: Note::parse("x").unwrap(), tags: vec![], redactions: 0, updated_at: t(5, 1) };
        assert!(db.store.edit_entry(guild, theirs.id, &edit).await.unwrap().is_none());
        assert!(db.store.set_follow_up_done(guild, theirs.id, Some(t(5, 1))).await.unwrap().is_none());
        assert!(!db.store.delete_entry(guild, theirs.id).await.unwrap());
        let open = db.store.open_follow_ups(guild, &FollowUpFilter::default()).await.unwrap();
        assert_eq!(entry_ids(&open), vec![mine.id]);
        let after = db.store.entries_after(guild, &EntryFilter::default(), None, 10).await.unwrap();
        assert_eq!(entry_ids(&after), vec![mine.id]);
        assert_eq!(db.store.count_entries(guild, &EntryFilter::default()).await.unwrap(), 1);
        let week = db.store.entries_by_department(guild, TimeRange::new(t(1, 0), t(8, 0))).await.unwrap();
        assert_eq!(week.len(), 1);
        assert_eq!(entry_ids(&week[0].entries), vec![mine.id]);
        let counts = db.store.counts(guild, &EntryFilter::default(), CountBy::Department).await.unwrap();
        assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), 1);
        assert_eq!(db.store.last_heard(guild).await.unwrap().len(), 1);
    }
    // Nothing above changed the other guild's entry.
    assert_eq!(db.store.entry(B, b.id).await.unwrap().unwrap(), *b);
}

#[tokio::test]
async fn hostile_search_text_is_only_ever_words() {
    let db = Db::new().await;
    let loan = db.add(new(A, "Loan renewal problems near the desk, said Dr O'Neill")).await;
    db.add(new(A, "Nothing relevant here")).await;
    for guild in [B, GuildId(22)] {
        db.add(new(guild, "Loan renewal problems near the desk, said Dr O'Neill; facets g2")).await;
    }
    let hostile = [
        "\"",
        "\"loan\"",
        "Dr O'Neill",
        "-foo",
        "title: x",
        "facets : g2",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "loan OR renewal",
        "NEAR(loan renewal)",
        "(loan",
        "loan)",
        "C++",
        "*",
        "loan*",
        "^loan",
        ":",
        "",
        "note: loan",
        "{note tags} : loan",
        "loan NOT renewal",
        "g2",
        "g18446744073709551615",
    ];
    for text in hostile {
        let page = db.store.search(A, &q(text)).await.unwrap_or_else(|e| panic!("{text:?} failed: {e}"));
        assert!(page.hits.iter().all(|h| h.entry.guild == A), "{text:?} crossed guilds");
    }
    for text in [
        "\"loan\"",
        "Dr O'Neill",
        "(loan",
        "loan)",
        "loan*",
        "^loan",
        "loan OR renewal",
        "NEAR(loan renewal)",
    ] {
        assert_eq!(ids(&db.search(A, &q(text)).await), vec![loan.id], "{text:?}");
    }
    // Text without a single word matches nothing rather than everything.
    for text in ["\"", "*", ":", "^ ( )"] {
        let page = db.search(A, &q(text)).await;
        assert!(page.hits.is_empty() && page.total == 0, "{text:?}");
    }
    // Facet tokens typed as words search only the note and tags, where they are not.
    for text in ["facets : g2", "g2", "g18446744073709551615"] {
        assert!(db.search(A, &q(text)).await.hits.is_empty(), "{text:?}");
    }
    assert_eq!(db.search(A, &q("")).await.hits.len(), 2);
}

#[tokio::test]
async fn more_occurrences_rank_first_and_recency_breaks_ties() {
    let db = Db::new().await;
    let once = db.add(new(A, "Asked about renewal of a loan for a visiting scholar")).await;
    let twice = db.add(new(A, "A loan question, then another loan question for a visiting scholar")).await;
    let older_twin =
        db.add(NewEntry { occurred_at: t(1, 10), ..new(A, "Loan desk queue was long today") }).await;
    let newer_twin =
        db.add(NewEntry { occurred_at: t(3, 10), ..new(A, "Loan desk queue was long today") }).await;
    let page = db.search(A, &q("loan")).await;
    let order = ids(&page);
    let pos = |id: EntryId| order.iter().position(|&x| x == id).unwrap();
    assert!(pos(twice.id) < pos(once.id), "{order:?}");
    assert!(pos(newer_twin.id) < pos(older_twin.id), "{order:?}");
    assert!(page.hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(page.hits.iter().all(|h| h.score > 0.0));
}

#[tokio::test]
async fn snippets_mark_the_matched_words() {
    let db = Db::new().await;
    db.add(new(A, "The History department wants more Early English Books Online training next term")).await;
    let page = db.search(A, &q("english training")).await;
    let snippet = &page.hits[0].snippet;
    assert!(snippet.contains(&format!("{HIGHLIGHT_START}English{HIGHLIGHT_END}")), "{snippet:?}");
    assert!(snippet.contains(&format!("{HIGHLIGHT_START}training{HIGHLIGHT_END}")), "{snippet:?}");
    let long = "word ".repeat(100) + "needle " + &"word ".repeat(100);
    db.add(new(A, &long)).await;
    let snippet = &db.search(A, &q("needle")).await.hits[0].snippet;
    assert!(snippet.contains(&format!("{HIGHLIGHT_START}needle{HIGHLIGHT_END}")) && snippet.contains('…'));
    assert!(snippet.chars().count() < 200);
}

#[tokio::test]
async fn search_accents_and_phrases_follow_the_tokenizer() {
    let db = Db::new().await;
    let e = db.add(new(A, "Met Professor Müller about the e-books budget")).await;
    assert_eq!(ids(&db.search(A, &q("muller")).await), vec![e.id]);
    assert_eq!(ids(&db.search(A, &q("MÜLLER e-books")).await), vec![e.id]);
    assert!(db.search(A, &q("books-e")).await.hits.is_empty());
}

/// Five entries that differ in one filter each from `base`.
async fn filter_fixture(db: &Db) -> [Entry; 6] {
    let base = || NewEntry { tags: tags(&["loans"]), ..new(A, "Questions about loans") };
    [
        db.add(base()).await,
        db.add(NewEntry { department: "Physics".to_string(), ..base() }).await,
        db.add(NewEntry { channel: "coffee".to_string(), informal: true, ..base() }).await,
        db.add(NewEntry { tags: tags(&["theses"]), ..base() }).await,
        db.add(NewEntry { author: Author { id: BEN, name: "Ben".to_string() }, ..base() }).await,
        db.add(NewEntry { occurred_at: t(20, 10), ..base() }).await,
    ]
}

#[tokio::test]
async fn every_filter_narrows_with_and_without_words() {
    let db = Db::new().await;
    let e = filter_fixture(&db).await;
    db.add(NewEntry { tags: tags(&["loans"]), ..new(B, "Questions about loans") }).await;
    let early = TimeRange::new(t(1, 0), t(10, 0));
    let filters: Vec<(SearchQuery, Vec<EntryId>)> = vec![
        (SearchQuery { department: Some("Physics".into()), ..q("") }, vec![e[1].id]),
        (SearchQuery { channel: Some("coffee".into()), ..q("") }, vec![e[2].id]),
        (SearchQuery { tag: Some(Tag::parse("theses").unwrap()), ..q("") }, vec![e[3].id]),
        (SearchQuery { author: Some(BEN), ..q("") }, vec![e[4].id]),
        (SearchQuery { occurred: Some(TimeRange::new(t(15, 0), t(25, 0))), ..q("") }, vec![e[5].id]),
        (
            SearchQuery {
                department: Some("History".into()),
                channel: Some("desk".into()),
                author: Some(ADA),
                tag: Some(Tag::parse("loans").unwrap()),
                occurred: Some(early),
                ..q("")
            },
            vec![e[0].id],
        ),
    ];
    for (query, want) in filters {
        assert_eq!(ids(&db.search(A, &query).await), want, "{query:?}");
        let worded =
            SearchQuery { text: "questions".into(), terms: SearchTerms::parse("questions"), ..query.clone() };
        assert_eq!(ids(&db.search(A, &worded).await), want, "{worded:?}");
    }
    // The range is half-open and exact to the millisecond, in both kinds of search.
    let at = e[5].occurred_at;
    for text in ["", "loans"] {
        let until = SearchQuery { occurred: Some(TimeRange::new(t(15, 0), at)), ..q(text) };
        assert!(db.search(A, &until).await.hits.is_empty());
        let from =
            SearchQuery { occurred: Some(TimeRange::new(at, at + Duration::milliseconds(1))), ..q(text) };
        assert_eq!(ids(&db.search(A, &from).await), vec![e[5].id]);
        let empty = SearchQuery { occurred: Some(TimeRange::new(at, at)), ..q(text) };
        assert!(db.search(A, &empty).await.hits.is_empty());
    }
}

#[tokio::test]
async fn date_ranges_far_from_now_and_across_years_are_exact() {
    let db = Db::new().await;
    let old = Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap() + Duration::milliseconds(500);
    let times = [
        old,
        Utc.with_ymd_and_hms(2019, 12, 31, 23, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2023, 6, 1, 0, 0, 0).unwrap(),
    ];
    let mut stored = Vec::new();
    for at in times {
        stored.push(db.add(NewEntry { occurred_at: at, ..new(A, "archive visit") }).await);
    }
    let cases = [
        (
            TimeRange::new(
                Utc.with_ymd_and_hms(1969, 12, 1, 0, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(),
            ),
            vec![stored[0].id],
        ),
        (
            TimeRange::new(
                Utc.with_ymd_and_hms(2019, 2, 1, 0, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2023, 6, 1, 0, 0, 0).unwrap(),
            ),
            vec![stored[1].id],
        ),
        (
            TimeRange::new(
                Utc.with_ymd_and_hms(2019, 12, 31, 23, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2023, 6, 1, 0, 0, 1).unwrap(),
            ),
            vec![stored[2].id, stored[1].id],
        ),
        (
            TimeRange::new(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
            vec![stored[2].id, stored[1].id, stored[0].id],
        ),
    ];
    for (range, want) in cases {
        for text in ["", "archive"] {
            let mut got = ids(&db.search(A, &SearchQuery { occurred: Some(range), ..q(text) }).await);
            if !text.is_empty() {
                got.sort_by(|a, b| b.cmp(a));
            }
            assert_eq!(got, want, "{range:?} {text:?}");
        }
    }
}

#[tokio::test]
async fn a_listing_is_newest_first() {
    let db = Db::new().await;
    let mut made = Vec::new();
    for (day, dept) in [(3, "History"), (1, "History"), (5, "Physics"), (4, "History")] {
        made.push(db.add(NewEntry { occurred_at: t(day, 9), department: dept.into(), ..new(A, "x") }).await);
    }
    let all = db.search(A, &q("")).await;
    assert_eq!(ids(&all), vec![made[2].id, made[3].id, made[0].id, made[1].id]);
    assert_eq!((all.total, all.total_is_capped), (4, false));
    assert!(all.hits.iter().all(|h| h.snippet == "x"));
    let history = db.search(A, &SearchQuery { department: Some("History".into()), ..q("") }).await;
    assert_eq!(ids(&history), vec![made[3].id, made[0].id, made[1].id]);
}

#[tokio::test]
async fn pages_are_disjoint_and_the_total_is_right() {
    let db = Db::new().await;
    for i in 0..12 {
        db.add(NewEntry { occurred_at: t(1, i), ..new(A, &format!("shelving note {i}")) }).await;
    }
    for text in ["shelving", ""] {
        let page = |n| SearchQuery { page: n, per_page: 5, ..q(text) };
        let (p0, p1, p2) =
            (db.search(A, &page(0)).await, db.search(A, &page(1)).await, db.search(A, &page(2)).await);
        assert_eq!((p0.hits.len(), p1.hits.len(), p2.hits.len()), (5, 5, 2), "{text:?}");
        let mut all: Vec<EntryId> = [ids(&p0), ids(&p1), ids(&p2)].concat();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 12);
        assert_eq!((p0.total, p0.total_is_capped, p0.page_count()), (12, false, 3));
        assert!(p0.has_next() && !p2.has_next());
        assert!(db.search(A, &page(9)).await.hits.is_empty());
    }
}

#[tokio::test]
async fn a_small_window_caps_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::connect(&url(&dir)).await.unwrap().with_search_window(5);
    let mut made = Vec::new();
    for i in 0..8 {
        made.push(store.insert_entry(&new(A, &format!("catalogue fix {i}"))).await.unwrap());
    }
    for text in ["catalogue", ""] {
        let page = store.search(A, &q(text)).await.unwrap();
        assert_eq!((page.total, page.total_is_capped), (5, true), "{text:?}");
    }
    // The window holds the newest matches.
    let mut got = ids(&store.search(A, &q("catalogue")).await.unwrap());
    got.sort();
    assert_eq!(got, entry_ids(&made[3..]));
    // A tag filter too common for the index path falls back to the b-tree and stays exact.
    let tagged = SearchQuery { author: Some(ADA), per_page: 3, page: 2, ..q("") };
    let page = store.search(A, &tagged).await.unwrap();
    assert_eq!(ids(&page), vec![made[1].id, made[0].id]);
}

#[tokio::test]
async fn entries_after_pages_by_id_within_the_filter() {
    let db = Db::new().await;
    let mut made = Vec::new();
    for i in 0..6 {
        let dept = if i % 2 == 0 { "History" } else { "Physics" };
        made.push(
            db.add(NewEntry { occurred_at: t(1 + i, 9), department: dept.into(), ..new(A, "x") }).await,
        );
    }
    let all = EntryFilter::default();
    let first = db.store.entries_after(A, &all, None, 4).await.unwrap();
    assert_eq!(entry_ids(&first), entry_ids(&made[..4]));
    let rest = db.store.entries_after(A, &all, Some(first[3].id), 4).await.unwrap();
    assert_eq!(entry_ids(&rest), entry_ids(&made[4..]));
    let history =
        EntryFilter { department: Some("History".into()), occurred: Some(TimeRange::new(t(2, 0), t(6, 0))) };
    assert_eq!(
        entry_ids(&db.store.entries_after(A, &history, None, 10).await.unwrap()),
        vec![made[2].id, made[4].id]
    );
    assert_eq!(db.store.count_entries(A, &history).await.unwrap(), 2);
    assert_eq!(db.store.count_entries(A, &all).await.unwrap(), 6);
}

#[tokio::test]
async fn a_week_groups_by_department_oldest_first() {
    let db = Db::new().await;
    let week = TimeRange::new(t(2, 0), t(9, 0));
    let plan = [(3, "Physics"), (2, "History"), (8, "History"), (9, "History"), (1, "Physics"), (5, "Art")];
    let mut made = Vec::new();
    for (day, dept) in plan {
        made.push(db.add(NewEntry { occurred_at: t(day, 0), department: dept.into(), ..new(A, "x") }).await);
    }
    let groups = db.store.entries_by_department(A, week).await.unwrap();
    let shape: Vec<(String, Vec<EntryId>)> =
        groups.iter().map(|g| (g.department.clone(), entry_ids(&g.entries))).collect();
    assert_eq!(
        shape,
        vec![
            ("Art".to_string(), vec![made[5].id]),
            ("History".to_string(), vec![made[1].id, made[2].id]),
            ("Physics".to_string(), vec![made[0].id]),
        ]
    );
}

#[tokio::test]
async fn follow_ups_list_soonest_first_and_close_and_reopen() {
    let db = Db::new().await;
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let later = db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, day(20))), ..new(A, "a") }).await;
    let sooner = db.add(NewEntry { follow_up: Some(FollowUp::open(BEN, day(10))), ..new(A, "b") }).await;
    let physics = db
        .add(NewEntry {
            follow_up: Some(FollowUp::open(ADA, day(10))),
            department: "Physics".into(),
            ..new(A, "c")
        })
        .await;
    let none = db.add(new(A, "d")).await;
    let store = &db.store;
    let list = |f: FollowUpFilter| async move { entry_ids(&store.open_follow_ups(A, &f).await.unwrap()) };
    assert_eq!(list(FollowUpFilter::default()).await, vec![sooner.id, physics.id, later.id]);
    assert_eq!(
        list(FollowUpFilter { owner: Some(ADA), ..Default::default() }).await,
        vec![physics.id, later.id]
    );
    assert_eq!(
        list(FollowUpFilter { department: Some("Physics".into()), ..Default::default() }).await,
        vec![physics.id]
    );
    assert_eq!(
        list(FollowUpFilter { overdue_on: Some(day(11)), ..Default::default() }).await,
        vec![sooner.id, physics.id]
    );
    assert_eq!(
        list(FollowUpFilter { overdue_on: Some(day(10)), ..Default::default() }).await,
        Vec::<EntryId>::new()
    );

    let done = db.store.set_follow_up_done(A, sooner.id, Some(t(9, 12))).await.unwrap().unwrap();
    let f = done.follow_up.unwrap();
    assert_eq!((f.status, f.done_at, f.owner, f.due), (FollowUpStatus::Done, Some(t(9, 12)), BEN, day(10)));
    assert_eq!(list(FollowUpFilter::default()).await, vec![physics.id, later.id]);
    let reopened = db.store.set_follow_up_done(A, sooner.id, None).await.unwrap().unwrap();
    assert_eq!(reopened.follow_up, Some(FollowUp::open(BEN, day(10))));
    assert!(db.store.set_follow_up_done(A, none.id, Some(t(9, 12))).await.unwrap().is_none());
    assert!(db.store.set_follow_up_done(A, EntryId(999), None).await.unwrap().is_none());
    // Closing a follow-up leaves the entry searchable.
    assert_eq!(ids(&db.search(A, &SearchQuery { author: Some(ADA), ..q("b") }).await), vec![sooner.id]);
}

#[tokio::test]
async fn follow_ups_done_in_a_period_in_the_order_they_were_done() {
    let db = Db::new().await;
    let due = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let mut made = Vec::new();
    for (guild, note) in [(A, "a"), (A, "b"), (A, "c"), (B, "d")] {
        made.push(db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, due)), ..new(guild, note) }).await);
    }
    db.store.set_follow_up_done(A, made[1].id, Some(t(9, 12))).await.unwrap();
    db.store.set_follow_up_done(A, made[0].id, Some(t(10, 8))).await.unwrap();
    db.store.set_follow_up_done(A, made[2].id, Some(t(17, 0))).await.unwrap();
    db.store.set_follow_up_done(B, made[3].id, Some(t(10, 9))).await.unwrap();
    let week = TimeRange::new(t(9, 0), t(16, 0));
    let done = db.store.follow_ups_done(A, week).await.unwrap();
    assert_eq!(entry_ids(&done), vec![made[1].id, made[0].id], "in the week, this guild only, by when done");
    // The range is half-open: done exactly at its end belongs to the next period.
    let done = db.store.follow_ups_done(A, TimeRange::new(t(9, 0), t(9, 12))).await.unwrap();
    assert!(done.is_empty());
}

#[tokio::test]
async fn counts_are_largest_first_with_labels() {
    let db = Db::new().await;
    let max_author = Author { id: UserId(u64::MAX), name: "Old name".into() };
    let rows = [
        ("History", "desk", false, max_author.clone(), 1),
        ("History", "coffee", true, Author { id: UserId(u64::MAX), name: "New name".into() }, 2),
        ("Physics", "coffee", true, Author { id: BEN, name: "Ben".into() }, 3),
        ("Art", "email", false, max_author.clone(), 20),
    ];
    for (dept, channel, informal, author, day) in rows {
        db.add(NewEntry {
            department: dept.into(),
            channel: channel.into(),
            informal,
            author,
            occurred_at: t(day, 0),
            ..new(A, "x")
        })
        .await;
    }
    let first_week = EntryFilter { occurred: Some(TimeRange::new(t(1, 0), t(8, 0))), ..Default::default() };
    let shape = |counts: Vec<liaison::domain::stats::Count>| {
        counts.into_iter().map(|c| (c.key, c.label, c.count)).collect::<Vec<_>>()
    };
    let s = |x: &str| x.to_string();
    let by = |by, f: EntryFilter| {
        let store = &db.store;
        async move { shape(store.counts(A, &f, by).await.unwrap()) }
    };
    assert_eq!(
        by(CountBy::Department, first_week.clone()).await,
        vec![(s("History"), s("History"), 2), (s("Physics"), s("Physics"), 1)]
    );
    assert_eq!(
        by(CountBy::Channel, EntryFilter::default()).await,
        vec![(s("coffee"), s("coffee"), 2), (s("desk"), s("desk"), 1), (s("email"), s("email"), 1)]
    );
    assert_eq!(
        by(CountBy::Formality, first_week.clone()).await,
        vec![(s("informal"), s("informal"), 2), (s("formal"), s("formal"), 1)]
    );
    assert_eq!(
        by(CountBy::Author, first_week.clone()).await,
        vec![(u64::MAX.to_string(), s("New name"), 2), (s("42"), s("Ben"), 1)]
    );
    let history = EntryFilter { department: Some("History".into()), ..first_week };
    assert_eq!(
        by(CountBy::Channel, history).await,
        vec![(s("coffee"), s("coffee"), 1), (s("desk"), s("desk"), 1)]
    );
}

#[tokio::test]
async fn last_heard_is_the_latest_occurrence_per_department() {
    let db = Db::new().await;
    for (day, dept) in [(3, "Physics"), (9, "History"), (2, "History"), (5, "Art"), (1, "Physics")] {
        db.add(NewEntry { occurred_at: t(day, 0), department: dept.into(), ..new(A, "x") }).await;
    }
    let heard: Vec<(String, DateTime<Utc>)> =
        db.store.last_heard(A).await.unwrap().into_iter().map(|l| (l.department, l.at)).collect();
    assert_eq!(
        heard,
        vec![
            ("Art".to_string(), t(5, 0)),
            ("History".to_string(), t(9, 0)),
            ("Physics".to_string(), t(3, 0))
        ]
    );
    assert!(db.store.last_heard(B).await.unwrap().is_empty());
}

#[tokio::test]
async fn optimize_and_reopen_keep_everything() {
    let db = Db::new().await;
    let e = db.add(new(A, "Survives optimize")).await;
    db.store.optimize().await.unwrap();
    assert_eq!(ids(&db.search(A, &q("optimize")).await), vec![e.id]);
    db.store.close().await;
    let again = SqliteStore::connect(&url(&db.dir)).await.unwrap();
    assert_eq!(again.entry(A, e.id).await.unwrap().unwrap(), e);
    again.close().await;
}

#[tokio::test]
async fn the_wal_is_checkpointed_and_reused_between_bursts_of_writes() {
    let db = Db::new().await;
    let wal = || std::fs::metadata(db.dir.path().join("liaison.db-wal")).map(|m| m.len()).unwrap_or(0);
    let note = "A long enough note to write a few pages per insert. ".repeat(20);
    let mut after_first = 0;
    for round in 0..3 {
        for _ in 0..150 {
            let e = db.add(new(A, &note)).await;
            db.store.set_follow_up_done(A, e.id, None).await.unwrap();
        }
        if round == 0 {
            after_first = wal();
        }
        // Longer than the background checkpoint interval.
        tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    }
    // Each burst starts the WAL over instead of appending to it.
    assert!(after_first > 1_000_000, "the burst wrote {after_first} bytes");
    assert!(wal() < after_first * 3 / 2, "the WAL grew from {after_first} to {} bytes", wal());
}

/// The child half of `a_committed_write_survives_the_process_being_killed`: a no-op unless that
/// test starts it.
#[tokio::test]
async fn child_process_writes_then_waits_to_be_killed() {
    let Ok(url) = std::env::var("LIAISON_STORE_TEST_CHILD_URL") else {
        return;
    };
    let store = SqliteStore::connect(&url).await.unwrap();
    let e = store.insert_entry(&new(A, "written just before the kill")).await.unwrap();
    println!("INSERTED {}", e.id);
    tokio::time::sleep(std::time::Duration::from_secs(120)).await;
}

#[tokio::test]
async fn a_committed_write_survives_the_process_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_process_writes_then_waits_to_be_killed", "--nocapture", "--test-threads=1"])
        .env("LIAISON_STORE_TEST_CHILD_URL", url(&dir))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let id = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        // libtest prints the test's name on the same line first.
        .find_map(|line| line.split_once("INSERTED ").map(|(_, id)| id.trim().parse::<EntryId>().unwrap()))
        .expect("the child reports its insert");
    child.kill().unwrap(); // SIGKILL: no close, no checkpoint, no destructors.
    child.wait().unwrap();
    let store = SqliteStore::connect(&url(&dir)).await.unwrap();
    let e = store.entry(A, id).await.unwrap().expect("the row survived");
    assert_eq!(e.note.as_str(), "written just before the kill");
    assert_eq!(ids(&store.search(A, &q("kill")).await.unwrap()), vec![id]);
}

#[tokio::test]
async fn a_digest_period_is_claimed_once_until_its_lease_lapses_and_never_after_it_is_sent() {
    let db = Db::new().await;
    let store = &db.store;
    let week = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let lease = chrono::Duration::minutes(10);
    assert!(store.digest_run(A, week).await.unwrap().is_none());

    assert!(store.claim_digest(A, week, t(23, 9), lease, Backoff::Honour).await.unwrap(), "first claim wins");
    assert!(
        !store.claim_digest(A, week, t(23, 9), lease, Backoff::Honour).await.unwrap(),
        "a second one loses"
    );
    assert!(
        store.claim_digest(B, week, t(23, 9), lease, Backoff::Honour).await.unwrap(),
        "another guild is separate"
    );
    // The process that claimed died before posting: once the lease lapses, the period is retaken.
    let later = t(23, 9) + chrono::Duration::minutes(11);
    assert!(store.claim_digest(A, week, later, lease, Backoff::Honour).await.unwrap());
    assert_eq!(store.digest_run(A, week).await.unwrap().unwrap().attempts, 2);

    // A failed post gives the claim back, with the error kept, to be retried from `retry_at`.
    let retry = later + chrono::Duration::minutes(2);
    store.release_digest(A, week, "Discord answered 500", retry).await.unwrap();
    let run = store.digest_run(A, week).await.unwrap().unwrap();
    assert_eq!(
        (run.claimed_at, run.last_error.as_deref(), run.retry_at),
        (None, Some("Discord answered 500"), Some(retry))
    );
    assert!(
        !store
            .claim_digest(A, week, retry - chrono::Duration::seconds(1), lease, Backoff::Honour)
            .await
            .unwrap(),
        "backing off"
    );
    assert!(store.claim_digest(A, week, retry, lease, Backoff::Honour).await.unwrap());

    let later = retry;
    store.mark_digest_sent(A, week, &[u64::MAX, 7], later).await.unwrap();
    let run = store.digest_run(A, week).await.unwrap().unwrap();
    assert_eq!((run.sent_at, run.message_ids, run.last_error), (Some(later), vec![u64::MAX, 7], None));
    // Sent is final: no lease, release or restart makes it claimable again.
    store.release_digest(A, week, "late error", later).await.unwrap();
    let much_later = later + chrono::Duration::days(30);
    assert!(!store.claim_digest(A, week, much_later, lease, Backoff::Honour).await.unwrap());
}

#[tokio::test]
async fn racing_claims_from_two_stores_on_one_file_let_exactly_one_win() {
    let db = Db::new().await;
    let other = SqliteStore::connect(&url(&db.dir)).await.unwrap();
    let lease = chrono::Duration::minutes(10);
    let mut wins = 0;
    for day in 1..=20 {
        let period = NaiveDate::from_ymd_opt(2026, 6, day).unwrap();
        let (a, b) = tokio::join!(
            db.store.claim_digest(A, period, t(23, 9), lease, Backoff::Honour),
            other.claim_digest(A, period, t(23, 9), lease, Backoff::Honour)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a ^ b, "exactly one of two racing claims wins ({day}: {a} {b})");
        wins += 1;
    }
    assert_eq!(wins, 20);
}

#[tokio::test]
async fn digest_settings_round_trip_and_only_enabled_guilds_are_listed() {
    use liaison::domain::digest_settings::DigestSettings;
    let db = Db::new().await;
    assert!(db.store.digest_settings(A).await.unwrap().is_none());
    let mut a = DigestSettings {
        guild: A,
        channel: u64::MAX,
        weekday: chrono::Weekday::Fri,
        time: chrono::NaiveTime::from_hms_opt(16, 45, 0).unwrap(),
        timezone: chrono_tz::America::New_York,
        enabled: true,
        post_empty_weeks: false,
        problem: None,
    };
    db.store.save_digest_settings(&a, t(1, 0)).await.unwrap();
    assert_eq!(db.store.digest_settings(A).await.unwrap(), Some(a.clone()));
    let b = DigestSettings { guild: B, enabled: false, ..a.clone() };
    db.store.save_digest_settings(&b, t(1, 0)).await.unwrap();
    assert_eq!(db.store.enabled_digests().await.unwrap(), vec![a.clone()]);
    a.channel = 5;
    a.weekday = chrono::Weekday::Mon;
    db.store.save_digest_settings(&a, t(2, 0)).await.unwrap();
    assert_eq!(db.store.digest_settings(A).await.unwrap(), Some(a));
}
