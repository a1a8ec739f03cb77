//! Digest claims: once per (guild, period), leases, backoff, resumable parts, and two stores
//! racing for the same periods on one database.

use chrono::{Duration, NaiveDate};
use liaison::domain::ids::EntryId;
use liaison::store::{Backoff, ReminderKey};

use crate::harness::{Backend, Db};
use crate::{t, A, B};

crate::conformance!(
    a_digest_period_is_claimed_once_until_its_lease_lapses_and_never_after_it_is_sent,
    skipping_the_backoff_ignores_retry_at_but_not_a_live_lease_nor_a_sent_digest,
    parts_recorded_so_far_are_read_back_until_the_digest_is_sent,
    racing_claims_from_two_stores_on_one_database_let_exactly_one_win,
    a_claim_given_back_reads_as_unclaimed_and_a_retaken_one_as_claimed_then,
    an_attempts_count_a_u32_cannot_hold_reads_back_as_the_most_it_can,
);

async fn a_digest_period_is_claimed_once_until_its_lease_lapses_and_never_after_it_is_sent(db: Db) {
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

async fn racing_claims_from_two_stores_on_one_database_let_exactly_one_win(db: Db) {
    let other = db.open_again(None).await;
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

async fn skipping_the_backoff_ignores_retry_at_but_not_a_live_lease_nor_a_sent_digest(db: Db) {
    let store = &db.store;
    let week = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let lease = Duration::minutes(10);
    let now = t(23, 9);
    assert!(store.claim_digest(A, week, now, lease, Backoff::Skip).await.unwrap(), "a first claim may skip");
    let retry = now + Duration::hours(1);
    store.release_digest(A, week, "channel missing", retry).await.unwrap();
    let soon = now + Duration::minutes(1);
    assert!(!store.claim_digest(A, week, soon, lease, Backoff::Honour).await.unwrap(), "the scheduler waits");
    assert!(store.claim_digest(A, week, soon, lease, Backoff::Skip).await.unwrap(), "an admin need not");
    let run = store.digest_run(A, week).await.unwrap().unwrap();
    assert_eq!((run.claimed_at, run.attempts), (Some(soon), 2));
    let sooner = soon + Duration::minutes(2);
    assert!(
        !store.claim_digest(A, week, sooner, lease, Backoff::Skip).await.unwrap(),
        "a live lease holds even against an admin"
    );
    store.mark_digest_sent(A, week, &[1], sooner).await.unwrap();
    let much_later = sooner + Duration::days(30);
    assert!(!store.claim_digest(A, week, much_later, lease, Backoff::Skip).await.unwrap(), "sent is final");
    assert_eq!(store.digest_run(A, week).await.unwrap().unwrap().attempts, 2);
}

async fn parts_recorded_so_far_are_read_back_until_the_digest_is_sent(db: Db) {
    let store = &db.store;
    let week = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let lease = Duration::minutes(10);
    assert!(store.claim_digest(A, week, t(23, 9), lease, Backoff::Honour).await.unwrap());
    store.record_digest_parts(A, week, &[u64::MAX, 1]).await.unwrap();
    let run = store.digest_run(A, week).await.unwrap().unwrap();
    assert_eq!((run.message_ids, run.sent_at), (vec![u64::MAX, 1], None));
    // The claim is given back part-way; the parts stay for the retry to resume after.
    store.release_digest(A, week, "500 on part 3", t(23, 10)).await.unwrap();
    assert_eq!(store.digest_run(A, week).await.unwrap().unwrap().message_ids, vec![u64::MAX, 1]);
    assert!(store.claim_digest(A, week, t(23, 10), lease, Backoff::Honour).await.unwrap());
    store.record_digest_parts(A, week, &[u64::MAX, 1, 3]).await.unwrap();
    store.mark_digest_sent(A, week, &[u64::MAX, 1, 3, 4], t(23, 11)).await.unwrap();
    // Once sent, late parts change nothing.
    store.record_digest_parts(A, week, &[9]).await.unwrap();
    let run = store.digest_run(A, week).await.unwrap().unwrap();
    assert_eq!((run.message_ids, run.sent_at), (vec![u64::MAX, 1, 3, 4], Some(t(23, 11))));
    // Parts of a period never claimed create nothing.
    store.record_digest_parts(B, week, &[5]).await.unwrap();
    assert!(store.digest_run(B, week).await.unwrap().is_none());
    store.record_digest_parts(A, week, &[]).await.unwrap();
    assert_eq!(store.digest_run(A, week).await.unwrap().unwrap().message_ids.len(), 4);
}

/// Given back, a digest's or a reminder's claim reads as `None`, whatever each backend stores for
/// it; taken again, as the time it was taken.
async fn a_claim_given_back_reads_as_unclaimed_and_a_retaken_one_as_claimed_then(db: Db) {
    let store = &db.store;
    let week = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let key =
        ReminderKey { guild: A, entry: EntryId(7), due: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap() };
    let lease = Duration::minutes(10);
    let (now, retry) = (t(23, 9), t(23, 10));
    assert!(store.claim_digest(A, week, now, lease, Backoff::Honour).await.unwrap());
    assert!(store.claim_reminder(&key, now, lease).await.unwrap());
    assert_eq!(store.digest_run(A, week).await.unwrap().unwrap().claimed_at, Some(now));
    assert_eq!(store.reminder(&key).await.unwrap().unwrap().claimed_at, Some(now));

    store.release_digest(A, week, "Discord answered 500", retry).await.unwrap();
    store.release_reminder(&key, "Discord answered 503", retry).await.unwrap();
    assert_eq!(store.digest_run(A, week).await.unwrap().unwrap().claimed_at, None);
    assert_eq!(store.reminder(&key).await.unwrap().unwrap().claimed_at, None);

    assert!(store.claim_digest(A, week, retry, lease, Backoff::Honour).await.unwrap());
    assert!(store.claim_reminder(&key, retry, lease).await.unwrap());
    assert_eq!(store.digest_run(A, week).await.unwrap().unwrap().claimed_at, Some(retry));
    assert_eq!(store.reminder(&key).await.unwrap().unwrap().claimed_at, Some(retry));
}

/// No claim makes such a count; one written by hand reads back as `u32::MAX` on both backends.
/// Both columns hold negative counts; only SQLite's (64-bit) holds counts above `u32::MAX`.
async fn an_attempts_count_a_u32_cannot_hold_reads_back_as_the_most_it_can(db: Db) {
    let store = &db.store;
    let week = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let key =
        ReminderKey { guild: A, entry: EntryId(7), due: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap() };
    let lease = Duration::minutes(10);
    assert!(store.claim_digest(A, week, t(23, 9), lease, Backoff::Honour).await.unwrap());
    assert!(store.claim_reminder(&key, t(23, 9), lease).await.unwrap());
    let mut beyond = vec![-1, i64::from(i32::MIN)];
    if db.backend == Backend::Sqlite {
        beyond.extend([i64::from(u32::MAX) + 1, i64::MAX]);
    }
    for attempts in beyond {
        db.overwrite_attempts("digest_runs", attempts).await;
        db.overwrite_attempts("reminders", attempts).await;
        let digest = store.digest_run(A, week).await.unwrap().unwrap().attempts;
        let reminder = store.reminder(&key).await.unwrap().unwrap().attempts;
        assert_eq!((digest, reminder), (u32::MAX, u32::MAX), "{attempts}");
    }
    // The largest count both columns hold reads back as itself.
    let most = i64::from(i32::MAX);
    db.overwrite_attempts("digest_runs", most).await;
    db.overwrite_attempts("reminders", most).await;
    let digest = store.digest_run(A, week).await.unwrap().unwrap().attempts;
    let reminder = store.reminder(&key).await.unwrap().unwrap().attempts;
    assert_eq!((digest, reminder), (i32::MAX as u32, i32::MAX as u32));
}
