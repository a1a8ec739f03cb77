//! `/entry show|edit|delete`, its edit form and its delete buttons, through the router: only the
//! author or an admin may change an entry, however the request arrives.

use liaison::discord::commands::{route_button, route_command, route_form};
use liaison::discord::options::{Fields, Options};
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
        "Recorded 2026-11-18 12:00 UTC · 1 item(s) redacted",
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
    assert_eq!((form.custom_id.as_str(), form.title.as_str()), ("edit:1", "Edit entry #1"));
    let values: Vec<&str> = form.inputs.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(values, ["Original note #westlaw", "westlaw"]);

    bench.clock.advance(days(1));
    let fields: Fields = [("note", "Edited: email dean@uni.ac.uk"), ("tags", "westlaw, outage")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let forged = refusal(route_form(&bench.app, &bob(), &form.custom_id, &fields).await);
    assert!(forged.starts_with("only Alice Liaison"), "a submit is checked too: {forged}");
    let edited = message(route_form(&bench.app, &alice(), &form.custom_id, &fields).await);
    assert!(edited.content.starts_with("Updated entry #1. 1 item(s) of personal data are redacted."));
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
    assert!(edited.content.starts_with("Updated entry #1. 3 item(s)"), "{}", edited.content);
    let stored = bench.entry(1).await.expect("kept and readable");
    assert_eq!(stored.note.as_str(), "write to [email], card [card number], staff [id]");
    assert_eq!(stored.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(), ["ℝb".repeat(20)]);
}
