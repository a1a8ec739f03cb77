//! `/partner add|show|edit|list|merge`, partner options on `/intel`, `/search` and `/entry edit`,
//! and every partner option's autocomplete, through the router as interactions reach it: who may
//! do what, what is refused and how, and that a pending "Add anyway" keeps what was typed.

use liaison::discord::caller::Caller;
use liaison::discord::commands::{autocomplete, route_button, route_command, route_form};
use liaison::discord::options::{Fields, Options};
use liaison::domain::ids::UserId;
use liaison::message::{Message, Reply};

use crate::bench::*;

fn partner(sub: &str, options: Options) -> Options {
    Options::new().with(sub, options)
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// `/partner add`, pressing "Add anyway" when a close name is offered.
async fn add(bench: &Bench, who: &Caller, name: &str, kind: &str, department: &str) -> Message {
    let options = Options::new().with("name", name).with("kind", kind).with("department", department);
    let added = message(route_command(&bench.app, who, "partner", &partner("add", options), None).await);
    match buttons(&added).first() {
        Some((label, id, _)) if label == "Add anyway" => update(route_button(&bench.app, who, id).await),
        _ => added,
    }
}

async fn show(bench: &Bench, who: &Caller, name: &str) -> Message {
    let options = partner("show", Options::new().with("partner", name));
    message(route_command(&bench.app, who, "partner", &options, None).await)
}

async fn choices(bench: &Bench, option: &str, typed: &str) -> Vec<String> {
    match autocomplete(&bench.app, &alice(), option, typed).await {
        Reply::Choices(c) => c
            .into_iter()
            .map(|(name, value)| {
                assert_eq!(name, value, "a choice's value is its name");
                value
            })
            .collect(),
        other => panic!("expected choices, got {other:?}"),
    }
}

/// `/intel` about History with a partner, saved at once.
async fn heard(bench: &Bench, who: &Caller, partner: &str, note: &str) -> Message {
    let options = Options::new().with("department", "History").with("partner", partner).with("note", note);
    message(bench.intel(who, options).await)
}

#[tokio::test]
async fn any_member_adds_a_partner_and_owns_it_unless_they_name_an_owner() {
    let bench = Bench::at(november(18)).await;
    let added = add(&bench, &alice(), "Dr A. Field", "person", "hist").await;
    assert!(added.ephemeral);
    let t = text(&added);
    assert!(t.starts_with("Added **Dr A. Field**."), "{t}");
    for part in ["Kind: person", "Status: active", "Owners: <@101>", "Departments: History"] {
        assert!(t.contains(part), "{part} in {t}");
    }
    let options = Options::new()
        .with("name", "Technology Enhanced Learning")
        .with("kind", "team")
        .with("owner", UserId(7))
        .with("co_owner", UserId(8))
        .with("notes", "They want *reading lists* in Moodle; we offer training")
        .with("link", "https://tel.example.ac.uk");
    let t =
        text(&message(route_command(&bench.app, &bob(), "partner", &partner("add", options), None).await));
    assert!(t.contains("Owners: <@7> (co-owners: <@8>)"), "{t}");
    assert!(t.contains("They want / we offer: They want \\*reading lists\\* in Moodle"), "escaped: {t}");
    assert!(t.contains("Link: https\\://tel.example.ac.uk"), "{t}");

    // The same name again, in another case and without its punctuation, is refused.
    let options = Options::new().with("name", "dr a field").with("kind", "person");
    let again = refusal(route_command(&bench.app, &bob(), "partner", &partner("add", options), None).await);
    assert_eq!(again, "there is already a partner called \"Dr A. Field\"");
    let options = Options::new().with("name", "X").with("kind", "team").with("link", "javascript:alert(1)");
    let link = refusal(route_command(&bench.app, &bob(), "partner", &partner("add", options), None).await);
    assert!(link.starts_with("a link must be a web address"), "{link}");
}

#[tokio::test]
async fn a_close_name_is_offered_first_and_add_anyway_keeps_everything_typed() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Dr A. Field", "person", "History").await;
    let notes = "They want a long session on EEBO for the whole cohort. ".repeat(10);
    let options = Options::new()
        .with("name", "Dr A. Fields")
        .with("kind", "person")
        .with("department", "Law")
        .with("co_owner", UserId(9))
        .with("notes", notes.as_str())
        .with("link", "https://example.ac.uk/fields");
    let offered = message(route_command(&bench.app, &bob(), "partner", &partner("add", options), None).await);
    assert!(offered.ephemeral);
    assert!(
        offered.content.starts_with("Did you mean **Dr A. Field**? Nothing was added."),
        "{}",
        offered.content
    );
    let b = buttons(&offered);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].0, "Add anyway");
    assert!(b[0].1.len() <= 100);

    // Only the member who asked can press it (the message is theirs alone, but ids can be typed).
    let other = refusal(route_button(&bench.app, &alice(), &b[0].1).await);
    assert!(other.starts_with("This request is no longer waiting"), "{other}");
    let added = update(route_button(&bench.app, &bob(), &b[0].1).await);
    let t = text(&added);
    assert!(t.starts_with("Added **Dr A. Fields**."), "{t}");
    assert!(t.contains("Owners: <@102> (co-owners: <@9>)") && t.contains("Departments: Law"), "{t}");
    assert!(t.contains(notes.trim()), "the notes came through whole: {t}");
    assert!(t.contains("https\\://example.ac.uk/fields"), "{t}");
    // Pressed twice: nothing more.
    let twice = refusal(route_button(&bench.app, &bob(), &b[0].1).await);
    assert!(twice.starts_with("This request is no longer waiting"), "{twice}");
    assert_eq!(choices(&bench, "partner", "field").await.len(), 2);
}

