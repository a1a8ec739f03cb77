//! Editing every field of an entry (issue 16): department, channel, date, follow-up, note and
//! tags change in one write, and everything that reads them follows: search (text, department,
//! channel and date filters), counts, follow-up listings, and the link rows' times.

use chrono::{Duration, NaiveDate};
use liaison::domain::entry::{EntryEdit, FollowUp, NewEntry};
use liaison::domain::note::Note;
use liaison::domain::partner::{NewPartner, PartnerKind, PartnerName, PartnerProfile, PartnerStatus};
use liaison::domain::search::SearchQuery;
use liaison::domain::stats::CountBy;
use liaison::domain::time_range::TimeRange;
use liaison::store::{EntryFilter, FollowUpFilter};

use crate::harness::Db;
use crate::{channel, department, entry_ids, filed_under, ids, new, q, t, tags, A, ADA, B, BEN};

crate::conformance!(
    an_edit_changes_every_field_and_search_follows,
    an_edit_clears_a_follow_up_and_sets_one_again,
    an_edit_moves_its_links_in_time,
    an_edit_never_touches_another_guilds_entry,
);

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

async fn an_edit_changes_every_field_and_search_follows(db: Db) {
    let e = db
        .add(NewEntry {
            tags: tags(&["loans"]),
            follow_up: Some(FollowUp::open(ADA, day(1))),
            ..new(A, "Asked about interlibrary loans")
        })
        .await;
    let other = db.add(new(A, "Asked about the history reading room")).await;
    let moved = EntryEdit {
        department: department("Physics").key().clone(),
        channel: channel("coffee").key().clone(),
        informal: true,
        occurred_at: t(20, 12),
        follow_up: Some(FollowUp::open(BEN, day(9))),
        ..EntryEdit::of_text(
            &e,
            Note::parse("Asked about thesis binding").unwrap(),
            tags(&["theses"]),
            0,
            t(21, 9),
        )
    };
    let edited = db.store.edit_entry(A, e.id, &moved).await.unwrap().unwrap();
    assert_eq!(edited.department.as_str(), "Physics");
    assert_eq!((edited.channel.as_str(), edited.informal), ("coffee", true));
    assert_eq!(edited.occurred_at, t(20, 12));
    assert_eq!(edited.follow_up, Some(FollowUp::open(BEN, day(9))));
    assert_eq!(
        (edited.note.as_str(), edited.tags.clone()),
        ("Asked about thesis binding", tags(&["theses"]))
    );
    assert_eq!(edited.updated_at, Some(t(21, 9)));
    assert_eq!(edited.created_at, e.created_at, "when it was recorded stays");
    assert_eq!(db.store.entry(A, e.id).await.unwrap(), Some(edited.clone()), "read back as returned");

    // The new note and department find it; the old note and department do not.
    let physics = |text: &str| SearchQuery { department: filed_under(&["Physics"]), ..q(text) };
    let history = |text: &str| SearchQuery { department: filed_under(&["History"]), ..q(text) };
    assert_eq!(ids(&db.search(A, &q("binding")).await), vec![e.id]);
    assert_eq!(ids(&db.search(A, &physics("binding")).await), vec![e.id]);
    assert_eq!(ids(&db.search(A, &physics("")).await), vec![e.id]);
    assert!(db.search(A, &q("interlibrary")).await.hits.is_empty());
    assert!(db.search(A, &history("binding")).await.hits.is_empty());
    assert_eq!(ids(&db.search(A, &history("")).await), vec![other.id]);
    assert_eq!(ids(&db.search(A, &history("asked")).await), vec![other.id]);
    // Its channel and date, as filters.
    let coffee = SearchQuery { channel: Some(channel("coffee").key().clone()), ..q("asked") };
    assert_eq!(ids(&db.search(A, &coffee).await), vec![e.id]);
    let week = |from: u32| Some(TimeRange::new(t(from, 0), t(from, 0) + Duration::days(7)));
    assert_eq!(ids(&db.search(A, &SearchQuery { occurred: week(18), ..q("asked") }).await), vec![e.id]);
    assert_eq!(ids(&db.search(A, &SearchQuery { occurred: week(1), ..q("asked") }).await), vec![other.id]);

    // Counts and follow-ups read the new values.
    let counts = db.store.counts(A, &EntryFilter::default(), CountBy::Department).await.unwrap();
    let counted: Vec<(String, u64)> = counts.into_iter().map(|c| (c.key, c.count)).collect();
    assert_eq!(counted, vec![("History".to_string(), 1), ("Physics".to_string(), 1)]);
    let open = db.store.open_follow_ups(A, &FollowUpFilter::default()).await.unwrap();
    assert_eq!(entry_ids(&open), vec![e.id]);
    assert_eq!(open[0].follow_up, Some(FollowUp::open(BEN, day(9))));
}

