//! `/intel`, its form and "Save as intel": what is saved, and what the person is shown.

use std::sync::Arc;

use chrono::NaiveDate;

use liaison::discord::commands::{intel, route_form, save_as_intel};
use liaison::discord::custom_id::Action;
use liaison::discord::options::{Fields, Options, TargetMessage};
use liaison::domain::entry::FollowUpStatus;
use liaison::domain::privacy::Share;
use liaison::message::Reply;

use crate::bench::*;
use crate::failing::LookupFails;

#[tokio::test]
async fn a_note_is_saved_privately_with_who_else_heard_about_the_department() {
    let bench = Bench::at(november(18)).await;
    let options = Options::new()
        .with("department", "hist")
        .with("note", "Three PhD students asked for EEBO training")
        .with("channel", "coffee")
        .with("tags", "eebo, training")
        .with("when", "yesterday")
        .with("follow_up", "in 7 days");
    let saved = message(bench.intel(&alice(), options).await);
    assert!(saved.ephemeral);
    let t = text(&saved);
    assert!(t.starts_with("\nSaved entry #1\n> Three PhD students asked for EEBO training"), "{t}");
    for field in [
        "Department: History",
        "Channel: Coffee",
        "When: <t:1794916800:d>",
        "Tags: #eebo #training",
        "Follow-up: you, by Wed 25 Nov 2026",
    ] {
        assert!(t.contains(field), "{field} in {t}");
    }
    assert!(!t.contains("Who else heard this"), "nobody else yet: {t}");

    let entry = bench.entry(1).await.expect("stored");
    assert_eq!(
        (entry.department.as_str(), entry.channel.as_str(), entry.informal),
        ("History", "coffee", true)
    );
    assert_eq!((entry.author.id, entry.author.name.as_str()), (alice().user, "Alice Liaison"));
    assert_eq!(entry.occurred_at, november(17), "yesterday, at midday");
    assert_eq!(entry.created_at, november(18));
    let follow_up = entry.follow_up.expect("a follow-up");
    assert_eq!(
        (follow_up.owner, follow_up.due),
        (alice().user, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
    );
    assert_eq!(follow_up.status, FollowUpStatus::Open);

    // A colleague in another department hears about the same thing: his confirmation lists
    // Alice's, with who, when (the day as the server's locale writes it), the channel, the start
    // of her note, and what they share as he wrote it.
    bench.clock.advance(days(1));
    let bobs = text(&message(
        bench
            .intel(
                &bob(),
                Options::new().with("department", "English").with("note", "Two postgrads want EEBO training"),
            )
            .await,
    ));
    assert!(
        bobs.contains(
            "Who else heard this: #1 · Alice Liaison · 17 Nov 2026 · Coffee\n> Three PhD students asked for EEBO \
             training\nshared: EEBO, training"
        ),
        "{bobs}"
    );
    // Something else, in Alice's own department, lists nothing: not her own entry, and not Bob's.
    let hers = text(&message(
        bench
            .intel(
                &alice(),
                Options::new().with("department", "hist").with("note", "Room booked for the seminar"),
            )
            .await,
    ));
    assert!(!hers.contains("Who else heard this"), "{hers}");
    // Her next one about EEBO training lists Bob's, never her own.
    let again = text(&message(
        bench
            .intel(
                &alice(),
                Options::new().with("department", "hist").with("note", "EEBO training dates set"),
            )
            .await,
    ));
    assert!(again.contains("Who else heard this: #2 · Bob Enquiries"), "{again}");
    assert!(!again.contains("#1 ·"), "{again}");
}

#[tokio::test]
async fn without_a_note_a_form_opens_and_its_submit_saves_redacted() {
    let bench = Bench::at(november(18)).await;
    let options =
        Options::new().with("department", "Engineering").with("channel", "desk").with("tags", "ieee");
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), options).await else { panic!("a form") };
    assert_eq!(form.title, "Intel: Engineering");
    let values: Vec<(&str, &str)> =
        form.inputs.iter().map(|i| (i.custom_id.as_str(), i.value.as_str())).collect();
    assert_eq!(values, [("note", ""), ("tags", "ieee"), ("when", ""), ("follow_up", ""), ("partners", "")]);
    assert!(form.inputs[0].paragraph && form.inputs[0].required);
    assert!(matches!(Action::parse(&form.custom_id), Some(Action::IntelForm { .. })), "{}", form.custom_id);

    let fields = [("note", "Wants IEEE Xplore access, call 07700 900123"), ("tags", "ieee")];
    let fields = fields.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let saved = message(route_form(&bench.app, &alice(), &form.custom_id, &fields).await);
    let t = text(&saved);
    assert!(
        t.contains("Saved entry #1") && t.contains("Redacted: 1 item of personal data was replaced"),
        "{t}"
    );
    let entry = bench.entry(1).await.expect("stored");
    assert_eq!(entry.note.as_str(), "Wants IEEE Xplore access, call [phone]");
    assert_eq!((entry.department.as_str(), entry.channel.as_str()), ("Engineering", "desk"));
}

