//! A department renamed in the config keeps its old name as an alias, and its entries stay filed
//! under the name they were captured with: every filter on it takes both keys.

use chrono::NaiveDate;
use liaison::domain::entry::{FollowUp, NewEntry};
use liaison::domain::ids::EntryId;
use liaison::domain::search::SearchQuery;
use liaison::domain::stats::CountBy;
use liaison::domain::tag::Tag;
use liaison::domain::time_range::TimeRange;
use liaison::store::{EntryFilter, FollowUpFilter};

use crate::harness::Db;
use crate::{department, entry_ids, filed_under, ids, new, q, t, tags, A, ADA, B};

crate::conformance!(a_filter_on_two_keys_finds_entries_filed_under_either);

async fn a_filter_on_two_keys_finds_entries_filed_under_either(db: Db) {
    let due = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let filed = |name: &str, day: u32| NewEntry {
        department: department(name),
        tags: tags(&["loans"]),
        occurred_at: t(day, 9),
        follow_up: Some(FollowUp::open(ADA, due)),
        ..new(A, "Questions about loans")
    };
    let old = db.add(filed("History", 2)).await;
    let renamed = db.add(filed("History and Classics", 3)).await;
    db.add(filed("Physics", 4)).await;
    db.add(NewEntry { department: department("History"), ..filed("History", 5) }).await;
    db.add(NewEntry { guild: B, ..filed("History", 5) }).await;
    let latest = db.add(filed("History and Classics", 6)).await;
    let both = filed_under(&["History and Classics", "History"]);
    let sorted = |mut found: Vec<EntryId>| {
        found.sort();
        found
    };

    let history_only: Vec<EntryId> = {
        let page = db.search(A, &SearchQuery { department: filed_under(&["History"]), ..q("") }).await;
        sorted(ids(&page))
    };
    assert_eq!(history_only.len(), 2, "the old key alone finds only what was filed under it");
    assert!(history_only.contains(&old.id) && !history_only.contains(&renamed.id));

    let mut want = history_only.clone();
    want.extend([renamed.id, latest.id]);
    let want = sorted(want);
    let loans = Tag::parse("loans").unwrap();
    for text in ["loans", ""] {
        let queries = [
            SearchQuery { department: both.clone(), ..q(text) },
            SearchQuery { department: both.clone(), author: Some(ADA), ..q(text) },
            SearchQuery { department: both.clone(), tag: Some(loans.clone()), ..q(text) },
            SearchQuery {
                department: both.clone(),
                occurred: Some(TimeRange::new(t(1, 0), t(30, 0))),
                ..q(text)
            },
        ];
        for query in queries {
            let page = db.search(A, &query).await;
            assert_eq!(sorted(ids(&page)), want, "{query:?}");
            assert_eq!((page.total, page.total_is_capped), (4, false), "{query:?}");
        }
        let ranged = SearchQuery {
            department: both.clone(),
            occurred: Some(TimeRange::new(t(3, 0), t(6, 0))),
            ..q(text)
        };
        assert_eq!(sorted(ids(&db.search(A, &ranged).await)), sorted(vec![renamed.id, want[2]]), "{text:?}");
    }
    // Newest first across both keys.
    let listing = db.search(A, &SearchQuery { department: both.clone(), ..q("") }).await;
    assert_eq!(ids(&listing)[0], latest.id);

    let filter = EntryFilter { department: both.clone(), ..EntryFilter::default() };
    assert_eq!(entry_ids(&db.store.entries_after(A, &filter, None, 10).await.unwrap()), want);
    assert_eq!(db.store.count_entries(A, &filter).await.unwrap(), 4);
    let counts = db.store.counts(A, &filter, CountBy::Department).await.unwrap();
    let mut counted: Vec<(String, u64)> = counts.into_iter().map(|c| (c.key, c.count)).collect();
    counted.sort();
    assert_eq!(counted, [("History".to_string(), 2), ("History and Classics".to_string(), 2)]);

    let follow_ups = FollowUpFilter { department: both, ..FollowUpFilter::default() };
    let open = db.store.open_follow_ups(A, &follow_ups).await.unwrap();
    assert_eq!(sorted(entry_ids(&open)), want);
}