async fn an_edit_clears_a_follow_up_and_sets_one_again(db: Db) {
    let e =
        db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, day(1))), ..new(A, "Reading lists") }).await;
    let cleared = EntryEdit { follow_up: None, ..EntryEdit::of_text(&e, e.note.clone(), vec![], 0, t(3, 9)) };
    let edited = db.store.edit_entry(A, e.id, &cleared).await.unwrap().unwrap();
    assert_eq!(edited.follow_up, None);
    assert!(db.store.open_follow_ups(A, &FollowUpFilter::default()).await.unwrap().is_empty());
    // A done one is written with its state and time as given.
    let done = FollowUp {
        status: liaison::domain::entry::FollowUpStatus::Done,
        done_at: Some(t(4, 9)),
        ..FollowUp::open(BEN, day(2))
    };
    let again = EntryEdit { follow_up: Some(done.clone()), ..cleared };
    let edited = db.store.edit_entry(A, e.id, &again).await.unwrap().unwrap();
    assert_eq!(edited.follow_up, Some(done));
    assert!(db.store.open_follow_ups(A, &FollowUpFilter::default()).await.unwrap().is_empty());
}

async fn an_edit_moves_its_links_in_time(db: Db) {
    let profile = PartnerProfile {
        kind: PartnerKind::Person,
        name: PartnerName::parse("Dr A. Field").unwrap(),
        departments: Vec::new(),
        owners: vec![ADA],
        notes: String::new(),
        link: None,
        status: PartnerStatus::Active,
    };
    let field = db
        .store
        .insert_partner(&NewPartner { guild: A, profile, created_by: ADA, created_at: t(1, 9) })
        .await
        .unwrap();
    let e = db
        .add(NewEntry {
            also_departments: vec![department("Art")],
            partners: vec![field.link()],
            ..new(A, "Exhibition catalogue")
        })
        .await;
    // Only the date changes: the links stay, at the new time.
    let later =
        EntryEdit { occurred_at: t(20, 12), ..EntryEdit::of_text(&e, e.note.clone(), vec![], 0, t(21, 9)) };
    let edited = db.store.edit_entry(A, e.id, &later).await.unwrap().unwrap();
    assert_eq!(edited.also_departments, vec![department("Art").key().clone()]);
    assert_eq!(edited.partners, e.partners);
    let days = db.store.partner_days(A, field.id, t(1, 0)).await.unwrap();
    assert_eq!(days, vec![(t(20, 0).date_naive(), 1)]);
    let in_week = |from: u32| EntryFilter {
        occurred: Some(TimeRange::new(t(from, 0), t(from, 0) + Duration::days(7))),
        ..EntryFilter::default()
    };
    let departments = |f: EntryFilter| {
        let store = &db.store;
        async move {
            let counts = store.counts(A, &f, CountBy::Department).await.unwrap();
            counts.into_iter().map(|c| (c.key, c.count)).collect::<Vec<_>>()
        }
    };
    assert_eq!(departments(in_week(18)).await, vec![("Art".to_string(), 1), ("History".to_string(), 1)]);
    assert!(departments(in_week(1)).await.is_empty(), "nothing left at the old time");
}

async fn an_edit_never_touches_another_guilds_entry(db: Db) {
    let theirs = db.add(new(B, "Their note")).await;
    let edit = EntryEdit {
        department: department("Physics").key().clone(),
        occurred_at: t(20, 12),
        ..EntryEdit::of_text(&theirs, Note::parse("Mine now").unwrap(), vec![], 0, t(21, 9))
    };
    assert!(db.store.edit_entry(A, theirs.id, &edit).await.unwrap().is_none());
    assert_eq!(db.store.entry(B, theirs.id).await.unwrap(), Some(theirs));
}
