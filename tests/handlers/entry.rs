//! `/entry show|edit|delete`, its edit form and its delete buttons, through the router: only the
//! author or an admin may change an entry, however the request arrives.

use chrono::NaiveDate;
use liaison::discord::caller::Caller;
use liaison::discord::commands::{route_button, route_command, route_form, search};
use liaison::discord::interaction::failure;
use liaison::discord::options::{Fields, Options};
use liaison::domain::entry::FollowUp;
use liaison::domain::ids::UserId;
use liaison::domain::tag::{MAX_TAGS, MAX_TAG_CHARS};
use liaison::message::Reply;

use crate::bench::*;

fn entry(sub: &str, id: i64) -> Options {
    Options::new().with(sub, Options::new().with("id", id))
}

#[tokio::test]
async fn an_entry_is_shown_in_full_to_anyone() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage, call 07700 900123").await;
    let shown = message(route_command(&bench.app, &bob(), "entry", &entry("show", 1), None).await);
    assert!(shown.ephemeral);
    let t = text(&shown);
    for part in [
        "Entry #1\n> Westlaw outage, call \\[phone\\]",
        "Department: Law",
        "Channel: Enquiry desk (formal)",
        "Author: Alice Liaison",
        "Recorded 18 Nov 2026 12:00 UTC · 1 item redacted",
    ] {
        assert!(t.contains(part), "{part} in {t}");
    }
    let missing = refusal(route_command(&bench.app, &bob(), "entry", &entry("show", 9), None).await);
    assert_eq!(missing, "there is no entry #9 in this server");
}

#[tokio::test]
async fn only_the_author_or_an_admin_may_edit_or_delete() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Original note #westlaw").await;

    let refused = refusal(route_command(&bench.app, &bob(), "entry", &entry("edit", 1), None).await);
    assert_eq!(refused, "only Alice Liaison (who wrote entry #1) or an admin can edit it");
    let Ok(Reply::Modal(form)) = route_command(&bench.app, &alice(), "entry", &entry("edit", 1), None).await
    else {
        panic!("the edit form")
    };
    assert_eq!((form.custom_id.as_str(), form.title.as_str()), ("editl:1", "Edit entry #1"));
    let values: Vec<&str> = form.inputs.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(values, ["Original note #westlaw", "westlaw", "", ""], "no other departments or partners");

    bench.clock.advance(days(1));
    let fields: Fields = [("note", "Edited: email dean@uni.ac.uk"), ("tags", "westlaw, outage")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let forged = refusal(route_form(&bench.app, &bob(), &form.custom_id, &fields).await);
    assert!(forged.starts_with("only Alice Liaison"), "a submit is checked too: {forged}");
    let edited = message(route_form(&bench.app, &alice(), &form.custom_id, &fields).await);
    assert_eq!(edited.content, "Updated entry #1: note; tags. 1 item of personal data is redacted.");
    let stored = bench.entry(1).await.expect("kept");
    assert_eq!((stored.note.as_str(), stored.redactions), ("Edited: email [email]", 1));
    assert_eq!(stored.updated_at, Some(november(19)), "edited at the clock's time");

    // Bob cannot delete it, by the command or with a forged button; an admin can.
    let refused = refusal(route_command(&bench.app, &bob(), "entry", &entry("delete", 1), None).await);
    assert!(refused.starts_with("only Alice Liaison"), "{refused}");
    let forged = refusal(route_button(&bench.app, &bob(), "delete:1").await);
    assert!(forged.starts_with("only Alice Liaison"), "{forged}");
    assert!(bench.entry(1).await.is_some());

    let confirm = message(route_command(&bench.app, &admin(), "entry", &entry("delete", 1), None).await);
    assert_eq!(confirm.content, "Delete entry #1? This cannot be undone.\n> Edited\\: email \\[email\\]");
    let b = buttons(&confirm);
    assert_eq!(
        b,
        [("Delete".into(), "delete:1".into(), false), ("Keep it".into(), "keep:1".into(), false)],
        "{b:?}"
    );
    let kept = update(route_button(&bench.app, &admin(), &b[1].1).await);
    assert_eq!(kept.content, "Kept entry #1.");
    assert!(bench.entry(1).await.is_some());
    let deleted = update(route_button(&bench.app, &admin(), &b[0].1).await);
    assert_eq!(deleted.content, "Deleted entry #1.");
    assert!(bench.entry(1).await.is_none());
    let again = refusal(route_button(&bench.app, &admin(), &b[0].1).await);
    assert_eq!(again, "there is no entry #1 in this server");
}

