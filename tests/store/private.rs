//! Private captures in search: a viewer who is not an admin never finds another member's private
//! entries, ranked or listed, and the total leaves them out so that pages add up; their own
//! private entries they do find; no viewer (an admin, the CLI) finds everything.

use std::collections::BTreeSet;

use liaison::domain::entry::{Author, NewEntry};
use liaison::domain::ids::{EntryId, UserId};
use liaison::domain::privacy::Share;
use liaison::domain::search::SearchQuery;
use liaison::domain::tag::Tag;
use liaison::domain::time_range::TimeRange;

use crate::harness::Db;
use crate::{ids, new, q, t, tags, A, ADA, B, BEN};

crate::conformance!(
    a_viewer_finds_their_own_private_entries_and_no_one_elses,
    filters_and_pages_add_up_without_others_private_entries,
    a_window_full_of_others_private_entries_still_finds_the_rest,
);

const CAROL: UserId = UserId(7);

fn by(author: UserId, name: &str, entry: NewEntry) -> NewEntry {
    NewEntry { author: Author { id: author, name: name.to_string() }, ..entry }
}

fn private(entry: NewEntry) -> NewEntry {
    NewEntry { share: Share::Private, ..entry }
}

fn viewed_by(viewer: Option<UserId>, query: SearchQuery) -> SearchQuery {
    SearchQuery { viewer, ..query }
}

fn set(list: &[EntryId]) -> BTreeSet<EntryId> {
    list.iter().copied().collect()
}

async fn a_viewer_finds_their_own_private_entries_and_no_one_elses(db: Db) {
    let adas_private = db.add(private(new(A, "Loan fines waived for a student in hardship"))).await;
    let adas_team = db.add(new(A, "Loan desk queue was long")).await;
    let bens_private = db.add(private(by(BEN, "Ben", new(A, "Loan of a rare book to a lecturer")))).await;
    let bens_team = db.add(by(BEN, "Ben", new(A, "Loan periods explained to new students"))).await;
    // Another guild's private entry by Ben, which no search of A may find either way.
    db.add(private(by(BEN, "Ben", new(B, "Loan elsewhere")))).await;

    let everyone = set(&[adas_private.id, adas_team.id, bens_private.id, bens_team.id]);
    let cases = [
        (None, everyone.clone()),
        (Some(ADA), set(&[adas_private.id, adas_team.id, bens_team.id])),
        (Some(BEN), set(&[adas_team.id, bens_private.id, bens_team.id])),
        (Some(CAROL), set(&[adas_team.id, bens_team.id])),
    ];
    for (viewer, expected) in cases {
        for text in ["loan", ""] {
            let page = db.search(A, &viewed_by(viewer, q(text))).await;
            assert_eq!(set(&ids(&page)), expected, "{viewer:?} searching {text:?}");
            assert_eq!(page.total, expected.len() as u64, "{viewer:?} searching {text:?}: the total");
            assert!(!page.total_is_capped);
        }
    }
    // A word only another's private entry holds finds nothing, not even a count.
    let rare = db.search(A, &viewed_by(Some(CAROL), q("rare"))).await;
    assert!(rare.hits.is_empty() && rare.total == 0, "{rare:?}");
    let rare = db.search(A, &viewed_by(Some(BEN), q("rare"))).await;
    assert_eq!(ids(&rare), vec![bens_private.id]);
}

async fn filters_and_pages_add_up_without_others_private_entries(db: Db) {
    // Ada's private entries among Ben's team ones, all tagged, alternating in capture order.
    let mut bens = Vec::new();
    for i in 0..6 {
        let tagged = |e: NewEntry| NewEntry { tags: tags(&["theses"]), occurred_at: t(2 + i, 10), ..e };
        db.add(tagged(private(new(A, &format!("Thesis deposit question {i}"))))).await;
        bens.push(db.add(tagged(by(BEN, "Ben", new(A, &format!("Thesis binding question {i}"))))).await.id);
    }
    let theses = || SearchQuery { tag: Some(Tag::parse("theses").unwrap()), ..q("") };
    let by_ada = || SearchQuery { author: Some(ADA), ..q("") };
    let november = || SearchQuery { occurred: Some(TimeRange::new(t(1, 0), t(30, 0))), ..q("") };
    for (name, query, expected) in [
        ("ranked", q("thesis question"), bens.len()),
        ("tag, listed", theses(), bens.len()),
        ("tag, ranked", SearchQuery { tag: theses().tag, ..q("question") }, bens.len()),
        ("author, listed", by_ada(), 0),
        ("date range, listed", november(), bens.len()),
    ] {
        let first = db.search(A, &viewed_by(Some(BEN), SearchQuery { per_page: 4, ..query.clone() })).await;
        assert_eq!(first.total, expected as u64, "{name}: the total");
        let second =
            db.search(A, &viewed_by(Some(BEN), SearchQuery { per_page: 4, page: 1, ..query.clone() })).await;
        let mut seen = ids(&first);
        seen.extend(ids(&second));
        assert_eq!(set(&seen), set(&bens[..expected]), "{name}: both pages, Ben's only");
        assert_eq!(seen.len(), expected, "{name}: no entry twice");
        // Without a viewer, Ada's are there too.
        let all = db.search(A, &viewed_by(None, query)).await;
        let twice = if expected == 0 { 6 } else { 2 * expected };
        assert_eq!(all.total, twice as u64, "{name}: everything");
    }
}

/// The ranked window holds the newest matches that pass the filters: another member's private
/// entries, however many and however new, do not take up its room.
async fn a_window_full_of_others_private_entries_still_finds_the_rest(db: Db) {
    let tagged = |e: NewEntry| NewEntry { tags: tags(&["loans"]), ..e };
    let older = db.add(tagged(by(BEN, "Ben", new(A, "Reading list for the loan module")))).await;
    for i in 0..8 {
        db.add(tagged(private(new(A, &format!("Loan note {i}"))))).await;
    }
    let store = db.open_again(Some(3)).await;
    let page = store.search(A, &viewed_by(Some(BEN), q("loan")), crate::now()).await.unwrap();
    assert_eq!((ids(&page), page.total, page.total_is_capped), (vec![older.id], 1, false));
    let page = store.search(A, &viewed_by(Some(CAROL), q("")), crate::now()).await.unwrap();
    assert_eq!((ids(&page), page.total, page.total_is_capped), (vec![older.id], 1, false));
    // A tag more entries carry than the window holds is counted another way; the same answer.
    let loans = SearchQuery { tag: Some(Tag::parse("loans").unwrap()), ..q("") };
    let page = store.search(A, &viewed_by(Some(CAROL), loans.clone()), crate::now()).await.unwrap();
    assert_eq!((ids(&page), page.total, page.total_is_capped), (vec![older.id], 1, false));
    let page = store.search(A, &viewed_by(None, loans), crate::now()).await.unwrap();
    assert_eq!((page.total, page.total_is_capped), (3, true));
}
