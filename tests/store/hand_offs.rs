//! Desk hand-offs: offered once per (entry, liaison), claimed with a lease and a backoff like
//! reminders, finished for good, listed by when they were made, and taken by the first to press
//! Take it, which makes the follow-up theirs in the same transaction.

use chrono::{Duration, NaiveDate};
use liaison::domain::department::DepartmentKey;
use liaison::domain::entry::{FollowUp, FollowUpStatus, NewEntry};
use liaison::domain::ids::{EntryId, UserId};
use liaison::store::{HandOffEnd, HandOffKey, HandOffTake};

use crate::harness::Db;
use crate::{new, t, A, ADA, B, BEN};

crate::conformance!(
    a_hand_off_is_offered_once_claimed_with_a_lease_and_finished_for_good,
    unsent_hand_offs_are_those_whose_claim_lapsed_or_was_given_back,
    hand_offs_made_are_the_guilds_in_the_range_oldest_first,
    the_first_taker_owns_the_follow_up_and_a_second_is_told_who,
    taking_keeps_a_later_due_date_and_reopens_a_done_follow_up,
    two_presses_at_once_make_one_taker,
);

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn history() -> DepartmentKey {
    DepartmentKey::from_stored("History")
}

const CAT: UserId = UserId(7);

async fn a_hand_off_is_offered_once_claimed_with_a_lease_and_finished_for_good(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let key = HandOffKey { guild: A, entry: EntryId(5), liaison: ADA };
    assert!(store.hand_off(&key).await.unwrap().is_none());
    let now = t(20, 8);
    assert!(store.offer_hand_off(&key, &history(), now).await.unwrap(), "offered, and claimed by its sender");
    assert!(!store.offer_hand_off(&key, &history(), now).await.unwrap(), "once per entry and liaison");
    assert!(!store.claim_hand_off(&key, now, lease).await.unwrap(), "its sender holds the claim");
    let never = HandOffKey { liaison: BEN, ..key };
    assert!(!store.claim_hand_off(&never, now, lease).await.unwrap(), "never offered: nothing to claim");
    let h = store.hand_off(&key).await.unwrap().unwrap();
    assert_eq!(
        (h.key, h.department, h.created_at, h.claimed_at, h.attempts, h.end, h.taken),
        (key, history(), now, Some(now), 1, None, None)
    );
    // The sender died: once the lease lapses, it is retaken.
    let lapsed = now + lease + Duration::seconds(1);
    assert!(store.claim_hand_off(&key, lapsed, lease).await.unwrap());
    assert!(!store.claim_hand_off(&key, lapsed, lease).await.unwrap());
    let retry = lapsed + Duration::minutes(5);
    store.release_hand_off(&key, "Discord answered 503", retry).await.unwrap();
    let h = store.hand_off(&key).await.unwrap().unwrap();
    assert_eq!(
        (h.attempts, h.claimed_at, h.last_error.as_deref(), h.retry_at),
        (2, None, Some("Discord answered 503"), Some(retry))
    );
    assert!(!store.claim_hand_off(&key, retry - Duration::seconds(1), lease).await.unwrap(), "backing off");
    assert!(store.claim_hand_off(&key, retry, lease).await.unwrap());
    let delivered = HandOffEnd::Delivered { message_id: u64::MAX };
    store.finish_hand_off(&key, &delivered, retry).await.unwrap();
    store.release_hand_off(&key, "late error", retry).await.unwrap();
    assert!(!store.claim_hand_off(&key, retry + Duration::days(30), lease).await.unwrap(), "final");
    let h = store.hand_off(&key).await.unwrap().unwrap();
    assert_eq!((h.attempts, h.finished_at, h.end), (3, Some(retry), Some(delivered)));

    let refused = HandOffKey { guild: B, entry: EntryId(6), liaison: UserId(u64::MAX) };
    assert!(store.offer_hand_off(&refused, &history(), now).await.unwrap());
    let closed = HandOffEnd::Undeliverable { error: "Cannot send messages to this user".into() };
    store.finish_hand_off(&refused, &closed, now).await.unwrap();
    let h = store.hand_off(&refused).await.unwrap().unwrap();
    assert_eq!((h.key, h.end), (refused, Some(closed)), "large ids survive");
}