#[tokio::test]
async fn a_refused_form_hands_the_note_back_and_saves_nothing() {
    let bench = Bench::at(november(18)).await;
    let options = Options::new().with("department", "Law");
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), options).await else { panic!("a form") };
    let submitted = |when: &str| {
        let fields = [("note", "Keep this text"), ("when", when)];
        fields.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let refused =
        refusal(route_form(&bench.app, &alice(), &form.custom_id, &submitted("the other day")).await);
    assert!(refused.contains("not a date I understand"), "{refused}");
    assert!(refused.ends_with("Your note, to copy into a new try:\n> Keep this text"), "{refused}");
    assert!(bench.entry(1).await.is_none());
    // A date in the future is refused the same way, measured from the bench's clock.
    let future = refusal(route_form(&bench.app, &alice(), &form.custom_id, &submitted("25 Dec 2026")).await);
    assert!(future.contains("is in the future") && future.contains("Keep this text"), "{future}");
}

#[tokio::test]
async fn save_as_intel_fills_the_form_from_the_message_and_links_back_to_it() {
    let bench = Bench::at(november(18)).await;
    let target = TargetMessage {
        channel_id: 10,
        message_id: 20,
        content: "The MSc cohort can't find the list".into(),
    };
    let request = save_as_intel::parse(Some(&target)).expect("a message with text");
    let Reply::Modal(form) = save_as_intel::handle(&bench.app, &alice(), request).await else {
        panic!("a form")
    };
    let values: Vec<(&str, &str)> =
        form.inputs.iter().map(|i| (i.custom_id.as_str(), i.value.as_str())).collect();
    assert_eq!(
        values,
        [
            ("note", "The MSc cohort can't find the list"),
            ("department", ""),
            ("channel", "Enquiry desk"),
            ("partners", ""),
            ("private", "")
        ]
    );

    let fields = [
        ("note", "The MSc cohort can't find the list"),
        ("department", "computing"),
        ("channel", "Corridor"),
    ];
    let fields = fields.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let submitted = save_as_intel::parse_form(
        intel::SourceMessage { channel_id: 10, message_id: 20 },
        &fields,
        bench.rules(),
    );
    let saved =
        message(intel::handle_form(&bench.app, &alice(), submitted.expect("it resolves"), None).await);
    assert!(text(&saved).contains("Saved entry #1"), "{}", text(&saved));
    let entry = bench.entry(1).await.expect("stored");
    assert_eq!((entry.department.as_str(), entry.channel.as_str()), ("Computer Science", "corridor"));
    assert_eq!(entry.source.as_deref(), Some("https://discord.com/channels/1/10/20"));
}

#[tokio::test]
async fn a_saved_note_whose_lookup_then_fails_is_still_confirmed_with_its_number() {
    let bench = Bench::wrapping(november(18), |store| Arc::new(LookupFails(store))).await;
    let options = Options::new().with("department", "hist").with("note", "Three PhD students asked for EEBO");
    let log = Log::default();
    let t = {
        let _capturing = tracing::subscriber::set_default(log.subscriber());
        text(&message(bench.intel(&alice(), options).await))
    };
    // The log names the entry and the failure, never the note.
    let logged = log.text();
    assert!(
        logged.contains("who else heard this could not be looked up") && logged.contains("entry=1"),
        "{logged}"
    );
    assert!(logged.contains("injected failure") && !logged.contains("EEBO"), "{logged}");
    assert!(t.starts_with("\nSaved entry #1\n> Three PhD students asked for EEBO"), "{t}");
    assert!(
        t.contains(
            "Who else heard this: Could not be looked up just now. Your entry is saved: no need to submit it again."
        ),
        "{t}"
    );
    assert!(bench.entry(1).await.is_some());

    // The form's submit too: saved once, confirmed, never refused with the note handed back.
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), Options::new().with("department", "Law")).await else {
        panic!("a form")
    };
    let fields =
        [("note", "Wants Westlaw training")].into_iter().map(|(k, v)| (k.to_string(), v.to_string()));
    let t = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &fields.collect()).await));
    assert!(t.contains("Saved entry #2") && t.contains("Your entry is saved"), "{t}");
    assert!(bench.entry(2).await.is_some() && bench.entry(3).await.is_none());
}