#[tokio::test]
async fn an_entry_that_cannot_be_read_is_said_so_and_can_still_be_deleted() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage").await;
    // A time no reader can decode, as a hand edit or an older version could leave.
    bench.write_behind(&format!("UPDATE entries SET created_at = {} WHERE id = 1", i64::MAX)).await;

    let shown = refusal(route_command(&bench.app, &bob(), "entry", &entry("show", 1), None).await);
    assert_eq!(shown, "entry #1 could not be read (it can still be deleted)");
    let refused = refusal(route_command(&bench.app, &bob(), "entry", &entry("delete", 1), None).await);
    assert!(refused.starts_with("only Alice Liaison"), "the author rule still holds: {refused}");
    let forged = refusal(route_button(&bench.app, &bob(), "delete:1").await);
    assert!(forged.starts_with("only Alice Liaison"), "{forged}");

    let confirm = message(route_command(&bench.app, &alice(), "entry", &entry("delete", 1), None).await);
    assert_eq!(confirm.content, "Entry #1 could not be read. Delete it? This cannot be undone.");
    let deleted = update(route_button(&bench.app, &alice(), &buttons(&confirm)[0].1).await);
    assert_eq!(deleted.content, "Deleted entry #1.");
    assert!(bench.entry(1).await.is_none());
}

#[tokio::test]
async fn the_edit_form_holds_the_most_tags_at_their_longest_so_an_edit_keeps_them() {
    let bench = Bench::at(november(18)).await;
    let tags: Vec<String> = ('a'..='j').map(|c| c.to_string().repeat(MAX_TAG_CHARS)).collect();
    assert_eq!(tags.len(), MAX_TAGS);
    let listed = tags.join(", ");
    let options =
        Options::new().with("department", "Law").with("note", "Many tags").with("tags", listed.as_str());
    message(bench.intel(&alice(), options).await);

    let Ok(Reply::Modal(form)) = route_command(&bench.app, &alice(), "entry", &entry("edit", 1), None).await
    else {
        panic!("the edit form")
    };
    // As it is sent: fitted to Discord's limits, which cut a pre-filled value to the field's size.
    let form = form.fitted();
    let field = &form.inputs[1];
    assert_eq!(field.value, listed, "pre-filled with every tag, uncut");
    let retyped: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
    assert!(retyped.join(", ").chars().count() <= usize::from(field.max_length), "room to type them again");

    // Submitted unchanged, the entry keeps all its tags.
    let fields: Fields = [("note", "Many tags, edited"), ("tags", field.value.as_str())]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    message(route_form(&bench.app, &alice(), &form.custom_id, &fields).await);
    let stored = bench.entry(1).await.expect("kept");
    assert_eq!(stored.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(), tags);
}

