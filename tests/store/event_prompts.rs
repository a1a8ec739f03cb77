//! Post-event prompts: offered once per (event, organiser) and only for an event of the guild,
//! claimed with a lease and a backoff like reminders, finished for good, listed when unsent, and
//! Nothing needed recorded once.

use chrono::{Duration, NaiveDate};
use liaison::domain::event::{EventDates, EventDraft, EventId, EventName, NewEvent};
use liaison::domain::ids::UserId;
use liaison::store::{EventPromptEnd, EventPromptKey};

use crate::harness::Db;
use crate::{t, A, ADA, B, BEN};

crate::conformance!(
    a_prompt_is_offered_once_claimed_with_a_lease_and_finished_for_good,
    unsent_prompts_are_those_whose_claim_lapsed_or_was_given_back,
    nothing_needed_is_recorded_once_and_only_for_a_prompt_made,
);

async fn event(db: &Db, guild: liaison::domain::ids::GuildId) -> EventId {
    let draft = EventDraft {
        guild,
        name: EventName::parse("Fair").unwrap(),
        dates: EventDates::new(NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(), None).unwrap(),
        organisers: vec![ADA, BEN],
        partners: Vec::new(),
        departments: Vec::new(),
        place: None,
    };
    db.store.insert_event(&NewEvent::new(draft, ADA, t(1, 9)).unwrap()).await.unwrap().id
}

async fn a_prompt_is_offered_once_claimed_with_a_lease_and_finished_for_good(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let fair = event(&db, A).await;
    let key = EventPromptKey { guild: A, event: fair, organiser: ADA };
    assert!(store.event_prompt(&key).await.unwrap().is_none());
    let now = t(20, 9);
    assert!(store.offer_event_prompt(&key, now).await.unwrap(), "offered, and claimed by its sender");
    assert!(!store.offer_event_prompt(&key, now).await.unwrap(), "once per event and organiser");
    assert!(!store.claim_event_prompt(&key, now, lease).await.unwrap(), "its sender holds the claim");
    let wrong_guild = EventPromptKey { guild: B, ..key };
    assert!(!store.offer_event_prompt(&wrong_guild, now).await.unwrap(), "not an event of that guild");
    let p = store.event_prompt(&key).await.unwrap().unwrap();
    assert_eq!((p.key, p.created_at, p.claimed_at, p.attempts, p.end), (key, now, Some(now), 1, None));

    let lapsed = now + lease + Duration::seconds(1);
    assert!(store.claim_event_prompt(&key, lapsed, lease).await.unwrap(), "the sender died: retaken");
    assert!(!store.claim_event_prompt(&key, lapsed, lease).await.unwrap());
    let retry = lapsed + Duration::minutes(5);
    store.release_event_prompt(&key, "Discord answered 503", retry).await.unwrap();
    let p = store.event_prompt(&key).await.unwrap().unwrap();
    assert_eq!(
        (p.attempts, p.claimed_at, p.last_error.as_deref(), p.retry_at),
        (2, None, Some("Discord answered 503"), Some(retry))
    );
    assert!(
        !store.claim_event_prompt(&key, retry - Duration::seconds(1), lease).await.unwrap(),
        "backing off"
    );
    assert!(store.claim_event_prompt(&key, retry, lease).await.unwrap());
    let delivered = EventPromptEnd::Delivered { message_id: u64::MAX };
    store.finish_event_prompt(&key, &delivered, retry).await.unwrap();
    store.release_event_prompt(&key, "late", retry).await.unwrap();
    assert!(!store.claim_event_prompt(&key, retry + Duration::days(30), lease).await.unwrap(), "final");
    let p = store.event_prompt(&key).await.unwrap().unwrap();
    assert_eq!((p.attempts, p.finished_at, p.end), (3, Some(retry), Some(delivered)));

    let big = EventPromptKey { organiser: UserId(u64::MAX), ..key };
    assert!(store.offer_event_prompt(&big, now).await.unwrap());
    let closed = EventPromptEnd::Undeliverable { error: "Cannot send messages to this user".into() };
    store.finish_event_prompt(&big, &closed, now).await.unwrap();
    assert_eq!(store.event_prompt(&big).await.unwrap().unwrap().end, Some(closed), "large ids survive");
    let listed: Vec<UserId> =
        store.event_prompts(A, fair).await.unwrap().iter().map(|p| p.key.organiser).collect();
    assert_eq!(listed, vec![ADA, UserId(u64::MAX)]);
    assert!(store.event_prompts(B, fair).await.unwrap().is_empty());
}

async fn unsent_prompts_are_those_whose_claim_lapsed_or_was_given_back(db: Db) {
    let store = &db.store;
    let lease = Duration::minutes(10);
    let fair = event(&db, A).await;
    let ada = EventPromptKey { guild: A, event: fair, organiser: ADA };
    let ben = EventPromptKey { organiser: BEN, ..ada };
    let now = t(20, 9);
    store.offer_event_prompt(&ada, now).await.unwrap();
    store.offer_event_prompt(&ben, now + Duration::minutes(1)).await.unwrap();
    let later = now + Duration::minutes(2);
    assert!(store.unsent_event_prompts(now, later - lease, later).await.unwrap().is_empty(), "claims held");
    let lapsed = now + lease + Duration::minutes(5);
    assert_eq!(store.unsent_event_prompts(now, lapsed - lease, lapsed).await.unwrap(), vec![ada, ben]);
    store.finish_event_prompt(&ada, &EventPromptEnd::Delivered { message_id: 1 }, lapsed).await.unwrap();
    store.release_event_prompt(&ben, "503", lapsed + Duration::minutes(3)).await.unwrap();
    assert!(store.unsent_event_prompts(now, lapsed - lease, lapsed).await.unwrap().is_empty(), "backing off");
    let after = lapsed + Duration::minutes(3);
    assert_eq!(store.unsent_event_prompts(now, after - lease, after).await.unwrap(), vec![ben]);
    assert!(
        store.unsent_event_prompts(now + Duration::hours(1), after - lease, after).await.unwrap().is_empty(),
        "too old"
    );
}

async fn nothing_needed_is_recorded_once_and_only_for_a_prompt_made(db: Db) {
    let store = &db.store;
    let fair = event(&db, A).await;
    let key = EventPromptKey { guild: A, event: fair, organiser: ADA };
    assert!(!store.nothing_needed(&key, t(20, 9)).await.unwrap(), "never prompted");
    store.offer_event_prompt(&key, t(20, 9)).await.unwrap();
    assert!(store.nothing_needed(&key, t(20, 10)).await.unwrap());
    assert!(store.nothing_needed(&key, t(21, 10)).await.unwrap(), "pressed again");
    assert_eq!(
        store.event_prompt(&key).await.unwrap().unwrap().nothing_needed_at,
        Some(t(20, 10)),
        "the first press"
    );
    store.forget_guild(A).await.unwrap();
    assert!(store.event_prompt(&key).await.unwrap().is_none(), "forgotten with its guild");
}