fn form_fields(pairs: &[(&str, &str)]) -> liaison::discord::options::Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn a_form_submitted_twice_saves_once_and_the_second_submit_names_the_entry() {
    let bench = Bench::at(november(18)).await;
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), Options::new().with("department", "Law")).await else {
        panic!("a form")
    };
    let fields = form_fields(&[("note", "Wants Westlaw training")]);
    let first = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &fields).await));
    assert!(first.contains("Saved entry #1"), "{first}");
    // A double click, or a client retry: the same form's id again.
    let second = message(route_form(&bench.app, &alice(), &form.custom_id, &fields).await);
    assert!(second.ephemeral);
    assert!(text(&second).contains("Already saved as entry #1"), "{}", text(&second));
    assert!(bench.entry(2).await.is_none(), "saved once");
    // The next form is a new one, and saves.
    let Ok(Reply::Modal(next)) = bench.intel(&alice(), Options::new().with("department", "Law")).await else {
        panic!("a form")
    };
    assert_ne!(next.custom_id, form.custom_id);
    let third = text(&message(route_form(&bench.app, &alice(), &next.custom_id, &fields).await));
    assert!(third.contains("Saved entry #2"), "{third}");

    // "Save as intel"'s form, the same.
    let target = TargetMessage { channel_id: 10, message_id: 20, content: "The list is missing".into() };
    let request = save_as_intel::parse(Some(&target)).expect("a message with text");
    let Reply::Modal(form) = save_as_intel::handle(&bench.app, &alice(), request).await else {
        panic!("a form")
    };
    let fields = form_fields(&[("note", "The list is missing"), ("department", "Law")]);
    let first = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &fields).await));
    assert!(first.contains("Saved entry #3"), "{first}");
    let second = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &fields).await));
    assert!(second.contains("Already saved as entry #3"), "{second}");
    assert!(bench.entry(4).await.is_none(), "saved once");
}

#[tokio::test]
async fn a_form_opened_before_forms_carried_a_key_still_saves() {
    let bench = Bench::at(november(18)).await;
    let fields = form_fields(&[("note", "Opened before the upgrade"), ("department", "Law")]);
    for (id, saved) in [("intel:desk:=Law", 1), ("save:10:20", 2)] {
        let t = text(&message(route_form(&bench.app, &alice(), id, &fields).await));
        assert!(t.contains(&format!("Saved entry #{saved}")), "{t}");
    }
    assert_eq!(
        bench.entry(2).await.expect("stored").source.as_deref(),
        Some("https://discord.com/channels/1/10/20")
    );
}