#[tokio::test]
async fn a_refusal_shows_the_authors_display_name_as_text_not_markdown() {
    let bench = Bench::at(november(18)).await;
    let mallory = Caller {
        guild: GUILD,
        user: UserId(104),
        name: "[x](https://evil.example) **now**".into(),
        is_admin: false,
        is_reporter: false,
        dates: Default::default(),
    };
    bench.note(&mallory, "Law", "Mine").await;
    let escaped =
        "only \\[x\\]\\(https\\://evil.example\\) \\*\\*now\\*\\* (who wrote entry #1) or an admin can";
    // What the person sees: the reply Discord is sent, by the command and by a forged button.
    for reply in [
        route_command(&bench.app, &bob(), "entry", &entry("edit", 1), None).await,
        route_command(&bench.app, &bob(), "entry", &entry("delete", 1), None).await,
        route_button(&bench.app, &bob(), "delete:1").await,
    ] {
        let Reply::Message(shown) = failure(reply.expect_err("refused")) else { panic!("a message") };
        assert!(shown.ephemeral);
        assert!(shown.content.starts_with(escaped), "{}", shown.content);
    }
    // The command line has no markup: its text names the author as written.
    let plain = refusal(route_command(&bench.app, &bob(), "entry", &entry("edit", 1), None).await);
    assert_eq!(plain, "only [x](https://evil.example) **now** (who wrote entry #1) or an admin can edit it");
}

