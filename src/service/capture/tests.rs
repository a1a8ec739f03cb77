//! `prepare`: what typed text becomes before anything is written, at a fixed `now`.

use std::path::Path;

use chrono::{NaiveDate, TimeZone};

use super::*;
use crate::config::Config;
use crate::domain::entry::FollowUpStatus;
use crate::domain::ids::UserId;
use crate::domain::note::MAX_NOTE_CHARS;
use crate::domain::privacy::Share;

fn rules() -> Rules {
    let text = include_str!("../../../config/liaison.toml");
    Config::parse(Path::new("config/liaison.toml"), text, None, None).expect("the shipped config").rules
}

/// Wednesday 18 November 2026, 15:30:45.123456 in London (which is UTC in November).
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 18, 15, 30, 45).unwrap() + chrono::Duration::microseconds(123_456)
}

fn request(rules: &Rules, note: &str) -> CaptureRequest {
    CaptureRequest {
        also_departments: Vec::new(),
        partners: Vec::new(),
        guild: GuildId(7),
        author: Author { id: UserId(42), name: "Alice Liaison".into() },
        department: rules.departments.resolve("History").unwrap().clone(),
        channel: None,
        note: note.into(),
        tags: None,
        when: None,
        follow_up: None,
        source: None,
        share: Share::default(),
    }
}

fn refused(result: ServiceResult<NewEntry>) -> String {
    match result {
        Err(ServiceError::Invalid(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_bare_note_is_filed_now_through_the_default_channel_to_the_millisecond() {
    let rules = rules();
    let entry = prepare(&rules, request(&rules, "  Three PhD students asked for EEBO  "), now()).unwrap();
    let millis =
        Utc.with_ymd_and_hms(2026, 11, 18, 15, 30, 45).unwrap() + chrono::Duration::milliseconds(123);
    assert_eq!(
        entry,
        NewEntry {
            also_departments: Vec::new(),
            partners: Vec::new(),
            guild: GuildId(7),
            author: Author { id: UserId(42), name: "Alice Liaison".into() },
            department: rules.departments.resolve("History").unwrap().clone(),
            channel: rules.channels.default_channel().clone(),
            note: Note::parse("Three PhD students asked for EEBO").unwrap(),
            tags: vec![],
            occurred_at: millis,
            created_at: millis,
            follow_up: None,
            source: None,
            redactions: 0,
            share: Share::Team,
        }
    );
}

#[test]
fn personal_data_is_redacted_and_counted_and_hashtags_join_the_tags() {
    let rules = rules();
    let typed = CaptureRequest {
        tags: Some("Training, eebo".into()),
        channel: Some(rules.channels.resolve("coffee").unwrap().clone()),
        source: Some("  https://discord.com/channels/7/1/2 ".into()),
        ..request(&rules, "Email dean@uni.ac.uk about #EEBO and #JSTOR, or call 07700 900123")
    };
    let entry = prepare(&rules, typed, now()).unwrap();
    assert_eq!(entry.note.as_str(), "Email [email] about #EEBO and #JSTOR, or call [phone]");
    assert_eq!(entry.redactions, 2);
    let tags: Vec<&str> = entry.tags.iter().map(|t| t.as_str()).collect();
    assert_eq!(tags, ["training", "eebo", "jstor"], "given first, each once");
    assert_eq!(entry.channel.key().as_str(), "coffee");
    assert_eq!(entry.source.as_deref(), Some("https://discord.com/channels/7/1/2"));
    let blank_source = CaptureRequest { source: Some("  ".into()), ..request(&rules, "x") };
    assert_eq!(prepare(&rules, blank_source, now()).unwrap().source, None);
}

#[test]
fn a_past_day_is_taken_at_midday_and_today_is_now() {
    let rules = rules();
    let on = |when: &str| {
        let typed = CaptureRequest { when: Some(when.into()), ..request(&rules, "x") };
        prepare(&rules, typed, now()).map(|e| e.occurred_at)
    };
    assert_eq!(on("yesterday").unwrap(), Utc.with_ymd_and_hms(2026, 11, 17, 12, 0, 0).unwrap());
    assert_eq!(on("3 Nov").unwrap(), Utc.with_ymd_and_hms(2026, 11, 3, 12, 0, 0).unwrap());
    assert_eq!(on("today").unwrap(), now().trunc_subsecs(3));
    assert!(refused(on("25 Dec 2026").map(|_| unreachable!())).contains("is in the future"));
    assert!(refused(on("the other day").map(|_| unreachable!())).contains("not a date I understand"));
}

#[test]
fn a_follow_up_is_the_authors_by_a_day_not_yet_past() {
    let rules = rules();
    let due = |phrase: &str| {
        let typed = CaptureRequest { follow_up: Some(phrase.into()), ..request(&rules, "x") };
        prepare(&rules, typed, now())
    };
    let follow_up = due("in 7 days").unwrap().follow_up.expect("a follow-up");
    assert_eq!(
        (follow_up.owner, follow_up.due, follow_up.status, follow_up.done_at),
        (UserId(42), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), FollowUpStatus::Open, None)
    );
    assert_eq!(due("  ").unwrap().follow_up, None, "blank is none");
    assert!(refused(due("1 Nov 2026")).contains("is in the past"), "due in the past");
}

#[test]
fn what_cannot_be_stored_is_refused_before_anything_is() {
    let rules = rules();
    let too_long = "x".repeat(MAX_NOTE_CHARS + 1);
    assert!(refused(prepare(&rules, request(&rules, &too_long), now())).contains("the limit is 4000"));
    assert_eq!(
        refused(prepare(&rules, request(&rules, " \n "), now())),
        "the note is empty: write what you heard"
    );
    let bad_tag = CaptureRequest { tags: Some(format!("ok, {}", "t".repeat(41))), ..request(&rules, "x") };
    assert!(refused(prepare(&rules, bad_tag, now())).contains("is longer than 40 characters"));
    let nameless =
        CaptureRequest { author: Author { id: UserId(42), name: "  ".into() }, ..request(&rules, "x") };
    assert_eq!(refused(prepare(&rules, nameless, now())), "the author needs a name");
}
