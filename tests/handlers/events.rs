//! `/event add|show|list`, the `event` option's autocomplete, and `/intel event:` (a note saved
//! and linked at once; without one, the event's form, whose submit saves once and links),
//! through the router as interactions reach it.

use liaison::discord::caller::Caller;
use liaison::discord::commands::{autocomplete, route_command, route_form};
use liaison::discord::custom_id::Action;
use liaison::discord::options::{Fields, Options};
use liaison::domain::ids::UserId;
use liaison::message::{Message, Reply};

use crate::bench::*;

fn event(sub: &str, options: Options) -> Options {
    Options::new().with(sub, options)
}

async fn add(bench: &Bench, who: &Caller, options: Options) -> Result<Reply, liaison::service::ServiceError> {
    route_command(&bench.app, who, "event", &event("add", options), None).await
}

async fn add_named(bench: &Bench, name: &str, date: &str) -> Message {
    message(add(bench, &alice(), Options::new().with("name", name).with("date", date)).await)
}

async fn show(bench: &Bench, who: &Caller, typed: &str) -> Message {
    message(
        route_command(&bench.app, who, "event", &event("show", Options::new().with("event", typed)), None)
            .await,
    )
}

async fn choices(bench: &Bench, typed: &str) -> Vec<(String, String)> {
    match autocomplete(&bench.app, &alice(), "event", typed).await {
        Reply::Choices(c) => c,
        other => panic!("expected choices, got {other:?}"),
    }
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn any_member_adds_an_event_and_organises_it_unless_they_name_an_organiser() {
    let bench = Bench::at(november(18)).await;
    let partner = Options::new().with("name", "Study Skills").with("kind", "team");
    message(route_command(&bench.app, &bob(), "partner", &Options::new().with("add", partner), None).await);
    let options = Options::new()
        .with("name", "Research *showcase*")
        .with("date", "3 Dec")
        .with("end", "4 Dec")
        .with("partner", "study skills")
        .with("department", "hist")
        .with("place", "Main Library [room 2](https://x.example)");
    let added = message(add(&bench, &alice(), options).await);
    assert!(added.ephemeral);
    let t = text(&added);
    for part in [
        "Research \\*showcase\\*",
        "When: 3 Dec 2026 to 4 Dec 2026",
        "Organisers: <@101>",
        "Partners: Study Skills",
        "Departments: History",
    ] {
        assert!(t.contains(part), "{part} in {t}");
    }
    assert!(t.contains("Place: Main Library \\[room 2\\]"), "escaped: {t}");

    let options = Options::new().with("name", "Fair").with("date", "2026-12-10").with("organiser", UserId(7));
    let t = text(&message(add(&bench, &bob(), options).await));
    assert!(t.contains("Organisers: <@7>") && !t.contains("<@102>"), "{t}");
    assert!(t.contains("When: 10 Dec 2026"), "{t}");

    // Names and places are redacted as notes are.
    let options = Options::new()
        .with("name", "Drop-in with jane.doe@example.ac.uk")
        .with("date", "2026-12-11")
        .with("place", "ask desk@example.ac.uk");
    let t = text(&message(add(&bench, &bob(), options).await));
    assert!(!t.contains("jane.doe") && !t.contains("desk@"), "{t}");
    assert!(t.contains(r"Drop\-in with \[email\]"), "{t}");
}

#[tokio::test]
async fn a_bad_event_is_refused_with_a_reason() {
    let bench = Bench::at(november(18)).await;
    let refused = |options: Options| {
        let bench = &bench;
        async move { refusal(add(bench, &alice(), options).await) }
    };
    let r = refused(Options::new().with("name", "Fair").with("date", "3 Dec").with("end", "1 Dec")).await;
    assert!(r.contains("cannot end before it starts"), "{r}");
    let r = refused(Options::new().with("name", " -- ").with("date", "3 Dec")).await;
    assert!(r.contains("needs a name"), "{r}");
    let r = refused(Options::new().with("name", "Fair").with("date", "someday")).await;
    assert!(r.contains("not a date I understand"), "{r}");
    let r =
        refused(Options::new().with("name", "Fair").with("date", "3 Dec").with("partner", "Nobody")).await;
    assert!(r.contains("no partner called"), "{r}");
    let r = refused(Options::new().with("name", "Fair").with("date", "3 Dec").with("department", "Alchemy"))
        .await;
    assert!(!r.is_empty());
    let r = refused(
        Options::new().with("name", "Fair").with("date", "3 Dec").with("place", "p".repeat(101).as_str()),
    )
    .await;
    assert!(r.contains("place is at most 100"), "{r}");
    let listed =
        message(route_command(&bench.app, &alice(), "event", &event("list", Options::new()), None).await);
    assert!(text(&listed).contains("No upcoming events"), "nothing was added: {}", text(&listed));
}

#[tokio::test]
async fn events_list_upcoming_by_default_and_past_on_request() {
    let bench = Bench::at(november(18)).await;
    add_named(&bench, "Autumn fair", "2026-11-10").await;
    add_named(&bench, "Showcase", "3 Dec").await;
    add_named(&bench, "Today's talk", "today").await;
    let list = |which: Option<&str>| {
        let options = match which {
            Some(w) => Options::new().with("which", w),
            None => Options::new(),
        };
        let bench = &bench;
        async move {
            text(&message(route_command(&bench.app, &alice(), "event", &event("list", options), None).await))
        }
    };
    let upcoming = list(None).await;
    assert!(upcoming.starts_with("\nUpcoming events"), "{upcoming}");
    let talk = upcoming.find("Today's talk").expect("under way today");
    let showcase = upcoming.find("Showcase").expect("to come");
    assert!(talk < showcase, "soonest first: {upcoming}");
    assert!(!upcoming.contains("Autumn fair"), "{upcoming}");
    let past = list(Some("past")).await;
    assert!(past.contains("Autumn fair") && !past.contains("Showcase"), "{past}");
    let r = refusal(
        route_command(
            &bench.app,
            &alice(),
            "event",
            &event("list", Options::new().with("which", "soon")),
            None,
        )
        .await,
    );
    assert!(r.contains("upcoming or past"), "{r}");
}

#[tokio::test]
async fn the_event_option_offers_recent_and_upcoming_events_by_label_and_sends_the_id() {
    let bench = Bench::at(november(18)).await;
    add_named(&bench, "Induction week", "2026-01-10").await;
    add_named(&bench, "Induction week", "2026-11-16").await;
    add_named(&bench, "Showcase", "3 Dec").await;
    let offered = choices(&bench, "induc").await;
    assert_eq!(
        offered.iter().map(|(label, _)| label.as_str()).collect::<Vec<_>>(),
        vec!["Induction week (16 Nov 2026)", "Induction week (10 Jan 2026)"],
        "the nearest first"
    );
    assert!(offered.iter().all(|(_, value)| value.parse::<i64>().is_ok()), "ids: {offered:?}");
    assert_eq!(choices(&bench, "").await.len(), 3);
    assert!(choices(&bench, "gala").await.is_empty());
    // A picked choice (its id) and a typed name both find an event; an unknown name is refused.
    let picked = show(&bench, &alice(), &offered[1].1).await;
    assert!(text(&picked).contains("10 Jan 2026"), "{}", text(&picked));
    let typed = show(&bench, &alice(), "induction week").await;
    assert!(text(&typed).contains("16 Nov 2026"), "the nearest of the name: {}", text(&typed));
    let r = refusal(
        route_command(
            &bench.app,
            &alice(),
            "event",
            &event("show", Options::new().with("event", "Showcas")),
            None,
        )
        .await,
    );
    assert!(r.contains("no event called") && r.contains(r"the closest are\: Showcase \(3 Dec 2026\)"), "{r}");
}

#[tokio::test]
async fn intel_at_an_event_is_linked_and_shown_with_the_follow_ups_decided() {
    let bench = Bench::at(november(18)).await;
    add_named(&bench, "Research showcase", "2026-11-16").await;
    let id = choices(&bench, "research").await[0].1.clone();
    let options = Options::new()
        .with("department", "History")
        .with("note", "Two lecturers want a data management session")
        .with("follow_up", "friday")
        .with("event", id.as_str());
    let saved = message(bench.intel(&alice(), options).await);
    assert!(text(&saved).contains("Linked to the event."), "{}", text(&saved));
    let entry = bench.entry(1).await.expect("saved");
    assert_eq!(entry.channel.as_str(), "event", "the event channel when none is named");
    let shown = Options::new().with("show", Options::new().with("id", 1i64));
    let shown = text(&message(route_command(&bench.app, &bob(), "entry", &shown, None).await));
    assert!(shown.contains(r"Event: Research showcase \(16 Nov 2026\)"), "{shown}");
    let private = Options::new()
        .with("department", "Physics")
        .with("note", "mine alone")
        .with("share", "private")
        .with("channel", "coffee")
        .with("event", "research showcase");
    message(bench.intel(&bob(), private).await);
    assert_eq!(bench.entry(2).await.expect("saved").channel.as_str(), "coffee", "a named channel is kept");

    let seen = text(&show(&bench, &alice(), "Research showcase").await);
    assert!(seen.contains("Heard there (1)"), "bob's private entry is hidden: {seen}");
    assert!(seen.contains("data management session"), "{seen}");
    assert!(seen.contains("Follow-ups decided: #1 · <@101> by Fri 20 Nov 2026 (open)"), "{seen}");
    let by_admin = text(&show(&bench, &admin(), "Research showcase").await);
    assert!(by_admin.contains("Heard there (2)") && by_admin.contains("mine alone"), "{by_admin}");

    let r = refusal(
        bench
            .intel(
                &alice(),
                Options::new().with("department", "History").with("note", "x").with("event", "Gala"),
            )
            .await,
    );
    assert!(r.contains("no event called"), "{r}");
    assert!(bench.entry(3).await.is_none(), "nothing saved for an unknown event");
}

#[tokio::test]
async fn intel_at_an_event_without_a_note_opens_its_form_which_saves_once_and_links() {
    let bench = Bench::at(november(18)).await;
    add_named(&bench, "Research showcase", "2026-11-16").await;
    let options =
        Options::new().with("department", "History").with("event", "Research showcase").with("tags", "rdm");
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), options).await else {
        panic!("expected the event's form")
    };
    assert!(
        matches!(Action::parse(&form.custom_id), Some(Action::EventIntelForm { .. })),
        "{}",
        form.custom_id
    );
    let value = |id: &str| form.inputs.iter().find(|i| i.custom_id == id).map(|i| i.value.clone());
    assert_eq!(value("department").as_deref(), Some("History"));
    assert_eq!(value("tags").as_deref(), Some("rdm"));
    assert_eq!(value("when").as_deref(), Some("2026-11-16"), "the event's day");
    let submitted = fields(&[
        ("department", "physics"),
        ("note", "A lab wants help with open data"),
        ("tags", "rdm"),
        ("when", "2026-11-16"),
        ("follow_up", ""),
    ]);
    let saved = message(route_form(&bench.app, &alice(), &form.custom_id, &submitted).await);
    assert!(text(&saved).contains("Linked to the event."), "{}", text(&saved));
    let again = message(route_form(&bench.app, &alice(), &form.custom_id, &submitted).await);
    assert!(text(&again).contains("#1"), "{}", text(&again));
    assert!(bench.entry(2).await.is_none(), "saved once");
    let seen = text(&show(&bench, &bob(), "Research showcase").await);
    assert!(seen.contains("Heard there (1)") && seen.contains("open data"), "{seen}");

    // Options the form cannot carry are refused rather than dropped.
    let private = Options::new()
        .with("department", "History")
        .with("event", "Research showcase")
        .with("share", "private");
    let r = refusal(bench.intel(&alice(), private).await);
    assert!(r.contains("note option"), "{r}");
}