/// What a test's code logs, at every level, kept to read back.
#[derive(Clone, Default)]
struct Log(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync {
        let log = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || log.clone())
            .finish()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

#[tokio::test]
async fn a_private_note_is_saved_private_said_so_and_never_listed_as_who_else_heard_this() {
    let bench = Bench::at(november(18)).await;
    let options = |note: &str, share: &str| {
        Options::new().with("department", "History").with("note", note).with("share", share)
    };
    let saved =
        text(&message(bench.intel(&alice(), options("A student's appeal, between us", "private")).await));
    assert!(
        saved.starts_with(
            "\nSaved entry #1 (private: only you and admins see its text)\n> A student's appeal"
        ),
        "{saved}"
    );
    assert_eq!(bench.entry(1).await.expect("stored").share, Share::Private);

    // Bob hears about the same thing: Alice's private entry is not who else heard this.
    let bobs = text(&message(
        bench.intel(&bob(), options("A student's appeal, the thesis examiner report lost", "team")).await,
    ));
    assert!(!bobs.contains("Who else heard this") && !bobs.contains("between us"), "{bobs}");
    assert_eq!(bench.entry(2).await.expect("stored").share, Share::Team);
    assert!(!bobs.contains("(private"), "{bobs}");
    // Alice's next private capture about it still lists Bob's team entry.
    let hers =
        text(&message(bench.intel(&alice(), options("Thesis appeal: examiner report", "PRIVATE")).await));
    assert!(hers.contains("Who else heard this: #2 · Bob Enquiries"), "{hers}");
    // And Bob's next one still lists neither of hers.
    let again = text(&message(
        bench.intel(&bob(), options("Examiner report for the thesis appeal found", "team")).await,
    ));
    assert!(!again.contains("Who else heard this"), "Alice's are both private: {again}");
    // Nor an admin's, whose confirmation may be on a shared screen.
    let admins = text(&message(
        bench.intel(&admin(), options("Thesis appeal closed, examiner report filed", "team")).await,
    ));
    assert!(admins.contains("Who else heard this: #4 · Bob"), "{admins}");
    assert!(!admins.contains("#1 ·") && !admins.contains("#3 ·"), "{admins}");

    let refused = refusal(bench.intel(&alice(), options("x", "secret")).await);
    assert_eq!(refused, "share is team or private, not \"secret\"");
}

#[tokio::test]
async fn the_forms_ask_whether_a_note_is_private_and_refuse_an_answer_they_cannot_read() {
    let bench = Bench::at(november(18)).await;
    // /intel's form has no "Private?" field (its slot holds partners): the share option travels
    // in the form's id.
    let private = Options::new().with("department", "Law").with("share", "private");
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), private).await else { panic!("a form") };
    assert_eq!(form.inputs.len(), 5, "Discord's most");
    assert!(form.inputs.iter().all(|i| i.custom_id != "private"), "{form:?}");
    let note: Fields = [("note".to_string(), "Kept to myself".to_string())].into();
    let saved = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &note).await));
    assert!(saved.contains("Saved entry #1 (private"), "{saved}");
    assert_eq!(bench.entry(1).await.expect("stored").share, Share::Private);

    // A form opened by the version before still has the field, and its answer is still read.
    let older = "intel:desk:=Law";
    let submit = |private: &str| {
        let fields = [("note", "Keep this text"), ("private", private)];
        fields.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let refused = refusal(route_form(&bench.app, &alice(), older, &submit("maybe")).await);
    assert!(refused.starts_with("Private? is yes or no, not \"maybe\""), "{refused}");
    assert!(refused.ends_with("Your note, to copy into a new try:\n> Keep this text"), "{refused}");
    assert!(bench.entry(2).await.is_none());
    let saved = text(&message(route_form(&bench.app, &alice(), older, &submit(" Yes ")).await));
    assert!(saved.contains("Saved entry #2 (private"), "{saved}");
    assert_eq!(bench.entry(2).await.expect("stored").share, Share::Private);

    // "Save as intel": its form asks too; left empty, the note is the team's.
    let target = TargetMessage { channel_id: 10, message_id: 20, content: "Heard at the desk".into() };
    let request = save_as_intel::parse(Some(&target)).expect("a message with text");
    let Reply::Modal(form) = save_as_intel::handle(&bench.app, &alice(), request).await else {
        panic!("a form")
    };
    assert_eq!((form.inputs.len(), form.inputs[4].custom_id.as_str()), (5, "private"));
    for (answer, share) in
        [("", Share::Team), ("no", Share::Team), ("private", Share::Private), ("TEAM", Share::Team)]
    {
        let fields = [("note", "Heard at the desk"), ("department", "Law"), ("private", answer)];
        let fields = fields.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let Action::SaveForm { channel_id, message_id, .. } = Action::parse(&form.custom_id).expect("an id")
        else {
            panic!("a save form")
        };
        let submitted = save_as_intel::parse_form(
            intel::SourceMessage { channel_id, message_id },
            &fields,
            bench.rules(),
        )
        .expect("a form that parses");
        let t = text(&message(intel::handle_form(&bench.app, &bob(), submitted, None).await));
        let id: i64 = t
            .split('#')
            .nth(1)
            .and_then(|s| s.split([' ', '\n']).next())
            .and_then(|s| s.parse().ok())
            .expect("an id");
        assert_eq!(bench.entry(id).await.expect("stored").share, share, "{answer:?}");
    }
}