#[tokio::test]
async fn add_anyway_expires_after_an_hour() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Study Skills", "team", "History").await;
    let options = Options::new().with("name", "Study Skill").with("kind", "team");
    let offered = message(route_command(&bench.app, &bob(), "partner", &partner("add", options), None).await);
    bench.clock.advance(chrono::Duration::minutes(61));
    let late = refusal(route_button(&bench.app, &bob(), &buttons(&offered)[0].1).await);
    assert!(late.starts_with("This request is no longer waiting"), "{late}");
}

#[tokio::test]
async fn every_partner_option_autocompletes_fuzzily_and_departments_too() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Dr A. Field", "person", "History").await;
    add(&bench, &alice(), "Müller Lab", "group", "Engineering").await;
    for option in ["partner", "partner2", "from", "into"] {
        assert_eq!(choices(&bench, option, "fiel").await, ["Dr A. Field"], "{option}");
        assert_eq!(choices(&bench, option, "muller").await, ["Müller Lab"], "{option}");
    }
    assert_eq!(choices(&bench, "partner", "").await.len(), 2, "empty: every partner, up to 25");
    assert!(choices(&bench, "also_department", "hist").await.contains(&"History".to_string()));
    assert!(choices(&bench, "note", "fiel").await.is_empty(), "not an autocompleted option");
}

