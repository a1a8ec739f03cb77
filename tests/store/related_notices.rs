//! "Someone else heard about this" notices: offered once per follow-up and day, claimed with a
//! lease and a backoff like reminders, finished for good, listed for the scheduler when unsent,
//! and forgotten with their server.

use chrono::{Duration, NaiveDate};
use liaison::domain::entry::{Author, FollowUp, NewEntry};
use liaison::domain::ids::EntryId;
use liaison::domain::privacy::Share;
use liaison::store::{RelatedNoticeEnd, RelatedNoticeKey};

use crate::harness::Db;
use crate::{new, t, A, ADA, B, BEN};

crate::conformance!(
    a_notice_is_offered_once_a_day_claimed_with_a_lease_and_finished_for_good,
    unsent_notices_are_those_whose_claim_lapsed_or_was_given_back,
    forgetting_a_guild_forgets_its_notices_only,
    a_refused_notices_owner_is_told_once_while_it_still_matters,
);

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

async fn a_notice_is_offered_once_a_day_claimed_with_a_lease_and_finished_for_good(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let key = RelatedNoticeKey { guild: A, entry: EntryId(5), day: day(20) };
    assert!(store.related_notice(&key).await.unwrap().is_none());
    let now = t(20, 8);
    assert!(
        store.offer_related_notice(&key, EntryId(9), now).await.unwrap(),
        "offered, and claimed by its sender"
    );
    assert!(
        !store.offer_related_notice(&key, EntryId(10), now).await.unwrap(),
        "once per follow-up and day, whatever the new entry"
    );
    let tomorrow = RelatedNoticeKey { day: day(21), ..key };
    assert!(
        !store.claim_related_notice(&tomorrow, now, lease).await.unwrap(),
        "never offered: nothing to claim"
    );
    assert!(
        store.offer_related_notice(&tomorrow, EntryId(10), t(21, 8)).await.unwrap(),
        "a new day, a new notice"
    );
    assert!(!store.claim_related_notice(&key, now, lease).await.unwrap(), "its sender holds the claim");
    let n = store.related_notice(&key).await.unwrap().unwrap();
    assert_eq!(
        (n.key, n.heard, n.created_at, n.claimed_at, n.attempts, n.end, n.finished_at),
        (key, EntryId(9), now, Some(now), 1, None, None),
        "the first new entry of the day is the one told of"
    );
    // The sender died: once the lease lapses, it is retaken.
    let lapsed = now + lease + Duration::seconds(1);
    assert!(store.claim_related_notice(&key, lapsed, lease).await.unwrap());
    assert!(!store.claim_related_notice(&key, lapsed, lease).await.unwrap());
    let retry = lapsed + Duration::minutes(5);
    store.release_related_notice(&key, "Discord answered 503", retry).await.unwrap();
    let n = store.related_notice(&key).await.unwrap().unwrap();
    assert_eq!(
        (n.attempts, n.claimed_at, n.last_error.as_deref(), n.retry_at),
        (2, None, Some("Discord answered 503"), Some(retry))
    );
    assert!(
        !store.claim_related_notice(&key, retry - Duration::seconds(1), lease).await.unwrap(),
        "backing off"
    );
    assert!(store.claim_related_notice(&key, retry, lease).await.unwrap());
    let delivered = RelatedNoticeEnd::Delivered { message_id: u64::MAX };
    store.finish_related_notice(&key, &delivered, retry).await.unwrap();
    store.release_related_notice(&key, "late error", retry).await.unwrap();
    assert!(!store.claim_related_notice(&key, retry + Duration::days(30), lease).await.unwrap(), "final");
    let n = store.related_notice(&key).await.unwrap().unwrap();
    assert_eq!((n.attempts, n.finished_at, n.end), (3, Some(retry), Some(delivered)));

    let refused = RelatedNoticeKey { guild: B, entry: EntryId(6), day: day(20) };
    assert!(store.offer_related_notice(&refused, EntryId(11), now).await.unwrap());
    let closed = RelatedNoticeEnd::Undeliverable { error: "Cannot send messages to this user".into() };
    store.finish_related_notice(&refused, &closed, now).await.unwrap();
    let n = store.related_notice(&refused).await.unwrap().unwrap();
    assert_eq!((n.key, n.end), (refused, Some(closed)));
    assert!(!store.claim_related_notice(&refused, now + Duration::days(1), lease).await.unwrap(), "final");
}

