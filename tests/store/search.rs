//! Search: ranked and listed, filtered, paged, windowed; hostile text; snippets.

use chrono::{DateTime, Duration, TimeZone, Utc};
use liaison::domain::entry::{Author, Entry, NewEntry};
use liaison::domain::ids::{EntryId, GuildId};
use liaison::domain::search::{SearchQuery, SearchTerms, HIGHLIGHT_END, HIGHLIGHT_START};
use liaison::domain::tag::Tag;
use liaison::domain::time_range::TimeRange;

use crate::harness::Db;
use crate::{channel, department, entry_ids, filed_under, ids, new, now, q, t, tags, A, ADA, B, BEN};

crate::conformance!(
    hostile_search_text_is_only_ever_words,
    more_occurrences_rank_first_and_recency_breaks_ties,
    snippets_mark_the_matched_words,
    search_accents_and_phrases_follow_the_tokenizer,
    every_filter_narrows_with_and_without_words,
    date_ranges_far_from_now_and_across_years_are_exact,
    a_listing_is_newest_first,
    pages_are_disjoint_and_the_total_is_right,
    a_small_window_caps_the_total,
    search_reaches_across_far_apart_ids_and_backdated_entries,
    a_window_reaches_back_through_many_id_ranges,
    recency_is_measured_from_the_now_passed,
);