#[tokio::test]
async fn intel_links_partners_and_another_department_and_refuses_an_unknown_partner() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Dr A. Field", "person", "History").await;
    add(&bench, &alice(), "Study Skills", "team", "").await;
    let options = Options::new()
        .with("department", "History")
        .with("partner", "dr a field")
        .with("partner2", "Study Skills")
        .with("also_department", "law")
        .with("note", "Joint EEBO and referencing session");
    let t = text(&message(bench.intel(&bob(), options).await));
    assert!(t.contains("Also: Law") && t.contains("Partners: Dr A. Field, Study Skills"), "{t}");
    let entry = bench.entry(1).await.expect("stored");
    let names: Vec<&str> = entry.partners.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Dr A. Field", "Study Skills"]);
    assert_eq!(entry.also_departments.iter().map(|k| k.as_str()).collect::<Vec<_>>(), ["Law"]);

    let typo = Options::new().with("department", "History").with("partner", "Dr A. Feild").with("note", "x");
    let refused = refusal(bench.intel(&bob(), typo).await);
    assert!(
        refused.starts_with("no partner called \"Dr A. Feild\"; the closest are\\: Dr A. Field"),
        "{refused}"
    );
    assert!(bench.entry(2).await.is_none());

    // Without a note, the form is pre-filled with the partners, and its submit takes more.
    let options =
        Options::new().with("department", "History").with("partner", "dr a field").with("share", "private");
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), options).await else { panic!("a form") };
    let partners = form.inputs.iter().find(|i| i.custom_id == "partners").expect("a partners field");
    assert_eq!(partners.value, "Dr A. Field");
    let refused = refusal(
        route_form(
            &bench.app,
            &alice(),
            &form.custom_id,
            &fields(&[("note", "Keep me"), ("partners", "Nobody")]),
        )
        .await,
    );
    assert!(refused.starts_with("no partner called \"Nobody\""), "{refused}");
    assert!(refused.ends_with("Your note, to copy into a new try:\n> Keep me"), "{refused}");
    let submit = fields(&[("note", "Follow-up chat"), ("partners", "Dr A. Field, study skills")]);
    let saved = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &submit).await));
    assert!(saved.contains("(private") && saved.contains("Partners: Dr A. Field, Study Skills"), "{saved}");
}

#[tokio::test]
async fn the_timeline_shows_profile_last_contact_entries_paged_follow_ups_and_months() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Dr A. Field", "person", "History").await;
    let empty = text(&show(&bench, &bob(), "dr a field").await);
    assert!(empty.contains("Last contact: never") && empty.contains("No entries about them yet."), "{empty}");
    for i in 1..=6 {
        bench.clock.set(november(i));
        heard(&bench, &alice(), "Dr A. Field", &format!("Conversation number {i}")).await;
    }
    bench.clock.set(november(18));
    let options = Options::new()
        .with("department", "History")
        .with("partner", "Dr A. Field")
        .with("note", "Private word about *the seminar*")
        .with("channel", "coffee")
        .with("follow_up", "friday")
        .with("share", "private");
    message(bench.intel(&alice(), options).await);

    let first = show(&bench, &bob(), "dr a field").await;
    assert!(first.ephemeral);
    let t = text(&first);
    assert!(t.contains("Dr A. Field") && t.contains("Owners: <@101>"), "{t}");
    assert!(t.contains("Last contact: <t:1795003200:d> via Coffee (entry #7)"), "private ones count: {t}");
    assert!(t.contains("6 entries · page 1 of 2"), "Bob does not see Alice's private one: {t}");
    assert!(!t.contains("Private word"), "{t}");
    assert_eq!(listed(&first), [6, 5, 4, 3, 2], "newest first");
    assert!(t.contains("`Nov 2026` ████████████ 7"), "{t}");
    assert!(t.contains("`Dec 2025`  0"), "twelve months, empty ones too: {t}");
    let b = buttons(&first);
    assert_eq!((b[0].0.as_str(), b[0].2, b[1].0.as_str(), b[1].2), ("Previous", true, "Next", false));
    let second = update(route_button(&bench.app, &bob(), &b[1].1).await);
    assert_eq!(listed(&second), [1]);
    assert!(text(&second).contains("page 2 of 2"));
    assert_eq!((buttons(&second)[0].2, buttons(&second)[1].2), (false, true));

    // Its author sees it, with its open follow-up.
    let hers = text(&show(&bench, &alice(), "Dr A. Field").await);
    assert!(
        hers.contains("7 entries") && hers.contains("Open follow-ups: #7 · due Fri 20 Nov 2026"),
        "{hers}"
    );
    assert!(hers.contains("Private word about \\*the seminar\\*"), "{hers}");
    let unknown = refusal(
        route_command(
            &bench.app,
            &bob(),
            "partner",
            &partner("show", Options::new().with("partner", "Nobody")),
            None,
        )
        .await,
    );
    assert!(unknown.starts_with("no partner called \"Nobody\""), "{unknown}");
}

