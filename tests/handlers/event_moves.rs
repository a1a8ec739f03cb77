//! Events moved from another database (`liaison event import`): the new database has no record
//! of the post-event prompts the old one sent, so a moved event whose prompt was already due
//! must not ask its organisers again; one whose prompt is still to come is asked here; and an
//! organiser's Nothing needed moves with it.

use chrono::{TimeZone, Utc};
use liaison::domain::event::{EventDates, EventDraft, EventName, NewEvent};
use liaison::domain::ids::UserId;
use liaison::service::event_moves::{self, MovedEvent};
use liaison::service::event_prompts::{self, Outcome, MOVED};
use liaison::service::events::digest_section;
use liaison::service::events::{self, EventInput};
use liaison::store::{EventPromptEnd, EventPromptKey};

use crate::bench::*;

const ALICE: UserId = UserId(101);
const BOB: UserId = UserId(102);

fn at(day: u32, hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

/// A one-day event on `day` November, organised by Alice and Bob, as an import reads it.
fn moved(name: &str, day: u32) -> MovedEvent {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    let draft = EventDraft {
        guild: GUILD,
        name: EventName::parse(name).unwrap(),
        dates: EventDates::new(date, None).unwrap(),
        organisers: vec![ALICE, BOB],
        partners: Vec::new(),
        departments: Vec::new(),
        place: None,
    };
    MovedEvent {
        event: NewEvent::new(draft, ALICE, at(1, 9)).unwrap(),
        entries: Vec::new(),
        nothing_needed: Vec::new(),
    }
}

#[tokio::test]
async fn an_event_moved_after_its_prompt_was_due_does_not_ask_its_organisers_again() {
    // The prompt of an event that ended on the 19th was due on the 20th at 09:00 (London).
    let now = at(20, 14);
    let bench = Bench::at(now).await;
    let store = bench.app.store.as_ref();
    let config = &bench.app.config;
    let imported = event_moves::add(store, config, &moved("Research showcase", 19), now).await.unwrap();
    // The same event added here, not moved: its organisers are asked, so nothing else is silent.
    let input = EventInput {
        name: "Stand at the fair".into(),
        date: "2026-11-19".into(),
        end: None,
        partners: Vec::new(),
        departments: Vec::new(),
        organisers: vec![ALICE, BOB],
        place: None,
    };
    let added = events::add(store, bench.rules(), GUILD, ALICE, input, at(18, 9)).await.unwrap();

    let outcomes = event_prompts::run_due(store, config, bench.posted.as_ref(), now).await.unwrap();
    let key = |event, organiser| EventPromptKey { guild: GUILD, event, organiser };
    assert_eq!(outcomes, vec![Outcome::Sent(key(added.id, ALICE)), Outcome::Sent(key(added.id, BOB))]);
    assert_eq!(bench.posted.dms().len(), 2, "the moved event's organisers got nothing");
    let prompts = store.event_prompts(GUILD, imported.id).await.unwrap();
    assert_eq!(prompts.len(), 2);
    for p in &prompts {
        assert_eq!(p.end, Some(EventPromptEnd::Undeliverable { error: MOVED.into() }), "{p:?}");
    }
    // Nor later, as the retry pass runs.
    let later = event_prompts::run_due(store, config, bench.posted.as_ref(), at(21, 9)).await.unwrap();
    assert!(later.is_empty(), "{later:?}");
    assert_eq!(bench.posted.dms().len(), 2);
}

#[tokio::test]
async fn an_event_moved_before_its_prompt_is_due_is_prompted_from_the_new_database() {
    let now = at(19, 14);
    let bench = Bench::at(now).await;
    let store = bench.app.store.as_ref();
    let config = &bench.app.config;
    let imported = event_moves::add(store, config, &moved("Research showcase", 19), now).await.unwrap();
    assert!(store.event_prompts(GUILD, imported.id).await.unwrap().is_empty(), "nothing recorded yet");
    let outcomes = event_prompts::run_due(store, config, bench.posted.as_ref(), at(20, 9)).await.unwrap();
    let key = |organiser| EventPromptKey { guild: GUILD, event: imported.id, organiser };
    assert_eq!(outcomes, vec![Outcome::Sent(key(ALICE)), Outcome::Sent(key(BOB))]);
}

#[tokio::test]
async fn an_import_run_again_settles_an_event_a_stop_left_unsettled_once() {
    let now = at(20, 14);
    let bench = Bench::at(now).await;
    let store = bench.app.store.as_ref();
    let config = &bench.app.config;
    // As if the import stopped right after writing the event.
    let event = store.insert_event(&moved("Research showcase", 19).event).await.unwrap();
    let existing = event_moves::existing(store, GUILD).await.unwrap();
    let found = existing.values().next().expect("the event is found by its key");
    assert_eq!(found.id, event.id);
    event_moves::complete(store, config, found, &moved("Research showcase", 19), now).await.unwrap();
    event_moves::complete(store, config, found, &moved("Research showcase", 19), now).await.unwrap();
    assert_eq!(store.event_prompts(GUILD, event.id).await.unwrap().len(), 2, "once per organiser");
    assert!(event_prompts::run_due(store, config, bench.posted.as_ref(), now).await.unwrap().is_empty());
    assert!(bench.posted.dms().is_empty());
}

#[tokio::test]
async fn nothing_needed_answered_in_the_old_database_keeps_a_moved_event_off_the_undecided_list() {
    // Events ended on the 9th: their prompts were due on the 10th, long stale by the 20th.
    let now = at(20, 14);
    let bench = Bench::at(now).await;
    let store = bench.app.store.as_ref();
    let config = &bench.app.config;
    let answered = MovedEvent { nothing_needed: vec![BOB], ..moved("Research showcase", 9) };
    let answered = event_moves::add(store, config, &answered, now).await.unwrap();
    let open = event_moves::add(store, config, &moved("Stand at the fair", 9), now).await.unwrap();

    let prompts = store.event_prompts(GUILD, answered.id).await.unwrap();
    assert_eq!(prompts.len(), 1, "only the organiser who answered: {prompts:?}");
    assert_eq!(prompts[0].key.organiser, BOB);
    assert!(prompts[0].nothing_needed_at.is_some());
    assert!(store.event_prompts(GUILD, open.id).await.unwrap().is_empty(), "stale: nothing to record");
    let section = digest_section(store, GUILD, (at(16, 0), at(23, 0)), config.rules.timezone).await.unwrap();
    let undecided: Vec<&str> = section.undecided.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(undecided, vec!["Stand at the fair"]);
    assert!(event_prompts::run_due(store, config, bench.posted.as_ref(), now).await.unwrap().is_empty());
}