async fn unsent_notices_are_those_whose_claim_lapsed_or_was_given_back(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let key = |entry: i64| RelatedNoticeKey { guild: A, entry: EntryId(entry), day: day(20) };
    let (fresh, stale, released, backing_off, sent, old) = (key(1), key(2), key(3), key(4), key(5), key(6));
    let other_guild = RelatedNoticeKey { guild: B, ..key(7) };
    let now = t(20, 12);
    store.offer_related_notice(&old, EntryId(100), t(10, 9)).await.unwrap();
    for k in [stale, released, backing_off, sent] {
        store.offer_related_notice(&k, EntryId(100), now - Duration::hours(1)).await.unwrap();
    }
    store.offer_related_notice(&other_guild, EntryId(100), now - Duration::minutes(30)).await.unwrap();
    store.offer_related_notice(&fresh, EntryId(100), now).await.unwrap();
    store.release_related_notice(&released, "503", now - Duration::minutes(1)).await.unwrap();
    store.release_related_notice(&backing_off, "503", now + Duration::minutes(1)).await.unwrap();
    store.finish_related_notice(&sent, &RelatedNoticeEnd::Delivered { message_id: 1 }, now).await.unwrap();
    let found = store.unsent_related_notices(t(17, 12), now - lease, now).await.unwrap();
    assert_eq!(
        found,
        [stale, released, other_guild],
        "lapsed or given back, backoff over, made since, in every guild, oldest first"
    );
}

async fn forgetting_a_guild_forgets_its_notices_only(db: Db) {
    let store = &db.store;
    let (gone, kept) = (
        RelatedNoticeKey { guild: A, entry: EntryId(1), day: day(20) },
        RelatedNoticeKey { guild: B, entry: EntryId(2), day: day(20) },
    );
    store.offer_related_notice(&gone, EntryId(3), t(20, 9)).await.unwrap();
    store.offer_related_notice(&kept, EntryId(4), t(20, 9)).await.unwrap();
    store.schedule_departure(A, t(20, 10), t(20, 11)).await.unwrap();
    store.forget_guild(A).await.unwrap();
    assert_eq!(store.related_notice(&gone).await.unwrap(), None);
    assert!(store.related_notice(&kept).await.unwrap().is_some());
}

async fn a_refused_notices_owner_is_told_once_while_it_still_matters(db: Db) {
    let store = &db.store;
    let adas = |guild| NewEntry { follow_up: Some(FollowUp::open(ADA, day(30))), ..new(guild, "EEBO") };
    let (ada_first, ada_second, ada_done, ada_delivered, ada_elsewhere) = (
        db.add(adas(A)).await,
        db.add(adas(A)).await,
        db.add(adas(A)).await,
        db.add(adas(A)).await,
        db.add(adas(B)).await,
    );
    let bens = |guild, share| NewEntry {
        author: Author { id: BEN, name: "Ben".into() },
        share,
        ..new(guild, "EEBO again")
    };
    let (heard, heard_private, heard_elsewhere) = (
        db.add(bens(A, Share::Team)).await,
        db.add(bens(A, Share::Private)).await,
        db.add(bens(B, Share::Team)).await,
    );
    let key =
        |e: &liaison::domain::entry::Entry| RelatedNoticeKey { guild: e.guild, entry: e.id, day: day(20) };
    let closed = RelatedNoticeEnd::Undeliverable { error: "Cannot send messages to this user".into() };
    let notices = [
        (&ada_second, &heard, t(20, 10)),
        (&ada_first, &heard, t(20, 9)),
        (&ada_done, &heard, t(20, 9)),
        (&ada_delivered, &heard, t(20, 9)),
        (&ada_elsewhere, &heard_elsewhere, t(20, 9)),
    ];
    for (e, h, at) in notices {
        store.offer_related_notice(&key(e), h.id, at).await.unwrap();
        let end = if e.id == ada_delivered.id {
            RelatedNoticeEnd::Delivered { message_id: 9 }
        } else {
            closed.clone()
        };
        store.finish_related_notice(&key(e), &end, at).await.unwrap();
    }
    // Made private since it was refused: not to be pointed at.
    let private_key = RelatedNoticeKey { day: day(21), ..key(&ada_first) };
    store.offer_related_notice(&private_key, heard_private.id, t(21, 9)).await.unwrap();
    store.finish_related_notice(&private_key, &closed, t(21, 9)).await.unwrap();
    store.set_follow_up_done(A, ada_done.id, Some(t(21, 0))).await.unwrap();

    assert!(store.take_related_notices(A, BEN, t(22, 0)).await.unwrap().is_empty(), "not Ben's follow-ups");
    let told = store.take_related_notices(A, ADA, t(22, 0)).await.unwrap();
    let got: Vec<(RelatedNoticeKey, EntryId)> = told.iter().map(|n| (n.key, n.heard)).collect();
    assert_eq!(
        got,
        [(key(&ada_first), heard.id), (key(&ada_second), heard.id)],
        "refused, open, Ada's, of a team entry, in this guild, oldest first"
    );
    assert!(store.take_related_notices(A, ADA, t(22, 1)).await.unwrap().is_empty(), "told once");
    assert_eq!(store.take_related_notices(B, ADA, t(22, 2)).await.unwrap().len(), 1);
}