#[tokio::test]
async fn only_owners_and_admins_edit_in_a_prefilled_form_with_the_options_applied() {
    let bench = Bench::at(november(18)).await;
    let options = Options::new()
        .with("name", "Dr A. Field")
        .with("kind", "person")
        .with("department", "History")
        .with("co_owner", UserId(9))
        .with("notes", "Wants EEBO");
    message(route_command(&bench.app, &alice(), "partner", &partner("add", options), None).await);
    let edit = |opts: Options| partner("edit", opts.with("partner", "Dr A. Field"));

    let refused = refusal(route_command(&bench.app, &bob(), "partner", &edit(Options::new()), None).await);
    assert!(refused.starts_with("Only the partner's owners and server admins"), "{refused}");
    let Ok(Reply::Modal(form)) = route_command(
        &bench.app,
        &alice(),
        "partner",
        &edit(
            Options::new()
                .with("kind", "group")
                .with("owner", UserId(102))
                .with("remove_co_owner", UserId(9)),
        ),
        None,
    )
    .await
    else {
        panic!("the form")
    };
    assert!(form.inputs.len() <= 5 && form.custom_id.len() <= 100);
    let values: Vec<(&str, &str)> =
        form.inputs.iter().map(|i| (i.custom_id.as_str(), i.value.as_str())).collect();
    assert_eq!(
        values,
        [
            ("name", "Dr A. Field"),
            ("departments", "History"),
            ("notes", "Wants EEBO"),
            ("link", ""),
            ("status", "active")
        ]
    );
    // A forged submit by a non-owner is refused by the service, notes handed back.
    let submit = fields(&[
        ("name", "Dr Anne Field"),
        ("departments", "History, Law"),
        ("notes", "Wants EEBO and Westlaw"),
        ("status", "dormant"),
    ]);
    let forged = refusal(route_form(&bench.app, &bob(), &form.custom_id, &submit).await);
    assert!(forged.starts_with("only the owners of"), "{forged}");
    let saved = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &submit).await));
    for part in
        ["Dr Anne Field", "Kind: group", "Status: dormant", "Owners: <@102>", "Departments: History, Law"]
    {
        assert!(saved.contains(part), "{part} in {saved}");
    }
    assert!(!saved.contains("<@9>") && !saved.contains("<@101>"), "{saved}");
    let bad = refusal(
        route_form(
            &bench.app,
            &bob(),
            &form.custom_id,
            &fields(&[("name", "X"), ("notes", "Mine"), ("status", "gone")]),
        )
        .await,
    );
    assert!(bad.starts_with("status is active or dormant") && bad.ends_with("> Mine"), "{bad}");
    // Bob owns it now; an admin may too.
    let Ok(Reply::Modal(_)) = route_command(
        &bench.app,
        &admin(),
        "partner",
        &partner("edit", Options::new().with("partner", "dr anne field")),
        None,
    )
    .await
    else {
        panic!("an admin's form")
    };
}