mod prompts {
    use chrono::{NaiveDate, TimeZone, Utc};
    use liaison::discord::commands::event::prompt;
    use liaison::discord::commands::intel::event_form;
    use liaison::discord::custom_id::Action;
    use liaison::domain::event::Event;
    use liaison::domain::ids::UserId;
    use liaison::message::Reply;
    use liaison::service::event_prompts::{self, Outcome};
    use liaison::service::events::{self, EventInput};
    use liaison::store::{EventPromptEnd, EventPromptKey};

    use super::{fields, show};
    use crate::bench::*;

    const ALICE: UserId = UserId(101);
    const BOB: UserId = UserId(102);

    /// Research showcase on Thursday 19 November, organised by Alice and Bob, for History.
    async fn showcase(bench: &Bench) -> Event {
        let input = EventInput {
            name: "Research showcase".into(),
            date: "2026-11-19".into(),
            end: None,
            partners: Vec::new(),
            departments: vec![bench.rules().departments.resolve("History").unwrap().clone()],
            organisers: vec![ALICE, BOB],
            place: None,
        };
        events::add(bench.app.store.as_ref(), bench.rules(), GUILD, ALICE, input, november(18)).await.unwrap()
    }

    fn at(day: u32, hour: u32, minute: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0).unwrap()
    }

    async fn run(bench: &Bench, now: chrono::DateTime<Utc>) -> Vec<Outcome> {
        bench.clock.set(now);
        event_prompts::run_due(bench.app.store.as_ref(), &bench.app.config, bench.posted.as_ref(), now)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn organisers_are_asked_the_day_after_at_digest_time_once_and_not_after_a_follow_up() {
        let bench = Bench::at(november(18)).await;
        let event = showcase(&bench).await;
        // Alice decides a follow-up on the day, at the event.
        bench.clock.set(at(19, 15, 0));
        let options = super::Options::new()
            .with("department", "History")
            .with("note", "Send the slides")
            .with("follow_up", "in 7 days")
            .with("event", event.id.to_string().as_str());
        message(bench.intel(&alice(), options).await);

        assert!(run(&bench, at(20, 8, 59)).await.is_empty(), "before the digest's time (09:00 London)");
        assert!(bench.posted.dms().is_empty());
        let outcomes = run(&bench, at(20, 9, 0)).await;
        let alice_key = EventPromptKey { guild: GUILD, event: event.id, organiser: ALICE };
        let bob_key = EventPromptKey { organiser: BOB, ..alice_key };
        assert_eq!(outcomes, vec![Outcome::AlreadyDecided(alice_key), Outcome::Sent(bob_key)]);
        let dms = bench.posted.dms();
        assert_eq!(dms.len(), 1);
        assert_eq!(dms[0].0, BOB);
        assert_eq!(dms[0].1.content, "What happens after **Research showcase**?");
        let labels: Vec<String> = buttons(&dms[0].1).into_iter().map(|(label, _, _)| label).collect();
        assert_eq!(labels, vec!["Add follow-up", "Log what I heard", "Nothing needed"]);
        assert!(run(&bench, at(20, 9, 1)).await.iter().all(|o| matches!(o, Outcome::AlreadyDecided(_))));
        assert!(run(&bench, at(21, 9, 0)).await.iter().all(|o| matches!(o, Outcome::AlreadyDecided(_))));
        assert_eq!(bench.posted.dms().len(), 1, "once");
        let stored = bench.app.store.event_prompt(&bob_key).await.unwrap().unwrap();
        assert_eq!(stored.end, Some(EventPromptEnd::Delivered { message_id: 8001 }));
        assert!(bench.app.store.event_prompt(&alice_key).await.unwrap().is_none(), "none made for Alice");
    }

    #[tokio::test]
    async fn a_stale_or_refused_prompt_is_not_sent_and_a_refusal_is_recorded() {
        let bench = Bench::at(november(18)).await;
        let event = showcase(&bench).await;
        assert!(run(&bench, at(22, 9, 0)).await.is_empty(), "two days late: stale");
        bench.posted.close_dms(BOB);
        let outcomes = run(&bench, at(21, 8, 0)).await;
        let bob_key = EventPromptKey { guild: GUILD, event: event.id, organiser: BOB };
        assert!(
            outcomes.contains(&Outcome::Undeliverable {
                key: bob_key,
                error: "Cannot send messages to this user".into()
            }),
            "{outcomes:?}"
        );
        let stored = bench.app.store.event_prompt(&bob_key).await.unwrap().unwrap();
        assert!(matches!(stored.end, Some(EventPromptEnd::Undeliverable { .. })));
        assert!(run(&bench, at(21, 8, 30)).await.is_empty(), "not tried again");
    }

    #[tokio::test]
    async fn the_prompts_buttons_add_a_follow_up_log_what_was_heard_or_record_nothing_needed() {
        let bench = Bench::at(november(18)).await;
        let event = showcase(&bench).await;
        run(&bench, at(20, 9, 0)).await;
        let dm = bench.posted.dms().into_iter().find(|(to, _)| *to == BOB).expect("Bob was asked").1;
        let id = |label: &str| buttons(&dm).into_iter().find(|(l, _, _)| l == label).expect(label).1;
        let press = |label: &str, who: UserId| {
            let Some(Action::EventPrompt { guild, event, answer }) = Action::parse(&id(label)) else {
                panic!("a prompt button")
            };
            let app = &bench.app;
            async move { prompt::press(app, (who, "someone".into()), (guild, event, answer)).await }
        };

        // Add follow-up: a form, whose submit makes an entry linked to the event, owned as typed.
        let Ok(Reply::Modal(form)) = press("Add follow-up", BOB).await else { panic!("the follow-up form") };
        let Some(Action::EventFollowUpForm { guild, event: form_event, once }) =
            Action::parse(&form.custom_id)
        else {
            panic!("{}", form.custom_id)
        };
        assert_eq!((guild, form_event), (GUILD, event.id));
        let department = form.inputs.iter().find(|i| i.custom_id == "department").map(|i| i.value.clone());
        assert_eq!(department.as_deref(), Some("History"));
        let submitted = fields(&[
            ("what", "Book a follow-up session"),
            ("owner", "<@101>"),
            ("due", "friday"),
            ("department", "History"),
        ]);
        let saved =
            prompt::submit_follow_up(&bench.app, (BOB, "bob".into()), (GUILD, event.id, once), &submitted)
                .await;
        let Ok(Reply::Message(saved)) = saved else { panic!("{saved:?}") };
        assert!(saved.content.contains("saved for <@101>, due Fri 27 Nov 2026"), "{}", saved.content);
        let again =
            prompt::submit_follow_up(&bench.app, (BOB, "bob".into()), (GUILD, event.id, once), &submitted)
                .await;
        assert!(text(&message(again)).contains("Already saved, as follow-up #1."));
        assert!(bench.entry(2).await.is_none(), "saved once");
        let entry = bench.entry(1).await.expect("the follow-up's entry");
        assert_eq!((entry.author.id, entry.channel.as_str()), (BOB, "event"));
        assert_eq!(
            entry.follow_up.map(|f| (f.owner, f.due)),
            Some((ALICE, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()))
        );
        let seen = text(&show(&bench, &alice(), "Research showcase").await);
        assert!(seen.contains("Follow-ups decided: #1 · <@101>"), "{seen}");
        let bad = fields(&[("what", "x"), ("owner", "Alice"), ("due", "friday"), ("department", "History")]);
        let r = refusal(
            prompt::submit_follow_up(&bench.app, (BOB, "bob".into()), (GUILD, event.id, None), &bad).await,
        );
        assert!(r.contains("owner is \"me\""), "{r}");

        // Log what I heard: the event's /intel form, submitted from the DM.
        let Ok(Reply::Modal(form)) = press("Log what I heard", BOB).await else { panic!("the intel form") };
        let Some(Action::EventIntelForm { guild, event: e, channel, once }) = Action::parse(&form.custom_id)
        else {
            panic!("{}", form.custom_id)
        };
        let heard = fields(&[
            ("department", "History"),
            ("note", "They want a reading list"),
            ("when", "2026-11-19"),
        ]);
        let logged = event_form::handle_in_dm(
            &bench.app,
            (BOB, "bob".into()),
            (guild, e, channel.clone(), once),
            &heard,
        )
        .await;
        assert!(text(&message(logged)).contains("Linked to the event."));
        let stranger =
            event_form::handle_in_dm(&bench.app, (UserId(9), "x".into()), (guild, e, channel, None), &heard)
                .await;
        assert!(refusal(stranger).contains("organisers"));

        // Nothing needed: only an organiser, recorded.
        assert!(refusal(press("Nothing needed", UserId(9)).await).contains("organisers"));
        let Ok(Reply::Update(done)) = press("Nothing needed", BOB).await else { panic!("an update") };
        assert!(
            done.content.starts_with("Noted: nothing needed after **Research showcase**"),
            "{}",
            done.content
        );
        assert!(done.buttons.is_empty());
        let key = EventPromptKey { guild: GUILD, event: event.id, organiser: BOB };
        assert!(bench.app.store.event_prompt(&key).await.unwrap().unwrap().nothing_needed_at.is_some());
    }
}

