//! Entries that name more than one department, and entries linked to partners, in search (ranked
//! and newest-first, with every other filter, paged), counts, `last_heard`, the digest's entries by
//! department and `EntryFilter`: an entry is found and counted under every department it names,
//! and once in totals.

use liaison::domain::department::DepartmentKey;
use liaison::domain::entry::{Author, Entry, NewEntry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::partner::{
    NewPartner, Partner, PartnerKind, PartnerName, PartnerProfile, PartnerStatus,
};
use liaison::domain::privacy::Share;
use liaison::domain::search::{SearchQuery, SearchTerms};
use liaison::domain::stats::CountBy;
use liaison::domain::tag::Tag;
use liaison::domain::time_range::TimeRange;
use liaison::store::EntryFilter;

use crate::harness::Db;
use crate::{channel, department, entry_ids, filed_under, ids, new, now, q, t, tags, A, ADA, B, BEN};

crate::conformance!(
    a_department_finds_entries_naming_it_as_another,
    a_department_under_two_names_finds_an_entry_naming_both_once,
    a_partner_filter_finds_its_entries_with_every_other_filter,
    counts_take_an_entry_under_each_department_and_once_otherwise,
    last_heard_and_the_digests_groups_include_other_departments,
);

async fn partner(db: &Db, guild: GuildId, name: &str) -> Partner {
    let profile = PartnerProfile {
        kind: PartnerKind::Organisation,
        name: PartnerName::parse(name).unwrap(),
        departments: Vec::new(),
        owners: vec![ADA],
        notes: String::new(),
        link: None,
        status: PartnerStatus::Active,
    };
    let new = NewPartner { guild, profile, created_by: ADA, created_at: t(1, 9) };
    db.store.insert_partner(&new).await.expect("insert partner")
}

/// An entry of `guild` filed under `own` and `others`, on day `day`.
fn filed(guild: GuildId, own: &str, others: &[&str], day: u32, note: &str) -> NewEntry {
    NewEntry {
        department: department(own),
        also_departments: others.iter().map(|d| department(d)).collect(),
        occurred_at: t(day, 10),
        created_at: t(day, 10),
        ..new(guild, note)
    }
}

fn about(entry: NewEntry, partners: &[&Partner]) -> NewEntry {
    NewEntry { partners: partners.iter().map(|p| p.link()).collect(), ..entry }
}

fn bens_private(entry: NewEntry) -> NewEntry {
    NewEntry { author: Author { id: BEN, name: "Ben".into() }, share: Share::Private, ..entry }
}

fn worded(text: &str, query: SearchQuery) -> SearchQuery {
    SearchQuery { text: text.into(), terms: SearchTerms::parse(text), ..query }
}

fn seen_by(viewer: UserId, query: SearchQuery) -> SearchQuery {
    SearchQuery { viewer: Some(viewer), ..query }
}

fn sorted(mut v: Vec<EntryId>) -> Vec<EntryId> {
    v.sort();
    v
}

async fn a_department_finds_entries_naming_it_as_another(db: Db) {
    let e1 = db
        .add(NewEntry { tags: tags(&["eebo"]), ..filed(A, "History", &["Physics"], 3, "archive training") })
        .await;
    let e2 = db
        .add(NewEntry {
            channel: channel("coffee"),
            ..filed(A, "Physics", &[], 4, "archive training in the lab")
        })
        .await;
    let e3 = db.add(filed(A, "Art", &[], 5, "archive training")).await;
    let e4 = db.add(bens_private(filed(A, "History", &["Physics", "Art"], 6, "poster printing"))).await;
    let other_guild = db.add(filed(B, "History", &["Physics"], 3, "archive training")).await;
    let physics = || SearchQuery { department: filed_under(&["Physics"]), ..q("") };

    // Newest first, through both indexes merged; the total counts each once.
    let page = db.search(A, &physics()).await;
    assert_eq!(ids(&page), vec![e4.id, e2.id, e1.id]);
    assert_eq!(page.total, 3);
    assert_eq!(ids(&db.search(B, &physics()).await), vec![other_guild.id]);
    // Pages of one cut across the two halves.
    for (n, want) in [e4.id, e2.id, e1.id].into_iter().enumerate() {
        let one = db.search(A, &SearchQuery { page: n as u32, per_page: 1, ..physics() }).await;
        assert_eq!((ids(&one), one.total), (vec![want], 3), "page {n}");
    }
    // Ranked.
    assert_eq!(sorted(ids(&db.search(A, &worded("archive", physics())).await)), vec![e1.id, e2.id]);
    let art = SearchQuery { department: filed_under(&["Art"]), ..q("") };
    assert_eq!(ids(&db.search(A, &art).await), vec![e4.id, e3.id]);
    assert_eq!(ids(&db.search(A, &worded("printing", art.clone())).await), vec![e4.id]);

    // With the other filters, listed and ranked.
    let eebo = Some(Tag::parse("eebo").unwrap());
    let combined: Vec<(SearchQuery, Vec<EntryId>)> = vec![
        (SearchQuery { tag: eebo.clone(), ..physics() }, vec![e1.id]),
        (SearchQuery { channel: Some("coffee".into()), ..physics() }, vec![e2.id]),
        (SearchQuery { channel: Some("desk".into()), ..physics() }, vec![e4.id, e1.id]),
        (SearchQuery { author: Some(ADA), ..physics() }, vec![e2.id, e1.id]),
        (SearchQuery { occurred: Some(TimeRange::new(t(3, 0), t(4, 0))), ..physics() }, vec![e1.id]),
        (SearchQuery { occurred: Some(TimeRange::new(t(4, 0), t(30, 0))), ..physics() }, vec![e4.id, e2.id]),
    ];
    for (query, want) in combined {
        assert_eq!(ids(&db.search(A, &query).await), want, "{query:?}");
        // Every note but e4's says "training".
        let ranked = worded("training", query.clone());
        let want: Vec<EntryId> = want.into_iter().filter(|id| *id != e4.id).collect();
        assert_eq!(sorted(ids(&db.search(A, &ranked).await)), sorted(want), "{ranked:?}");
    }

    // Another member's private entry stays hidden under every department it names.
    let ada = seen_by(ADA, physics());
    let page = db.search(A, &ada).await;
    assert_eq!((ids(&page), page.total), (vec![e2.id, e1.id], 2));
    assert!(db.search(A, &seen_by(ADA, worded("printing", art.clone()))).await.hits.is_empty());
    assert_eq!(ids(&db.search(A, &seen_by(BEN, art)).await), vec![e4.id, e3.id]);
    let tagged = seen_by(ADA, SearchQuery { tag: eebo, ..physics() });
    assert_eq!(ids(&db.search(A, &tagged).await), vec![e1.id]);
}

async fn a_department_under_two_names_finds_an_entry_naming_both_once(db: Db) {
    // Filed under the old name, with the new name as another department (an edit after a rename).
    let both = db.add(filed(A, "History", &["History and Classics"], 3, "old and new names")).await;
    let new_name = db.add(filed(A, "Physics", &["History and Classics"], 4, "old and new names")).await;
    let renamed = SearchQuery { department: filed_under(&["History", "History and Classics"]), ..q("") };
    let page = db.search(A, &renamed).await;
    assert_eq!((ids(&page), page.total), (vec![new_name.id, both.id], 2));
    let ranked = db.search(A, &worded("names", renamed.clone())).await;
    assert_eq!((sorted(ids(&ranked)), ranked.total), (vec![both.id, new_name.id], 2));
    let filter = EntryFilter { occurred: None, department: renamed.department.clone() };
    assert_eq!(db.store.count_entries(A, &filter).await.unwrap(), 2);
    let by_channel = db.store.counts(A, &filter, CountBy::Channel).await.unwrap();
    assert_eq!(by_channel.iter().map(|c| c.count).sum::<u64>(), 2);
}

async fn a_partner_filter_finds_its_entries_with_every_other_filter(db: Db) {
    let library = partner(&db, A, "The Wellcome Library").await;
    let press = partner(&db, A, "University Press").await;
    let elsewhere = partner(&db, B, "The Wellcome Library").await;
    let e1 = db
        .add(about(
            NewEntry { tags: tags(&["money"]), ..filed(A, "History", &["Physics"], 3, "budget meeting") },
            &[&library],
        ))
        .await;
    let e2 = db
        .add(about(
            NewEntry { channel: channel("coffee"), ..filed(A, "Physics", &[], 4, "budget review") },
            &[&press, &library],
        ))
        .await;
    let e3 = db.add(about(filed(A, "History", &[], 5, "budget"), &[&press])).await;
    let e4 = db.add(bens_private(about(filed(A, "Art", &[], 6, "budget"), &[&library]))).await;
    db.add(filed(A, "History", &[], 7, "budget")).await;
    let b = db.add(about(filed(B, "History", &[], 3, "budget"), &[&elsewhere])).await;
    let of = |p: &Partner| SearchQuery { partner: Some(p.id), ..q("") };

    let page = db.search(A, &of(&library)).await;
    assert_eq!((ids(&page), page.total), (vec![e4.id, e2.id, e1.id], 3));
    assert_eq!(ids(&db.search(A, &of(&press)).await), vec![e3.id, e2.id]);
    assert_eq!(sorted(ids(&db.search(A, &worded("budget", of(&library))).await)), vec![e1.id, e2.id, e4.id]);
    assert_eq!(ids(&db.search(A, &worded("review", of(&library))).await), vec![e2.id]);
    // A partner of another guild finds nothing here, and its own guild's entries there.
    assert!(db.search(A, &of(&elsewhere)).await.hits.is_empty());
    assert!(db.search(A, &worded("budget", of(&elsewhere))).await.hits.is_empty());
    assert_eq!(ids(&db.search(B, &of(&elsewhere)).await), vec![b.id]);
    assert!(db.search(B, &of(&library)).await.hits.is_empty());
    for (n, want) in [e4.id, e2.id, e1.id].into_iter().enumerate() {
        let one = db.search(A, &SearchQuery { page: n as u32, per_page: 1, ..of(&library) }).await;
        assert_eq!((ids(&one), one.total), (vec![want], 3), "page {n}");
    }

    let money = Some(Tag::parse("money").unwrap());
    let combined: Vec<(SearchQuery, Vec<EntryId>)> = vec![
        (SearchQuery { tag: money, ..of(&library) }, vec![e1.id]),
        (SearchQuery { channel: Some("coffee".into()), ..of(&library) }, vec![e2.id]),
        (SearchQuery { author: Some(BEN), ..of(&library) }, vec![e4.id]),
        (SearchQuery { occurred: Some(TimeRange::new(t(4, 0), t(5, 0))), ..of(&library) }, vec![e2.id]),
        // Physics as its own department (e2) or as another (e1).
        (SearchQuery { department: filed_under(&["Physics"]), ..of(&library) }, vec![e2.id, e1.id]),
        (SearchQuery { department: filed_under(&["History"]), ..of(&library) }, vec![e1.id]),
        (SearchQuery { department: filed_under(&["History"]), ..of(&press) }, vec![e3.id]),
        (SearchQuery { department: filed_under(&["Art"]), ..of(&press) }, vec![]),
        (seen_by(ADA, of(&library)), vec![e2.id, e1.id]),
        (seen_by(BEN, of(&library)), vec![e4.id, e2.id, e1.id]),
    ];
    let by_index = db.open_searching_partners_by_index().await;
    for (query, want) in combined {
        let page = db.search(A, &query).await;
        assert_eq!((ids(&page), page.total), (want.clone(), want.len() as u64), "{query:?}");
        let worded = worded("budget", query.clone());
        let ranked = db.search(A, &worded).await;
        assert_eq!(sorted(ids(&ranked)), sorted(want.clone()), "ranked {query:?}");
        let ranked = by_index.search(A, &worded, now()).await.unwrap();
        assert_eq!(sorted(ids(&ranked)), sorted(want.clone()), "ranked by the index {query:?}");
    }
}

async fn counts_take_an_entry_under_each_department_and_once_otherwise(db: Db) {
    let e1 =
        db.add(NewEntry { channel: channel("coffee"), ..filed(A, "History", &["Physics"], 3, "one") }).await;
    let e2 = db.add(filed(A, "Physics", &[], 4, "two")).await;
    let e3 = db.add(filed(A, "Art", &["History"], 5, "three")).await;
    db.add(filed(B, "Art", &["Physics"], 4, "elsewhere")).await;
    let counts = |filter: EntryFilter, by: CountBy| {
        let db = &db;
        async move {
            let counted = db.store.counts(A, &filter, by).await.unwrap();
            counted.into_iter().map(|c| (c.key, c.count)).collect::<Vec<(String, u64)>>()
        }
    };
    let pairs = |list: &[(&str, u64)]| list.iter().map(|(k, n)| (k.to_string(), *n)).collect::<Vec<_>>();
    let all = EntryFilter::default();
    assert_eq!(
        counts(all.clone(), CountBy::Department).await,
        pairs(&[("History", 2), ("Physics", 2), ("Art", 1)])
    );
    assert_eq!(counts(all.clone(), CountBy::Formality).await, pairs(&[("formal", 2), ("informal", 1)]));
    assert_eq!(counts(all.clone(), CountBy::Channel).await, pairs(&[("desk", 2), ("coffee", 1)]));
    assert_eq!(counts(all.clone(), CountBy::Author).await.iter().map(|c| c.1).sum::<u64>(), 3);

    let physics = EntryFilter { occurred: None, department: filed_under(&["Physics"]) };
    assert_eq!(counts(physics.clone(), CountBy::Department).await, pairs(&[("Physics", 2), ("History", 1)]));
    assert_eq!(counts(physics.clone(), CountBy::Channel).await, pairs(&[("coffee", 1), ("desk", 1)]));
    assert_eq!(counts(physics.clone(), CountBy::Formality).await, pairs(&[("formal", 1), ("informal", 1)]));
    assert_eq!(db.store.count_entries(A, &physics).await.unwrap(), 2);
    let listed = db.store.entries_after(A, &physics, None, 10).await.unwrap();
    assert_eq!(entry_ids(&listed), vec![e1.id, e2.id]);

    let week = Some(TimeRange::new(t(4, 0), t(6, 0)));
    let later = EntryFilter { occurred: week, department: None };
    assert_eq!(
        counts(later, CountBy::Department).await,
        pairs(&[("Art", 1), ("History", 1), ("Physics", 1)])
    );
    let history_later = EntryFilter { occurred: week, department: filed_under(&["History"]) };
    assert_eq!(
        counts(history_later.clone(), CountBy::Department).await,
        pairs(&[("Art", 1), ("History", 1)])
    );
    assert_eq!(counts(history_later.clone(), CountBy::Formality).await, pairs(&[("formal", 1)]));
    let listed = db.store.entries_after(A, &history_later, None, 10).await.unwrap();
    assert_eq!(entry_ids(&listed), vec![e3.id]);
}

async fn last_heard_and_the_digests_groups_include_other_departments(db: Db) {
    let e1 = db.add(filed(A, "History", &["Art", "History and Classics"], 3, "one")).await;
    let e2 = db.add(filed(A, "Art", &[], 2, "two")).await;
    let e3 = db.add(filed(A, "Physics", &[], 1, "three")).await;
    db.add(filed(B, "Physics", &["Art"], 9, "elsewhere")).await;
    let heard: Vec<(String, chrono::DateTime<chrono::Utc>)> =
        db.store.last_heard(A).await.unwrap().into_iter().map(|l| (l.department.to_string(), l.at)).collect();
    let at = |day| t(day, 10);
    assert_eq!(
        heard,
        vec![
            ("Art".to_string(), at(3)),
            ("History".to_string(), at(3)),
            ("History and Classics".to_string(), at(3)),
            ("Physics".to_string(), at(1)),
        ]
    );

    let groups = db.store.entries_by_department(A, TimeRange::new(t(1, 0), t(8, 0))).await.unwrap();
    let got: Vec<(DepartmentKey, Vec<EntryId>)> =
        groups.iter().map(|g| (g.department.clone(), entry_ids(&g.entries))).collect();
    let key = DepartmentKey::from_stored;
    assert_eq!(
        got,
        vec![
            (key("Art"), vec![e2.id, e1.id]),
            (key("History"), vec![e1.id]),
            (key("History and Classics"), vec![e1.id]),
            (key("Physics"), vec![e3.id]),
        ]
    );
    // The copies are the entry as read, its links included.
    let copy: &Entry = &groups[0].entries[1];
    assert_eq!(copy.also_departments, vec![key("Art"), key("History and Classics")]);
}
