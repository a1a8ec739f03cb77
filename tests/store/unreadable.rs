//! Rows the store cannot decode, written behind its back (an older version's row, a hand edit):
//! a listing, a search, an export page, the follow-ups, the digest's week and the scheduler's walks
//! leave such a row out and go on; asked for by id it is reported by id; it can still be deleted.
//! And what was stored is read back as stored, never parsed again.

use chrono::NaiveDate;
use liaison::domain::entry::{FollowUp, NewEntry};
use liaison::domain::ids::EntryId;
use liaison::domain::search::SearchQuery;
use liaison::domain::time_range::TimeRange;
use liaison::store::{EntryFilter, FollowUpFilter, StoreError};

use crate::harness::Db;
use crate::{entry_ids, ids, new, q, t, A, ADA, B};

crate::conformance!(
    notes_and_tags_read_back_as_stored_without_their_rules_applied_again,
    an_unreadable_row_is_left_out_of_every_listing_and_reported_by_id,
    export_pages_step_over_unreadable_rows,
    an_unreadable_done_follow_up_is_left_out_of_the_done_ones,
    an_unreadable_entry_can_still_be_deleted,
    a_guild_with_unreadable_digest_settings_leaves_the_others_listed,
);

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// A follow-up with no owner: what the schema's CHECK forbids and an old or hand-edited row has.
async fn break_follow_up(db: &Db, id: EntryId) {
    db.write_behind(&format!("UPDATE entries SET follow_up_owner = NULL WHERE id = {}", id.0)).await;
}

async fn notes_and_tags_read_back_as_stored_without_their_rules_applied_again(db: Db) {
    let e = db.add(new(A, "fine")).await;
    // Neither would pass `Note::parse` or `Tag::parse` today (empty; too long): a rule that changed
    // since they were written must not make them unreadable.
    db.overwrite_note(e.id.0, "   ").await;
    let long_tag = "a".repeat(60);
    db.write_behind(&format!("UPDATE entries SET tags = 'ok {long_tag}' WHERE id = {}", e.id.0)).await;
    let read = db.store.entry(A, e.id).await.expect("readable").expect("there");
    assert_eq!(read.note.as_str(), "   ");
    assert_eq!(read.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(), vec!["ok", long_tag.as_str()]);
}

async fn an_unreadable_row_is_left_out_of_every_listing_and_reported_by_id(db: Db) {
    let with_follow_up = |note| NewEntry { follow_up: Some(FollowUp::open(ADA, day(10))), ..new(A, note) };
    let before = db.add(with_follow_up("eebo training before")).await;
    let bad = db.add(with_follow_up("eebo training broken")).await;
    let after = db.add(with_follow_up("eebo training after")).await;
    break_follow_up(&db, bad.id).await;
    let good = vec![before.id, after.id];

    match db.store.entry(A, bad.id).await {
        Err(StoreError::Corrupt { id, .. }) => assert_eq!(id, bad.id.0),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    // A search that matches it says so by id, where it would have been; the others are shown, and
    // the total counts all three, so the pages add up.
    let ranked = db.search(A, &q("eebo")).await;
    assert_eq!((ids(&ranked), ranked.unreadable, ranked.total), (vec![after.id, before.id], vec![bad.id], 3));
    let listed = db.search(A, &SearchQuery { per_page: 50, ..SearchQuery::default() }).await;
    assert_eq!((ids(&listed).len(), listed.unreadable, listed.total), (2, vec![bad.id], 3));
    let all = db.store.entries_after(A, &EntryFilter::default(), None, 10).await.expect("entries_after");
    assert_eq!(entry_ids(&all), good);
    let open = db.store.open_follow_ups(A, &FollowUpFilter::default()).await.expect("open_follow_ups");
    assert_eq!(entry_ids(&open), good);
    let due = db.store.follow_ups_due(day(9), day(11)).await.expect("follow_ups_due");
    assert_eq!(entry_ids(&due), good);
    let week = db.store.entries_by_department(A, TimeRange::new(t(1, 0), t(8, 0))).await.expect("week");
    assert_eq!(week.iter().flat_map(|g| entry_ids(&g.entries)).collect::<Vec<_>>(), good);
}

async fn export_pages_step_over_unreadable_rows(db: Db) {
    let mut added = Vec::new();
    for n in 0..5 {
        added.push(
            db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, day(10))), ..new(A, &format!("n{n}")) })
                .await,
        );
    }
    // Two unreadable rows in a row: a page of two must still be filled from the rows after them.
    break_follow_up(&db, added[1].id).await;
    break_follow_up(&db, added[2].id).await;
    let all = EntryFilter::default();
    let first = db.store.entries_after(A, &all, None, 2).await.expect("first page");
    assert_eq!(entry_ids(&first), vec![added[0].id, added[3].id]);
    let rest = db.store.entries_after(A, &all, Some(added[3].id), 2).await.expect("second page");
    assert_eq!(entry_ids(&rest), vec![added[4].id]);
}

async fn an_unreadable_done_follow_up_is_left_out_of_the_done_ones(db: Db) {
    let with_follow_up = |note| NewEntry { follow_up: Some(FollowUp::open(ADA, day(10))), ..new(A, note) };
    let fine = db.add(with_follow_up("fine")).await;
    let bad = db.add(with_follow_up("bad")).await;
    for e in [&fine, &bad] {
        db.store.set_follow_up_done(A, e.id, Some(t(3, 9))).await.expect("done").expect("there");
    }
    break_follow_up(&db, bad.id).await;
    let done = db.store.follow_ups_done(A, TimeRange::new(t(1, 0), t(8, 0))).await.expect("follow_ups_done");
    assert_eq!(entry_ids(&done), vec![fine.id]);
}

async fn an_unreadable_entry_can_still_be_deleted(db: Db) {
    let bad = db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, day(10))), ..new(A, "bad") }).await;
    break_follow_up(&db, bad.id).await;
    let author = db.store.entry_author(A, bad.id).await.expect("author").expect("there");
    assert_eq!(author.id, ADA);
    assert!(db.store.entry_author(B, bad.id).await.expect("author").is_none(), "another guild's entry");
    assert!(db.store.delete_entry(A, bad.id).await.expect("delete"));
    assert!(db.store.entry(A, bad.id).await.expect("read").is_none());
    assert!(db.store.entry_author(A, bad.id).await.expect("author").is_none());
}

async fn a_guild_with_unreadable_digest_settings_leaves_the_others_listed(db: Db) {
    use liaison::domain::digest_settings::DigestSettings;
    let a = DigestSettings {
        guild: A,
        channel: 7,
        weekday: chrono::Weekday::Mon,
        time: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        timezone: chrono_tz::Europe::London,
        enabled: true,
        post_empty_weeks: false,
        problem: None,
    };
    db.store.save_digest_settings(&a, t(1, 0)).await.unwrap();
    db.store.save_digest_settings(&DigestSettings { guild: B, ..a.clone() }, t(1, 0)).await.unwrap();
    // B is 2 as stored on either backend.
    db.write_behind("UPDATE digest_settings SET timezone = 'Mars/Olympus_Mons' WHERE guild_id = 2").await;
    assert_eq!(db.store.enabled_digests().await.expect("enabled_digests"), vec![a]);
}