async fn hostile_search_text_is_only_ever_words(db: Db) {
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
        let page =
            db.store.search(A, &q(text), now()).await.unwrap_or_else(|e| panic!("{text:?} failed: {e}"));
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

async fn more_occurrences_rank_first_and_recency_breaks_ties(db: Db) {
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

/// The same search at two instants: the page says when it was searched, and the ranking weighs
/// each entry's age from then, not from the clock.
async fn recency_is_measured_from_the_now_passed(db: Db) {
    let heard = t(1, 10);
    let old = db
        .add(NewEntry { occurred_at: heard - Duration::days(3652), ..new(A, "loan renewal and loan fines") })
        .await;
    let recent = db.add(NewEntry { occurred_at: heard, ..new(A, "loan renewal and overdue fines") }).await;
    // Searched as the recent one is heard, ten years weigh more than the old one's extra word.
    let page = db.store.search(A, &q("loan"), heard).await.unwrap();
    assert_eq!((ids(&page), page.searched_at), (vec![recent.id, old.id], heard));
    // Searched a thousand years on, both are about as old, and the extra word decides.
    let far = heard + Duration::days(365_250);
    let page = db.store.search(A, &q("loan"), far).await.unwrap();
    assert_eq!((ids(&page), page.searched_at), (vec![old.id, recent.id], far));
    // A listing, newest first, carries its instant too.
    let page = db.store.search(A, &q(""), far).await.unwrap();
    assert_eq!((ids(&page), page.searched_at), (vec![recent.id, old.id], far));
}

async fn snippets_mark_the_matched_words(db: Db) {
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

async fn search_accents_and_phrases_follow_the_tokenizer(db: Db) {
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
        db.add(NewEntry { department: department("Physics"), ..base() }).await,
        db.add(NewEntry { channel: channel("coffee"), ..base() }).await,
        db.add(NewEntry { tags: tags(&["theses"]), ..base() }).await,
        db.add(NewEntry { author: Author { id: BEN, name: "Ben".to_string() }, ..base() }).await,
        db.add(NewEntry { occurred_at: t(20, 10), ..base() }).await,
    ]
}

async fn every_filter_narrows_with_and_without_words(db: Db) {
    let e = filter_fixture(&db).await;
    db.add(NewEntry { tags: tags(&["loans"]), ..new(B, "Questions about loans") }).await;
    let early = TimeRange::new(t(1, 0), t(10, 0));
    let filters: Vec<(SearchQuery, Vec<EntryId>)> = vec![
        (SearchQuery { department: filed_under(&["Physics"]), ..q("") }, vec![e[1].id]),
        (SearchQuery { channel: Some("coffee".into()), ..q("") }, vec![e[2].id]),
        (SearchQuery { tag: Some(Tag::parse("theses").unwrap()), ..q("") }, vec![e[3].id]),
        (SearchQuery { author: Some(BEN), ..q("") }, vec![e[4].id]),
        (SearchQuery { occurred: Some(TimeRange::new(t(15, 0), t(25, 0))), ..q("") }, vec![e[5].id]),
        (
            SearchQuery {
                department: filed_under(&["History"]),
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

async fn date_ranges_far_from_now_and_across_years_are_exact(db: Db) {
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

async fn a_listing_is_newest_first(db: Db) {
    let mut made = Vec::new();
    for (day, dept) in [(3, "History"), (1, "History"), (5, "Physics"), (4, "History")] {
        made.push(
            db.add(NewEntry { occurred_at: t(day, 9), department: department(dept), ..new(A, "x") }).await,
        );
    }
    let all = db.search(A, &q("")).await;
    assert_eq!(ids(&all), vec![made[2].id, made[3].id, made[0].id, made[1].id]);
    assert_eq!((all.total, all.total_is_capped), (4, false));
    assert!(all.hits.iter().all(|h| h.snippet == "x"));
    let history = db.search(A, &SearchQuery { department: filed_under(&["History"]), ..q("") }).await;
    assert_eq!(ids(&history), vec![made[3].id, made[0].id, made[1].id]);
}

async fn pages_are_disjoint_and_the_total_is_right(db: Db) {
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

async fn a_small_window_caps_the_total(db: Db) {
    let store = db.open_again(Some(5)).await;
    let mut made = Vec::new();
    for i in 0..8 {
        made.push(store.insert_entry(&new(A, &format!("catalogue fix {i}"))).await.unwrap());
    }
    for text in ["catalogue", ""] {
        let page = store.search(A, &q(text), now()).await.unwrap();
        assert_eq!((page.total, page.total_is_capped), (5, true), "{text:?}");
    }
    // The window holds the newest matches.
    let mut got = ids(&store.search(A, &q("catalogue"), now()).await.unwrap());
    got.sort();
    assert_eq!(got, entry_ids(&made[3..]));
    // A tag filter too common for the index path falls back to the b-tree and stays exact.
    let tagged = SearchQuery { author: Some(ADA), per_page: 3, page: 2, ..q("") };
    let page = store.search(A, &tagged, now()).await.unwrap();
    assert_eq!(ids(&page), vec![made[1].id, made[0].id]);
}

/// Ids far apart (PostgreSQL looks for matches one range of 16,384 ids at a time), entries
/// imported out of order, one occurring long before its neighbours, and another guild's entries
/// with the same words in the same ranges.
async fn search_reaches_across_far_apart_ids_and_backdated_entries(db: Db) {
    let at = |y: i32, m: u32| Utc.with_ymd_and_hms(y, m, 1, 12, 0, 0).unwrap();
    let entry = |id: i64, guild: GuildId, occurred: DateTime<Utc>, dept: &str| Entry {
        department: dept.into(),
        ..Entry::from_new(
            EntryId(id),
            NewEntry { occurred_at: occurred, ..new(guild, &format!("archive visit {id}")) },
        )
    };
    let spread = [
        entry(1, A, at(2021, 1), "History"),
        entry(16_383, A, at(2021, 6), "Physics"),
        entry(16_384, A, at(2022, 1), "History"),
        entry(70_000, A, at(2023, 1), "History"),
        entry(70_001, B, at(2023, 1), "History"),
        entry(300_000, A, at(2025, 1), "Physics"),
        // Captured last, but about a visit years before everything else.
        entry(300_001, A, at(2010, 3), "History"),
        entry(1_000_000, B, at(2010, 3), "History"),
    ];
    db.store.import_entries(&spread).await.unwrap();
    let newest_first = vec![
        EntryId(300_001),
        EntryId(300_000),
        EntryId(70_000),
        EntryId(16_384),
        EntryId(16_383),
        EntryId(1),
    ];
    for text in ["archive", ""] {
        let mut got = ids(&db.search(A, &q(text)).await);
        got.sort_by(|a, b| b.cmp(a));
        assert_eq!(got, newest_first, "{text:?}");
        let in_2010 = SearchQuery { occurred: Some(TimeRange::new(at(2010, 1), at(2011, 1))), ..q(text) };
        assert_eq!(ids(&db.search(A, &in_2010).await), vec![EntryId(300_001)], "{text:?}");
        // Starts after the first entry of id range 0 and ends before range 1's only one.
        let in_2021 = SearchQuery { occurred: Some(TimeRange::new(at(2021, 3), at(2022, 1))), ..q(text) };
        assert_eq!(ids(&db.search(A, &in_2021).await), vec![EntryId(16_383)], "{text:?}");
        let physics = SearchQuery { department: filed_under(&["Physics"]), ..q(text) };
        let mut got = ids(&db.search(A, &physics).await);
        got.sort();
        assert_eq!(got, vec![EntryId(16_383), EntryId(300_000)], "{text:?}");
    }
    // An entry imported later into a range already searched, occurring before anything there.
    db.store.import_entries(&[entry(16_400, A, at(2001, 5), "History")]).await.unwrap();
    let in_2001 = SearchQuery { occurred: Some(TimeRange::new(at(2001, 1), at(2002, 1))), ..q("visit") };
    assert_eq!(ids(&db.search(A, &in_2001).await), vec![EntryId(16_400)]);
    // A deleted entry is gone from its range, and the range's other entries stay found.
    assert!(db.store.delete_entry(A, EntryId(16_384)).await.unwrap());
    let from_2022 = SearchQuery { occurred: Some(TimeRange::new(at(2022, 1), at(2024, 1))), ..q("archive") };
    assert_eq!(ids(&db.search(A, &from_2022).await), vec![EntryId(70_000)]);

    // The window is the newest matches by id, across ranges, and pages walk it without gaps.
    let store = db.open_again(Some(3)).await;
    let page = store.search(A, &q("archive"), now()).await.unwrap();
    assert_eq!((page.total, page.total_is_capped), (3, true));
    let mut got = ids(&page);
    got.sort_by(|a, b| b.cmp(a));
    assert_eq!(got, vec![EntryId(300_001), EntryId(300_000), EntryId(70_000)]);
    let mut paged = Vec::new();
    for n in 0..3 {
        paged.extend(ids(&store
            .search(A, &SearchQuery { page: n, per_page: 1, ..q("visit") }, now())
            .await
            .unwrap()));
    }
    paged.sort_by(|a, b| b.cmp(a));
    assert_eq!(paged, got);
}

/// Twenty ranges of 16,384 ids, one entry of the guild's in each. PostgreSQL searches the newest
/// ranges first, then runs of older ones sized by what it has found so far: the window is the
/// newest matches whatever the runs, with nothing counted twice where two runs meet.
async fn a_window_reaches_back_through_many_id_ranges(db: Db) {
    let range = |k: i64, guild: GuildId, note: &str| {
        let id = k * 16_384 + if guild == A { 7 } else { 8 };
        let occurred = t(1, 0) - Duration::days(20 - k);
        Entry::from_new(EntryId(id), NewEntry { occurred_at: occurred, ..new(guild, note) })
    };
    let ledger = [18, 9, 2, 1, 0];
    let quire = [19, 18, 17, 16, 5, 3];
    let mut all = Vec::new();
    for k in 0..20 {
        let mut words = vec!["shelf"];
        words.extend(ledger.contains(&k).then_some("ledger"));
        words.extend(quire.contains(&k).then_some("quire"));
        all.push(range(k, A, &words.join(" ")));
        all.push(range(k, B, "ledger quire"));
    }
    db.store.import_entries(&all).await.unwrap();
    let store = db.open_again(Some(5)).await;
    let window = |ks: &[i64]| ks.iter().map(|k| EntryId(k * 16_384 + 7)).collect::<Vec<_>>();
    for (word, want, capped) in [("ledger", window(&ledger), false), ("quire", window(&quire[..5]), true)] {
        let page = store.search(A, &SearchQuery { per_page: 10, ..q(word) }, now()).await.unwrap();
        let mut got = ids(&page);
        got.sort_by(|a, b| b.cmp(a));
        assert_eq!(got, want, "{word}");
        assert_eq!((page.total, page.total_is_capped), (5, capped), "{word}");
    }
    let both = store.search(A, &q("ledger quire"), now()).await.unwrap();
    assert_eq!(ids(&both), window(&[18]));
    let early = SearchQuery {
        occurred: Some(TimeRange::new(t(1, 0) - Duration::days(20), t(1, 0) - Duration::days(17))),
        ..q("ledger")
    };
    let mut got = ids(&store.search(A, &early, now()).await.unwrap());
    got.sort_by(|a, b| b.cmp(a));
    assert_eq!(got, window(&[2, 1, 0]));
}