async fn unsent_hand_offs_are_those_whose_claim_lapsed_or_was_given_back(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let key = |entry: i64, liaison| HandOffKey { guild: A, entry: EntryId(entry), liaison };
    let (fresh, stale, released, backing_off, sent, old) =
        (key(1, ADA), key(2, ADA), key(3, BEN), key(4, BEN), key(5, ADA), key(6, ADA));
    let now = t(20, 12);
    store.offer_hand_off(&old, &history(), t(10, 9)).await.unwrap();
    for k in [stale, released, backing_off, sent] {
        store.offer_hand_off(&k, &history(), now - Duration::hours(1)).await.unwrap();
    }
    store.offer_hand_off(&fresh, &history(), now).await.unwrap();
    store.release_hand_off(&released, "503", now - Duration::minutes(1)).await.unwrap();
    store.release_hand_off(&backing_off, "503", now + Duration::minutes(1)).await.unwrap();
    store.finish_hand_off(&sent, &HandOffEnd::Delivered { message_id: 1 }, now).await.unwrap();
    let found = store.unsent_hand_offs(t(17, 12), now - lease, now).await.unwrap();
    assert_eq!(found, [stale, released], "lapsed or given back, backoff over, made since, oldest first");
}

async fn hand_offs_made_are_the_guilds_in_the_range_oldest_first(db: Db) {
    let store = &db.store;
    let offer = |guild, entry: i64, liaison, at| {
        let key = HandOffKey { guild, entry: EntryId(entry), liaison };
        async move {
            store.offer_hand_off(&key, &history(), at).await.unwrap();
            key
        }
    };
    let late = offer(A, 1, ADA, t(21, 9)).await;
    let early = offer(A, 2, BEN, t(20, 9)).await;
    let early_too = offer(A, 2, ADA, t(20, 9)).await;
    offer(A, 3, ADA, t(22, 9)).await;
    offer(B, 4, ADA, t(20, 10)).await;
    let made = store.hand_offs_made(A, t(20, 0), t(22, 9)).await.unwrap();
    let keys: Vec<HandOffKey> = made.iter().map(|h| h.key).collect();
    assert_eq!(keys, [early, early_too, late], "end excluded, by time, entry and liaison id");
}

async fn the_first_taker_owns_the_follow_up_and_a_second_is_told_who(db: Db) {
    let store = &db.store;
    let e = db.add(new(A, "three PhD students asked for EEBO training")).await;
    for liaison in [ADA, BEN] {
        let key = HandOffKey { guild: A, entry: e.id, liaison };
        store.offer_hand_off(&key, &history(), t(20, 9)).await.unwrap();
    }
    assert_eq!(
        store.take_hand_off(A, e.id, CAT, day(27), t(20, 10)).await.unwrap(),
        HandOffTake::NotOffered,
        "only a liaison it was handed to"
    );
    assert_eq!(store.take_hand_off(B, e.id, BEN, day(27), t(20, 10)).await.unwrap(), HandOffTake::NotOffered);
    assert_eq!(store.take_hand_off(A, e.id, BEN, day(27), t(20, 10)).await.unwrap(), HandOffTake::Taken);
    let f = store.entry(A, e.id).await.unwrap().unwrap().follow_up.unwrap();
    assert_eq!((f.owner, f.due, f.status), (BEN, day(27), FollowUpStatus::Open));
    assert_eq!(
        store.take_hand_off(A, e.id, ADA, day(28), t(20, 11)).await.unwrap(),
        HandOffTake::AlreadyTaken(BEN)
    );
    assert_eq!(
        store.take_hand_off(A, e.id, BEN, day(28), t(20, 11)).await.unwrap(),
        HandOffTake::AlreadyTaken(BEN),
        "pressing twice changes nothing"
    );
    let f = store.entry(A, e.id).await.unwrap().unwrap().follow_up.unwrap();
    assert_eq!((f.owner, f.due), (BEN, day(27)));
    for liaison in [ADA, BEN] {
        let h = store.hand_off(&HandOffKey { guild: A, entry: e.id, liaison }).await.unwrap().unwrap();
        assert_eq!(h.taken, Some((BEN, t(20, 10))), "every hand-off of the entry says who took it");
    }
    // A hand-off of an entry deleted since cannot be taken.
    let gone = db.add(new(A, "gone")).await;
    store
        .offer_hand_off(&HandOffKey { guild: A, entry: gone.id, liaison: ADA }, &history(), t(20, 9))
        .await
        .unwrap();
    assert!(store.delete_entry(A, gone.id).await.unwrap());
    assert_eq!(
        store.take_hand_off(A, gone.id, ADA, day(27), t(20, 10)).await.unwrap(),
        HandOffTake::NotOffered
    );
}