#[tokio::test]
async fn an_edit_is_redacted_as_a_reader_sees_it() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Original note").await;
    let fields: Fields = [
        ("note", "write to jo\u{7}@x.ac.uk, card 4111\u{200B} 1111 1111 1111, staff s1234567\u{AD}"),
        ("tags", "ℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝBℝB"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let edited = message(route_form(&bench.app, &alice(), "edit:1", &fields).await);
    assert!(edited.content.starts_with("Updated entry #1: note; tags. 3 items"), "{}", edited.content);
    let stored = bench.entry(1).await.expect("kept and readable");
    assert_eq!(stored.note.as_str(), "write to [email], card [card number], staff [id]");
    assert_eq!(stored.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(), ["ℝb".repeat(20)]);
}

/// Past the retention period, `/entry show` and `/search` show the placeholder wherever the text
/// and the author's name were; the tags and department stay, and the text cannot be edited back.
#[tokio::test]
async fn an_expired_entry_shows_the_placeholder_and_cannot_be_edited() {
    use liaison::discord::markup::DiscordMarkup;
    use liaison::domain::privacy::{EXPIRED_AUTHOR, EXPIRED_TEXT};
    use liaison::message::Markup;
    use liaison::service::privacy::retention;
    // As Discord is sent them: the parentheses escaped.
    let (expired_text, expired_author) =
        (DiscordMarkup.text(EXPIRED_TEXT), DiscordMarkup.text(EXPIRED_AUTHOR));
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage again #westlaw").await;
    bench.clock.advance(days(366));
    bench.note(&alice(), "Law", "Westlaw back, a year on").await;
    let passes = retention::expire(
        bench.app.store.as_ref(),
        &bench.app.config.retention,
        bench.app.now(),
        false,
        "the bot",
    )
    .await
    .expect("the pass");
    assert_eq!(
        passes,
        vec![retention::GuildPass::Cleared { guild: liaison::domain::ids::GuildId(1), entries: 1 }]
    );

    let shown = text(&message(route_command(&bench.app, &bob(), "entry", &entry("show", 1), None).await));
    for part in
        [format!("Entry #1\n> {expired_text}"), format!("Author: {expired_author}"), "Department: Law".into()]
    {
        assert!(shown.contains(&part), "{part} in {shown}");
    }
    assert!(!shown.contains("Westlaw outage") && !shown.contains("Alice"), "{shown}");

    // Its words are not found; its tag still is, shown with the placeholder.
    let words = search::parse(&Options::new().with("query", "outage"), bench.rules()).expect("options");
    let found = message(search::handle(&bench.app, &alice(), words).await);
    assert_eq!(listed(&found), Vec::<i64>::new(), "{}", text(&found));
    let tag = search::parse(&Options::new().with("tag", "westlaw"), bench.rules()).expect("options");
    let by_tag = message(search::handle(&bench.app, &alice(), tag).await);
    assert_eq!(listed(&by_tag), vec![1]);
    let t = text(&by_tag);
    assert!(t.contains(&expired_text) && t.contains(&expired_author) && !t.contains("outage"), "{t}");

    let refused = refusal(route_command(&bench.app, &alice(), "entry", &entry("edit", 1), None).await);
    assert!(refused.contains("removed under the retention policy"), "{refused}");
    let refused = refusal(route_command(&bench.app, &admin(), "entry", &entry("edit", 1), None).await);
    assert!(refused.contains("cannot be edited"), "{refused}");
}

#[tokio::test]
async fn another_members_private_entry_is_refused_as_if_missing_but_its_author_and_admins_see_it() {
    let bench = Bench::at(november(18)).await;
    let options = Options::new()
        .with("department", "Law")
        .with("note", "A student's appeal, between us")
        .with("share", "private");
    message(bench.intel(&alice(), options).await);
    for sub in ["show", "edit", "delete"] {
        let refused = refusal(route_command(&bench.app, &bob(), "entry", &entry(sub, 1), None).await);
        assert_eq!(refused, "there is no entry #1 in this server", "{sub}");
    }
    // A forged Delete button says no more than the command does.
    let forged = refusal(route_button(&bench.app, &bob(), "delete:1").await);
    assert_eq!(forged, "there is no entry #1 in this server");
    assert!(bench.entry(1).await.is_some());
    for who in [alice(), admin()] {
        let shown = text(&message(route_command(&bench.app, &who, "entry", &entry("show", 1), None).await));
        assert!(shown.contains("A student's appeal, between us"), "{shown}");
    }
}

fn edit(id: i64, options: Options) -> Options {
    Options::new().with("edit", options.with("id", id))
}

/// `/entry edit id department: channel: date: follow_up_owner: follow_up_due:` applies them at
/// once, says what changed from what, and search finds the entry where it now is.
#[tokio::test]
async fn edit_options_change_each_field_at_once_and_the_reply_says_what() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage").await;
    let options = Options::new()
        .with("department", "History")
        .with("channel", "coffee")
        .with("date", "yesterday")
        .with("follow_up_owner", bob().user)
        .with("follow_up_due", "2026-12-01");
    let edited = message(route_command(&bench.app, &alice(), "entry", &edit(1, options), None).await);
    assert!(edited.ephemeral);
    assert_eq!(
        edited.content,
        "Updated entry #1: department Law → History; channel Enquiry desk → Coffee; \
         date 18 Nov 2026 → 17 Nov 2026; follow-up none → <@102>, due 1 Dec 2026."
    );
    assert!(text(&edited).contains("Department: History"), "the entry as it now reads: {}", text(&edited));
    let stored = bench.entry(1).await.expect("kept");
    assert_eq!(stored.department.as_str(), "History");
    assert_eq!((stored.channel.as_str(), stored.informal), ("coffee", true));
    assert_eq!(stored.occurred_at, november(17));
    let due = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(stored.follow_up, Some(FollowUp::open(bob().user, due)));
    assert_eq!((stored.note.as_str(), stored.updated_at), ("Westlaw outage", Some(november(18))));

    // Found under its new department, not its old one.
    let under =
        |department: &str| search::parse(&Options::new().with("department", department), bench.rules());
    let history = message(search::handle(&bench.app, &alice(), under("History").expect("options")).await);
    assert_eq!(listed(&history), vec![1]);
    let law = message(search::handle(&bench.app, &alice(), under("Law").expect("options")).await);
    assert_eq!(listed(&law), Vec::<i64>::new());

    // The same again changes nothing, and says so.
    let again = Options::new().with("department", "history").with("channel", "coffee");
    let same = message(route_command(&bench.app, &alice(), "entry", &edit(1, again), None).await);
    assert_eq!(same.content, "Nothing to change: entry #1 already says that.");
    assert_eq!(bench.entry(1).await.expect("kept"), stored);
}