#[tokio::test]
async fn the_list_filters_and_pages_with_the_filter_in_its_buttons() {
    let bench = Bench::at(november(18)).await;
    for i in 0..12 {
        add(&bench, &alice(), &format!("Lecturer {i:02}"), "person", "History").await;
    }
    add(&bench, &bob(), "Springer Nature", "organisation", "Engineering").await;
    heard(&bench, &alice(), "Lecturer 00", "Still in touch").await;
    let list = |options: Options| partner("list", options);

    let all = message(route_command(&bench.app, &bob(), "partner", &list(Options::new()), None).await);
    assert!(text(&all).contains("13 partners · page 1 of 2"), "{}", text(&all));
    let people = message(
        route_command(&bench.app, &bob(), "partner", &list(Options::new().with("kind", "person")), None)
            .await,
    );
    let t = text(&people);
    assert!(t.contains("12 partners · page 1 of 2") && !t.contains("Springer"), "{t}");
    let b = buttons(&people);
    assert_eq!((b[0].2, b[1].2), (true, false));
    let second = update(route_button(&bench.app, &bob(), &b[1].1).await);
    let t = text(&second);
    assert!(
        t.contains("page 2 of 2") && t.contains("Lecturer 11") && !t.contains("Springer"),
        "the filter held: {t}"
    );

    let bobs = text(&message(
        route_command(
            &bench.app,
            &alice(),
            "partner",
            &list(Options::new().with("owner", UserId(102))),
            None,
        )
        .await,
    ));
    assert!(bobs.contains("1 partner") && bobs.contains("Springer Nature · organisation"), "{bobs}");
    let engineering = text(&message(
        route_command(
            &bench.app,
            &alice(),
            "partner",
            &list(Options::new().with("department", "Engineering")),
            None,
        )
        .await,
    ));
    assert!(engineering.contains("Springer Nature") && !engineering.contains("Lecturer"), "{engineering}");

    bench.clock.advance(days(7 * 9));
    let quiet = text(&message(
        route_command(&bench.app, &alice(), "partner", &list(Options::new().with("quiet", 8)), None).await,
    ));
    assert!(quiet.contains("13 partners"), "nine weeks on, all quiet: {quiet}");
    heard(&bench, &alice(), "Lecturer 00", "Back in touch").await;
    let quiet = text(&message(
        route_command(&bench.app, &alice(), "partner", &list(Options::new().with("quiet", 8)), None).await,
    ));
    assert!(quiet.contains("12 partners") && !quiet.contains("Lecturer 00"), "{quiet}");
    let dormant = text(&message(
        route_command(&bench.app, &alice(), "partner", &list(Options::new().with("status", "dormant")), None)
            .await,
    ));
    assert!(dormant.contains("No partners match."), "{dormant}");
}

#[tokio::test]
async fn admins_merge_and_the_entries_follow() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Dr A. Field", "person", "History").await;
    add(&bench, &bob(), "Anne Field", "person", "Law").await;
    heard(&bench, &bob(), "Anne Field", "Asked about Westlaw").await;
    let merge = partner("merge", Options::new().with("from", "Anne Field").with("into", "Dr A. Field"));
    let refused = refusal(route_command(&bench.app, &alice(), "partner", &merge, None).await);
    assert_eq!(refused, "Only server admins can merge partners.");
    let same = partner("merge", Options::new().with("from", "Anne Field").with("into", "anne field"));
    assert_eq!(
        refusal(route_command(&bench.app, &admin(), "partner", &same, None).await),
        "Those are the same partner: choose two."
    );
    let merged = text(&message(route_command(&bench.app, &admin(), "partner", &merge, None).await));
    assert!(merged.starts_with("Merged **Anne Field** into **Dr A. Field**."), "{merged}");
    assert!(
        merged.contains("Departments: History, Law") && merged.contains("Owners: <@101> (co-owners: <@102>)"),
        "{merged}"
    );
    let t = text(&show(&bench, &alice(), "Dr A. Field").await);
    assert!(t.contains("Asked about Westlaw"), "{t}");
    assert_eq!(choices(&bench, "partner", "field").await, ["Dr A. Field"], "Anne Field is gone");
}