async fn taking_keeps_a_later_due_date_and_reopens_a_done_follow_up(db: Db) {
    let store = &db.store;
    let later = db.add(NewEntry { follow_up: Some(FollowUp::open(CAT, day(30))), ..new(A, "later") }).await;
    let sooner = db.add(NewEntry { follow_up: Some(FollowUp::open(CAT, day(21))), ..new(A, "sooner") }).await;
    let done = db.add(NewEntry { follow_up: Some(FollowUp::open(CAT, day(30))), ..new(A, "done") }).await;
    store.set_follow_up_done(A, done.id, Some(t(19, 9))).await.unwrap();
    for e in [&later, &sooner, &done] {
        store
            .offer_hand_off(&HandOffKey { guild: A, entry: e.id, liaison: ADA }, &history(), t(20, 9))
            .await
            .unwrap();
        assert_eq!(store.take_hand_off(A, e.id, ADA, day(27), t(20, 10)).await.unwrap(), HandOffTake::Taken);
    }
    let follow_up = |id| async move { store.entry(A, id).await.unwrap().unwrap().follow_up.unwrap() };
    let f = follow_up(later.id).await;
    assert_eq!((f.owner, f.due, f.status), (ADA, day(30), FollowUpStatus::Open), "the later date is kept");
    let f = follow_up(sooner.id).await;
    assert_eq!((f.owner, f.due), (ADA, day(27)));
    let f = follow_up(done.id).await;
    assert_eq!((f.owner, f.due, f.status, f.done_at), (ADA, day(27), FollowUpStatus::Open, None));
}

async fn two_presses_at_once_make_one_taker(db: Db) {
    let store = db.store.clone();
    let e = db.add(new(A, "contested")).await;
    let liaisons: Vec<UserId> = (100..108).map(UserId).collect();
    for &liaison in &liaisons {
        store
            .offer_hand_off(&HandOffKey { guild: A, entry: e.id, liaison }, &history(), t(20, 9))
            .await
            .unwrap();
    }
    let presses = liaisons.iter().map(|&liaison| {
        let store = store.clone();
        tokio::spawn(async move {
            (liaison, store.take_hand_off(A, e.id, liaison, day(27), t(20, 10)).await.unwrap())
        })
    });
    let mut winners = Vec::new();
    let mut told = Vec::new();
    for press in presses.collect::<Vec<_>>() {
        match press.await.unwrap() {
            (liaison, HandOffTake::Taken) => winners.push(liaison),
            (_, HandOffTake::AlreadyTaken(by)) => told.push(by),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    assert!(told.iter().all(|&by| by == winners[0]), "the others are told who: {told:?}");
    let f = store.entry(A, e.id).await.unwrap().unwrap().follow_up.unwrap();
    assert_eq!(f.owner, winners[0]);
}