#[tokio::test]
async fn another_member_cannot_edit_a_field_and_an_admin_can() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage").await;
    let before = bench.entry(1).await.expect("kept");
    let options = || Options::new().with("department", "History");
    let refused = refusal(route_command(&bench.app, &bob(), "entry", &edit(1, options()), None).await);
    assert_eq!(refused, "only Alice Liaison (who wrote entry #1) or an admin can edit it");
    assert_eq!(bench.entry(1).await.expect("kept"), before, "nothing written");
    let edited = message(route_command(&bench.app, &admin(), "entry", &edit(1, options()), None).await);
    assert_eq!(edited.content, "Updated entry #1: department Law → History.");
    assert_eq!(bench.entry(1).await.expect("kept").department.as_str(), "History");
}

#[tokio::test]
async fn a_follow_up_is_set_changed_and_cleared() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage").await;
    let run = |options: Options| {
        let app = &bench.app;
        async move { route_command(app, &alice(), "entry", &edit(1, options), None).await }
    };
    // A new one needs a due date; given one alone, its author owns it.
    let refused = refusal(run(Options::new().with("follow_up_owner", bob().user)).await);
    assert_eq!(refused, "entry #1 has no follow-up yet: give its due date too");
    message(run(Options::new().with("follow_up_due", "friday")).await);
    let friday = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    assert_eq!(bench.entry(1).await.unwrap().follow_up, Some(FollowUp::open(alice().user, friday)));
    // A new owner keeps the date.
    let handed = message(run(Options::new().with("follow_up_owner", bob().user)).await);
    assert_eq!(
        handed.content,
        "Updated entry #1: follow-up <@101>, due 20 Nov 2026 → <@102>, due 20 Nov 2026."
    );
    assert_eq!(bench.entry(1).await.unwrap().follow_up, Some(FollowUp::open(bob().user, friday)));
    // Cleared; asking to clear and set at once is refused.
    let both = Options::new().with("no_follow_up", true).with("follow_up_due", "friday");
    assert!(refusal(run(both).await).starts_with("Either remove the follow-up"));
    let cleared = message(run(Options::new().with("no_follow_up", true)).await);
    assert_eq!(cleared.content, "Updated entry #1: follow-up <@102>, due 20 Nov 2026 → none.");
    assert_eq!(bench.entry(1).await.unwrap().follow_up, None);
}

#[tokio::test]
async fn moved_to_one_of_its_other_departments_that_one_leaves_the_others() {
    let bench = Bench::at(november(18)).await;
    let options = Options::new()
        .with("department", "Law")
        .with("note", "Moot court recordings")
        .with("also_department", "History");
    message(bench.intel(&alice(), options).await);
    assert_eq!(bench.entry(1).await.unwrap().also_departments.len(), 1);
    let moved = Options::new().with("department", "History");
    let edited = message(route_command(&bench.app, &alice(), "entry", &edit(1, moved), None).await);
    assert_eq!(edited.content, "Updated entry #1: department Law → History; other departments and partners.");
    let stored = bench.entry(1).await.unwrap();
    assert_eq!((stored.department.as_str(), stored.also_departments.len()), ("History", 0));
}

#[tokio::test]
async fn bad_edit_options_write_nothing() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage").await;
    let before = bench.entry(1).await.expect("kept");
    for (option, value, says) in [
        ("department", "Alchemy", "no department called \"Alchemy\""),
        ("date", "next year", "\"next year\" is not a date I understand"),
        ("date", "in 3 days", "\"in 3 days\" is in the future"),
        ("follow_up_due", "yesterday", "the follow-up date \"yesterday\" is in the past"),
    ] {
        let options = Options::new().with(option, value);
        let refused = refusal(route_command(&bench.app, &alice(), "entry", &edit(1, options), None).await);
        assert!(refused.starts_with(says), "{option}: {refused}");
    }
    assert_eq!(bench.entry(1).await.expect("kept"), before);
}
