//! Follow-up reminder claims: once per (guild, entry, due date), released with a backoff, finished
//! for good, and the undelivered ones that the digest reports instead.

use chrono::{Duration, NaiveDate};
use liaison::domain::entry::{FollowUp, NewEntry};
use liaison::domain::ids::EntryId;
use liaison::store::{ReminderEnd, ReminderKey};

use crate::harness::Db;
use crate::{new, t, A, ADA, B, BEN};

crate::conformance!(
    a_reminder_is_claimed_once_released_with_a_backoff_and_finished_for_good,
    undelivered_reminders_are_this_guilds_within_the_due_dates,
    a_refused_reminders_owner_is_told_once_while_the_follow_up_is_open,
);

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

async fn a_reminder_is_claimed_once_released_with_a_backoff_and_finished_for_good(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let key = ReminderKey { guild: A, entry: EntryId(7), due: day(20) };
    assert!(store.reminder(&key).await.unwrap().is_none());
    let now = t(20, 8);
    assert!(store.claim_reminder(&key, now, lease).await.unwrap(), "the first claim wins");
    assert!(!store.claim_reminder(&key, now, lease).await.unwrap(), "a second one loses");
    let moved = ReminderKey { due: day(21), ..key };
    assert!(store.claim_reminder(&moved, now, lease).await.unwrap(), "a new due date is a new reminder");
    assert!(store.claim_reminder(&ReminderKey { guild: B, ..key }, now, lease).await.unwrap());
    // The claimant died: once the lease lapses, it is retaken.
    let lapsed = now + lease + Duration::seconds(1);
    assert!(store.claim_reminder(&key, lapsed, lease).await.unwrap());

    let retry = lapsed + Duration::minutes(5);
    store.release_reminder(&key, "Discord answered 503", retry).await.unwrap();
    let run = store.reminder(&key).await.unwrap().unwrap();
    assert_eq!(
        (run.key, run.attempts, run.finished_at, run.end, run.last_error.as_deref(), run.retry_at),
        (key, 2, None, None, Some("Discord answered 503"), Some(retry))
    );
    assert!(!store.claim_reminder(&key, retry - Duration::seconds(1), lease).await.unwrap(), "backing off");
    assert!(store.claim_reminder(&key, retry, lease).await.unwrap());

    let delivered = ReminderEnd::Delivered { message_id: u64::MAX };
    store.finish_reminder(&key, &delivered, retry).await.unwrap();
    // Finished is final: no lease, release or restart makes it claimable again.
    store.release_reminder(&key, "late error", retry).await.unwrap();
    let much_later = retry + Duration::days(30);
    assert!(!store.claim_reminder(&key, much_later, lease).await.unwrap());
    let run = store.reminder(&key).await.unwrap().unwrap();
    assert_eq!((run.attempts, run.finished_at, run.end), (3, Some(retry), Some(delivered)));

    let closed = ReminderEnd::Undeliverable { error: "Cannot send messages to this user".into() };
    store.finish_reminder(&moved, &closed, now).await.unwrap();
    assert!(!store.claim_reminder(&moved, much_later, lease).await.unwrap());
    let run = store.reminder(&moved).await.unwrap().unwrap();
    assert_eq!((run.finished_at, run.end), (Some(now), Some(closed)));
}

async fn undelivered_reminders_are_this_guilds_within_the_due_dates(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let closed = || ReminderEnd::Undeliverable { error: "DMs closed".into() };
    let mut keys = Vec::new();
    for (guild, entry, due, end) in [
        (A, 1, 10, Some(closed())),
        (A, 2, 16, Some(closed())),
        (A, 3, 12, Some(ReminderEnd::Delivered { message_id: 5 })),
        (A, 4, 12, None),
        (A, 5, 9, Some(closed())),
        (A, 6, 17, Some(closed())),
        (B, 7, 12, Some(closed())),
        (A, 8, 12, Some(closed())),
    ] {
        let key = ReminderKey { guild, entry: EntryId(entry), due: day(due) };
        assert!(store.claim_reminder(&key, t(1, 0), lease).await.unwrap());
        if let Some(end) = end {
            store.finish_reminder(&key, &end, t(1, 1)).await.unwrap();
        }
        keys.push(key);
    }
    let runs = store.undelivered_reminders(A, day(10), day(16)).await.unwrap();
    let got: Vec<ReminderKey> = runs.iter().map(|r| r.key).collect();
    assert_eq!(
        got,
        vec![keys[0], keys[7], keys[1]],
        "this guild, undeliverable, bounds included, by due date"
    );
    assert!(runs.iter().all(|r| r.end == Some(closed()) && r.last_error.as_deref() == Some("DMs closed")));
    assert_eq!(store.undelivered_reminders(B, day(1), day(30)).await.unwrap().len(), 1);
    assert!(store.undelivered_reminders(A, day(18), day(30)).await.unwrap().is_empty());
}

async fn a_refused_reminders_owner_is_told_once_while_the_follow_up_is_open(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let owned = |guild, owner, due: u32| NewEntry {
        follow_up: Some(FollowUp::open(owner, day(due))),
        ..new(guild, "x")
    };
    let adas_late = db.add(owned(A, ADA, 12)).await;
    let adas_early = db.add(owned(A, ADA, 10)).await;
    let bens = db.add(owned(A, BEN, 10)).await;
    let adas_delivered = db.add(owned(A, ADA, 11)).await;
    let adas_done = db.add(owned(A, ADA, 11)).await;
    let adas_moved = db.add(owned(A, ADA, 11)).await;
    let adas_elsewhere = db.add(owned(B, ADA, 10)).await;
    let closed = ReminderEnd::Undeliverable { error: "DMs closed".into() };
    let refused = [&adas_late, &adas_early, &bens, &adas_done, &adas_moved, &adas_elsewhere];
    for e in refused.iter().copied().chain([&adas_delivered]) {
        let key = ReminderKey { guild: e.guild, entry: e.id, due: e.follow_up.as_ref().unwrap().due };
        assert!(store.claim_reminder(&key, t(1, 0), lease).await.unwrap());
        let end =
            if e.id == adas_delivered.id { ReminderEnd::Delivered { message_id: 9 } } else { closed.clone() };
        store.finish_reminder(&key, &end, t(1, 1)).await.unwrap();
    }
    store.set_follow_up_done(A, adas_done.id, Some(t(2, 0))).await.unwrap();
    // A new due date: the refused reminder was for the old one.
    db.write_behind(&format!("UPDATE entries SET follow_up_due = '2026-11-25' WHERE id = {}", adas_moved.id))
        .await;

    let told = store.take_reminder_notices(A, ADA, t(3, 0)).await.unwrap();
    let entries: Vec<EntryId> = told.iter().map(|k| k.entry).collect();
    assert_eq!(
        entries,
        [adas_early.id, adas_late.id],
        "Ada's, open on that date, in this guild, oldest due first"
    );
    assert_eq!(told[0], ReminderKey { guild: A, entry: adas_early.id, due: day(10) });
    assert!(store.take_reminder_notices(A, ADA, t(3, 1)).await.unwrap().is_empty(), "told once");
    let bens_told = store.take_reminder_notices(A, BEN, t(3, 2)).await.unwrap();
    assert_eq!(bens_told.iter().map(|k| k.entry).collect::<Vec<_>>(), [bens.id]);
    assert_eq!(store.take_reminder_notices(B, ADA, t(3, 3)).await.unwrap().len(), 1);
    // Told or not, admins still see every refusal.
    assert_eq!(store.undelivered_reminders(A, day(1), day(30)).await.unwrap().len(), 5);
}
