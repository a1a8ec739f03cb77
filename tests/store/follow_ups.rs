//! Follow-ups: listing open ones, closing and reopening, those done in a period, and those due in
//! a window across every guild (the reminder scheduler's walk).

use chrono::NaiveDate;
use liaison::domain::entry::{FollowUp, FollowUpStatus, NewEntry};
use liaison::domain::ids::{EntryId, GuildId};
use liaison::domain::search::SearchQuery;
use liaison::domain::time_range::TimeRange;
use liaison::store::FollowUpFilter;

use crate::harness::Db;
use crate::{department, entry_ids, filed_under, ids, new, q, t, A, ADA, B, BEN};

crate::conformance!(
    follow_ups_list_soonest_first_and_close_and_reopen,
    follow_ups_done_in_a_period_in_the_order_they_were_done,
    follow_ups_due_span_every_guild_open_ones_only_bounds_included,
);

async fn follow_ups_list_soonest_first_and_close_and_reopen(db: Db) {
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let later = db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, day(20))), ..new(A, "a") }).await;
    let sooner = db.add(NewEntry { follow_up: Some(FollowUp::open(BEN, day(10))), ..new(A, "b") }).await;
    let physics = db
        .add(NewEntry {
            follow_up: Some(FollowUp::open(ADA, day(10))),
            department: department("Physics"),
            ..new(A, "c")
        })
        .await;
    let none = db.add(new(A, "d")).await;
    // Filed under History, about Physics too: Physics's follow-ups list it.
    let shared = db
        .add(NewEntry {
            follow_up: Some(FollowUp::open(BEN, day(25))),
            also_departments: vec![department("Physics")],
            ..new(A, "e")
        })
        .await;
    let store = &db.store;
    let list = |f: FollowUpFilter| async move { entry_ids(&store.open_follow_ups(A, &f).await.unwrap()) };
    assert_eq!(list(FollowUpFilter::default()).await, vec![sooner.id, physics.id, later.id, shared.id]);
    assert_eq!(
        list(FollowUpFilter { owner: Some(ADA), ..Default::default() }).await,
        vec![physics.id, later.id]
    );
    assert_eq!(
        list(FollowUpFilter { department: filed_under(&["Physics"]), ..Default::default() }).await,
        vec![physics.id, shared.id]
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
    assert_eq!(list(FollowUpFilter::default()).await, vec![physics.id, later.id, shared.id]);
    let reopened = db.store.set_follow_up_done(A, sooner.id, None).await.unwrap().unwrap();
    assert_eq!(reopened.follow_up, Some(FollowUp::open(BEN, day(10))));
    assert!(db.store.set_follow_up_done(A, none.id, Some(t(9, 12))).await.unwrap().is_none());
    assert!(db.store.set_follow_up_done(A, EntryId(999), None).await.unwrap().is_none());
    // Closing a follow-up leaves the entry searchable.
    assert_eq!(ids(&db.search(A, &SearchQuery { author: Some(ADA), ..q("b") }).await), vec![sooner.id]);
}

async fn follow_ups_done_in_a_period_in_the_order_they_were_done(db: Db) {
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

async fn follow_ups_due_span_every_guild_open_ones_only_bounds_included(db: Db) {
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let with_due =
        |guild: GuildId, d: u32| NewEntry { follow_up: Some(FollowUp::open(ADA, day(d))), ..new(guild, "x") };
    let a12 = db.add(with_due(A, 12)).await;
    let b13 = db.add(with_due(B, 13)).await;
    let a10 = db.add(with_due(A, 10)).await;
    let b11 = db.add(with_due(B, 11)).await;
    let _before = db.add(with_due(A, 9)).await;
    let _after = db.add(with_due(B, 14)).await;
    let done = db.add(with_due(A, 11)).await;
    db.store.set_follow_up_done(A, done.id, Some(t(11, 9))).await.unwrap().unwrap();
    db.add(new(A, "no follow-up")).await;
    let due = db.store.follow_ups_due(day(10), day(13)).await.unwrap();
    assert_eq!(
        entry_ids(&due),
        vec![a10.id, b11.id, a12.id, b13.id],
        "both guilds, soonest first, bounds included"
    );
    assert_eq!(due.iter().map(|e| e.guild).collect::<Vec<_>>(), vec![A, B, A, B], "each with its own guild");
    assert_eq!(entry_ids(&db.store.follow_ups_due(day(11), day(11)).await.unwrap()), vec![b11.id]);
    assert!(db.store.follow_ups_due(day(15), day(30)).await.unwrap().is_empty());
    // Reopened, it is due again.
    db.store.set_follow_up_done(A, done.id, None).await.unwrap().unwrap();
    let due: Vec<EntryId> = entry_ids(&db.store.follow_ups_due(day(11), day(11)).await.unwrap());
    assert_eq!(due, vec![b11.id, done.id]);
}