/// The filter itself is the search store's (branch partners-search); this checks the option
/// reaches it resolved, and that an unknown name is refused before any search.
#[tokio::test]
async fn search_filters_by_partner() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Dr A. Field", "person", "History").await;
    heard(&bench, &alice(), "Dr A. Field", "Interlibrary loan for the seminar").await;
    bench.note(&alice(), "History", "Interlibrary loan, nobody in particular").await;
    let search = |partner: &str| Options::new().with("query", "loan").with("partner", partner);
    let found = message(route_command(&bench.app, &bob(), "search", &search("dr a field"), None).await);
    assert_eq!(listed(&found), [1]);
    assert!(text(&found).contains("· with Dr A. Field"), "{}", text(&found));
    let refused = refusal(route_command(&bench.app, &bob(), "search", &search("nobody"), None).await);
    assert!(refused.starts_with("no partner called"), "{refused}");
}

#[tokio::test]
async fn the_entry_edit_form_changes_other_departments_and_partners() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Dr A. Field", "person", "History").await;
    bench.note(&alice(), "History", "Interlibrary loan, nobody in particular").await;
    let edit = Options::new().with("edit", Options::new().with("id", 1));
    let Ok(Reply::Modal(form)) = route_command(&bench.app, &alice(), "entry", &edit, None).await else {
        panic!("the edit form")
    };
    let submit = fields(&[
        ("note", "Interlibrary loan, for Dr Field after all"),
        ("also_departments", "Law, History"),
        ("partners", "Dr A. Field, dr a field"),
    ]);
    let t = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &submit).await));
    assert!(
        t.contains("Also: Law\n") && t.contains("Partners: Dr A. Field\n"),
        "own department and repeats dropped: {t}"
    );
    let stored = bench.entry(1).await.expect("kept");
    assert_eq!(stored.partners.len(), 1);
    // The form opens with them, and clearing the fields clears them.
    let Ok(Reply::Modal(form)) = route_command(&bench.app, &alice(), "entry", &edit, None).await else {
        panic!("the edit form")
    };
    let values: Vec<&str> = form.inputs.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(values[2..], ["Law", "Dr A. Field"]);
    let typo = fields(&[("note", "Keep"), ("partners", "Nobody")]);
    let refused = refusal(route_form(&bench.app, &alice(), &form.custom_id, &typo).await);
    assert!(refused.starts_with("no partner called") && refused.ends_with("> Keep"), "{refused}");
    message(route_form(&bench.app, &alice(), &form.custom_id, &fields(&[("note", "Plain again")])).await);
    let stored = bench.entry(1).await.expect("kept");
    assert!(stored.partners.is_empty() && stored.also_departments.is_empty(), "{stored:?}");
    // Bob may not, however the form arrives.
    let forged = refusal(route_form(&bench.app, &bob(), &form.custom_id, &submit).await);
    assert!(forged.starts_with("only Alice Liaison"), "{forged}");
}

#[tokio::test]
async fn a_name_with_a_comma_reads_back_from_a_forms_list() {
    let bench = Bench::at(november(18)).await;
    add(&bench, &alice(), "Smith, Jones and Partners", "organisation", "Law").await;
    add(&bench, &alice(), "Dr A. Field", "person", "History").await;
    let options = Options::new().with("department", "Law").with("partner", "Smith, Jones and Partners");
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), options).await else { panic!("a form") };
    let prefilled = form.inputs.iter().find(|i| i.custom_id == "partners").expect("partners").value.clone();
    assert_eq!(prefilled, "Smith, Jones and Partners");
    let list = format!("{prefilled}, dr a field");
    let submit = fields(&[("note", "Contract renewal"), ("partners", list.as_str())]);
    let saved = text(&message(route_form(&bench.app, &alice(), &form.custom_id, &submit).await));
    assert!(saved.contains("Partners: Smith, Jones and Partners, Dr A. Field"), "{saved}");
    let refused = refusal(
        route_form(
            &bench.app,
            &alice(),
            &form.custom_id,
            &fields(&[("note", "x"), ("partners", "Smith, Nobody")]),
        )
        .await,
    );
    assert!(refused.starts_with("no partner called \"Smith\""), "{refused}");
}