mod digest {
    use liaison::domain::ids::UserId;
    use liaison::service::event_prompts;
    use liaison::service::events::{self, digest_section, EventInput};

    use crate::bench::*;

    async fn add(bench: &Bench, name: &str, date: &str) -> liaison::domain::event::Event {
        let input = EventInput {
            name: name.into(),
            date: date.into(),
            end: None,
            partners: Vec::new(),
            departments: Vec::new(),
            organisers: vec![UserId(101), UserId(102)],
            place: None,
        };
        events::add(bench.app.store.as_ref(), bench.rules(), GUILD, UserId(101), input, november(1))
            .await
            .unwrap()
    }

    /// The week of Monday 16 to Sunday 22 November, as the digest of Monday 23rd covers it.
    #[tokio::test]
    async fn the_digest_lists_last_weeks_events_with_what_was_logged_and_decided_and_the_undecided_ones() {
        let bench = Bench::at(november(18)).await;
        let showcase = add(&bench, "Research showcase", "2026-11-19").await;
        add(&bench, "Quiet stand", "2026-11-20").await;
        let fair = add(&bench, "Autumn fair", "2026-11-02").await;
        add(&bench, "Nothing needed talk", "2026-11-05").await;
        add(&bench, "Long ago", "2026-10-01").await;
        add(&bench, "Next week", "2026-11-24").await;
        let store = bench.app.store.as_ref();
        for (note, follow_up) in
            [("heard one", None), ("heard two", Some("in 7 days")), ("heard three", None)]
        {
            let mut options = super::Options::new()
                .with("department", "History")
                .with("note", note)
                .with("event", showcase.id.to_string().as_str());
            if let Some(f) = follow_up {
                options = options.with("follow_up", f);
            }
            message(bench.intel(&alice(), options).await);
        }
        // After the fair, Alice logged something without a follow-up: still undecided.
        let options = super::Options::new()
            .with("department", "Law")
            .with("note", "a stand visitor")
            .with("event", fair.id.to_string().as_str());
        message(bench.intel(&alice(), options).await);
        // After the talk, Bob answered Nothing needed from his prompt.
        bench.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 6, 9, 0, 0).unwrap());
        event_prompts::run_due(store, &bench.app.config, bench.posted.as_ref(), bench.app.now())
            .await
            .unwrap();
        let talk = events::resolve(store, bench.rules(), GUILD, "Nothing needed talk", bench.app.now())
            .await
            .unwrap();
        event_prompts::nothing_needed(store, GUILD, talk.id, UserId(102), bench.app.now()).await.unwrap();

        let start = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 16, 0, 0, 0).unwrap();
        let section =
            digest_section(store, GUILD, (start, start + days(7)), chrono_tz::Europe::London).await.unwrap();
        let held: Vec<(&str, u64, u64)> =
            section.held.iter().map(|h| (h.name.as_str(), h.logged, h.decided)).collect();
        assert_eq!(held, [("Research showcase", 3, 1), ("Quiet stand", 0, 0)]);
        let undecided: Vec<&str> = section.undecided.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            undecided,
            ["Autumn fair", "Quiet stand"],
            "by end; not the decided, the answered, the old or the coming"
        );

        // And the digest a guild gets on Monday 23rd carries it.
        bench.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 10, 0, 0).unwrap());
        let preview = liaison::discord::commands::route_command(
            &bench.app,
            &alice(),
            "digest",
            &super::Options::new().with("preview", super::Options::new().with("period", "last-week")),
            None,
        )
        .await;
        let t = text(&message(preview));
        assert!(
            t.contains("Held this week (2)")
                && t.contains("**Research showcase** · 19 Nov · logged 3, follow-ups 1"),
            "{t}"
        );
        assert!(t.contains("Nothing decided after (2)") && t.contains("Autumn fair · ended 2 Nov"), "{t}");
    }
}
