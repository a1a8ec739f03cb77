//! Defaults that follow the person (issue 16): `/intel`'s channel is the member's last (the
//! config's for a first entry) and the reply says so; the form asks for a department left out,
//! starting from the member's last, as "Save as intel"'s does; channels and tags autocomplete;
//! an unknown channel gets "did you mean".

use liaison::discord::commands::{autocomplete, route_form, save_as_intel};
use liaison::discord::options::{Fields, Options, TargetMessage};
use liaison::message::{Modal, Reply};

use crate::bench::*;

const CHANGE_IT: &str = "change it with channel:";

/// The reply's channel field.
fn saved_content(reply: Result<Reply, liaison::service::ServiceError>) -> String {
    let saved = message(reply);
    let field = saved.embeds.iter().flat_map(|e| e.fields.iter()).find(|f| f.name == "Channel");
    field.expect("a channel field").value.clone()
}

async fn capture(bench: &Bench, who: &liaison::discord::caller::Caller, options: Options) -> String {
    saved_content(bench.intel(who, options).await)
}

fn history(note: &str) -> Options {
    Options::new().with("department", "History").with("note", note)
}

fn inputs(form: &Modal) -> Vec<(&str, &str)> {
    form.inputs.iter().map(|i| (i.custom_id.as_str(), i.value.as_str())).collect()
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn the_channel_left_out_is_the_members_last_and_the_reply_says_how_to_change_it() {
    let bench = Bench::at(november(18)).await;
    // A first entry: the config's default, said to be one.
    let first = capture(&bench, &alice(), history("first")).await;
    assert_eq!(first, format!("Enquiry desk (the default; {CHANGE_IT})"));
    assert_eq!(bench.entry(1).await.unwrap().channel.as_str(), "desk");

    // Named: filed there, and nothing to say about it.
    let named = capture(&bench, &alice(), history("over coffee").with("channel", "coffee")).await;
    assert_eq!(named, "Coffee");

    // Left out again: the last one, and the reply says so.
    bench.clock.advance(days(1));
    let again = capture(&bench, &alice(), history("again")).await;
    assert_eq!(again, format!("Coffee (as last time; {CHANGE_IT})"));
    let entry = bench.entry(3).await.unwrap();
    assert_eq!((entry.channel.as_str(), entry.informal), ("coffee", true));

    // Another member's last is their own.
    let bobs = capture(&bench, &bob(), history("bob's first")).await;
    assert_eq!(bobs, format!("Enquiry desk (the default; {CHANGE_IT})"));
    assert_eq!(bench.entry(4).await.unwrap().channel.as_str(), "desk");
}

#[tokio::test]
async fn a_form_opened_without_a_channel_shows_the_one_it_will_file_under() {
    let bench = Bench::at(november(18)).await;
    capture(&bench, &alice(), history("x").with("channel", "corridor")).await;
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), Options::new().with("department", "Law")).await else {
        panic!("a form")
    };
    assert_eq!(form.title, "Intel: Law, via Corridor");
    let submitted =
        route_form(&bench.app, &alice(), &form.custom_id, &fields(&[("note", "in the form")])).await;
    assert!(text(&message(submitted)).contains("Channel: Corridor"));
    assert_eq!(bench.entry(2).await.unwrap().channel.as_str(), "corridor");
}

#[tokio::test]
async fn the_form_asks_for_a_department_left_out_starting_from_the_members_last() {
    let bench = Bench::at(november(18)).await;
    // Nobody's last yet: the field is empty, and the form still says the channel.
    let Ok(Reply::Modal(first)) = bench.intel(&alice(), Options::new().with("tags", "eebo")).await else {
        panic!("a form")
    };
    assert_eq!(first.title, "Intel, via Enquiry desk");
    assert_eq!(
        inputs(&first),
        [("department", ""), ("note", ""), ("tags", "eebo"), ("when", ""), ("follow_up", "")]
    );
    assert!(first.inputs[0].required);

    capture(&bench, &alice(), Options::new().with("department", "maths").with("note", "x")).await;
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), Options::new()).await else { panic!("a form") };
    assert_eq!(inputs(&form)[0], ("department", "Mathematics"));

    // What is typed in the field decides; a slip is refused with the closest, the note handed back.
    let typo = refusal(
        route_form(
            &bench.app,
            &alice(),
            &form.custom_id,
            &fields(&[("department", "Histroy"), ("note", "keep")]),
        )
        .await,
    );
    assert!(typo.starts_with("no department called \"Histroy\"; the closest are: History"), "{typo}");
    assert!(typo.ends_with("Your note, to copy into a new try:\n> keep"), "{typo}");
    let fixed = fields(&[("department", "hist"), ("note", "keep")]);
    message(route_form(&bench.app, &alice(), &form.custom_id, &fixed).await);
    assert_eq!(bench.entry(2).await.unwrap().department.as_str(), "History");
}

#[tokio::test]
async fn a_note_or_a_partner_without_a_department_is_refused_with_what_to_do() {
    let bench = Bench::at(november(18)).await;
    let note = refusal(bench.intel(&alice(), Options::new().with("note", "x")).await);
    assert_eq!(
        note,
        "Which department is it about? Add department:, or leave note out to pick it in the form."
    );
    let partner = refusal(bench.intel(&alice(), Options::new().with("partner", "Dr A. Field")).await);
    assert!(partner.starts_with("Add department: to name a partner here"), "{partner}");
    assert!(bench.entry(1).await.is_none());
}

#[tokio::test]
async fn save_as_intel_starts_from_the_members_last_department_and_channel() {
    let bench = Bench::at(november(18)).await;
    let target = TargetMessage { channel_id: 10, message_id: 20, content: "Heard in chat".into() };
    let open = || async {
        let request = save_as_intel::parse(Some(&target)).expect("a message with text");
        save_as_intel::handle(&bench.app, &alice(), request).await
    };
    let Reply::Modal(first) = open().await else { panic!("a form") };
    let first = inputs(&first);
    assert_eq!((first[1], first[2]), (("department", ""), ("channel", "Enquiry desk")));

    capture(
        &bench,
        &alice(),
        Options::new().with("department", "law").with("note", "x").with("channel", "email"),
    )
    .await;
    let Reply::Modal(form) = open().await else { panic!("a form") };
    let form = inputs(&form);
    assert_eq!((form[1], form[2]), (("department", "Law"), ("channel", "Email")));
}

async fn choices(bench: &Bench, option: &str, typed: &str) -> Vec<(String, String)> {
    match autocomplete(&bench.app, &alice(), option, typed).await {
        Reply::Choices(c) => c,
        other => panic!("expected choices, got {other:?}"),
    }
}

fn values(choices: Vec<(String, String)>) -> Vec<String> {
    choices.into_iter().map(|(_, v)| v).collect()
}

#[tokio::test]
async fn channels_autocomplete_from_the_catalogue_showing_names_and_sending_keys() {
    let bench = Bench::at(november(18)).await;
    let all = choices(&bench, "channel", "").await;
    assert_eq!(all.len(), bench.rules().channels.iter().count());
    assert_eq!(all[0], ("Enquiry desk".to_string(), "desk".to_string()));
    let cof = choices(&bench, "channel", "cof").await;
    assert_eq!(cof[0], ("Coffee".to_string(), "coffee".to_string()), "the prefix first, then near misses");
    assert_eq!(values(choices(&bench, "channel", "seminar").await)[0], "research-seminar", "a later word");
    assert_eq!(values(choices(&bench, "channel", "corider").await)[0], "corridor", "a near miss");
    assert!(choices(&bench, "channel", "zzzz").await.is_empty());

    // What a person submits without picking is met with "did you mean", in every command.
    let slip = refusal(bench.intel(&alice(), history("x").with("channel", "seminar")).await);
    assert!(
        slip.starts_with(
            "no channel called \"seminar\"; did you mean \"research-seminar\"? the channels are: desk,"
        ),
        "{slip}"
    );
    let search = Options::new().with("channel", "cofee");
    let refused = refusal(
        liaison::discord::commands::route_command(&bench.app, &alice(), "search", &search, None).await,
    );
    assert!(refused.contains("did you mean \"coffee\""), "{refused}");
}

#[tokio::test]
async fn tags_autocomplete_from_the_servers_own_most_used_first_keeping_those_typed() {
    let bench = Bench::at(november(18)).await;
    for tags in ["training, eebo", "training, open-access", "training, eebo", "ebooks"] {
        capture(&bench, &bob(), history("x").with("tags", tags)).await;
    }
    // A private entry's tags are offered to nobody.
    capture(&bench, &bob(), history("x").with("tags", "secret-plan").with("share", "private")).await;

    assert_eq!(values(choices(&bench, "tags", "").await), ["training", "eebo", "ebooks", "open-access"]);
    assert_eq!(values(choices(&bench, "tags", "e").await), ["eebo", "ebooks"]);
    assert_eq!(values(choices(&bench, "tags", "#EB").await), ["ebooks"], "as a tag reads");
    // The last of several is completed; those before are kept as typed, and not offered again.
    assert_eq!(values(choices(&bench, "tags", "training, e").await), ["training, eebo", "training, ebooks"]);
    assert_eq!(
        values(choices(&bench, "tags", "Training ").await),
        ["Training eebo", "Training ebooks", "Training open-access"]
    );
    assert!(choices(&bench, "tags", "sec").await.is_empty());
    // /search's tag is one tag.
    assert_eq!(values(choices(&bench, "tag", "training, e").await), Vec::<String>::new());
    assert_eq!(values(choices(&bench, "tag", "op").await), ["open-access"]);
    // A choice's name is what it sends.
    for (name, value) in choices(&bench, "tags", "training, ").await {
        assert_eq!(name, value);
    }
}

#[tokio::test]
async fn heard_at_an_event_the_event_channel_comes_before_the_last_and_its_form_starts_from_the_last_department(
) {
    let bench = Bench::at(november(18)).await;
    let add = Options::new()
        .with("add", Options::new().with("name", "Research showcase").with("date", "2026-11-16"));
    message(liaison::discord::commands::route_command(&bench.app, &alice(), "event", &add, None).await);
    capture(
        &bench,
        &alice(),
        Options::new().with("department", "Law").with("note", "x").with("channel", "coffee"),
    )
    .await;

    let at_event =
        capture(&bench, &alice(), history("at the showcase").with("event", "Research showcase")).await;
    assert_eq!(at_event, format!("Event (heard at an event; {CHANGE_IT})"));
    assert_eq!(bench.entry(2).await.unwrap().channel.as_str(), "event");

    // The event's form asks for the department, starting from the last (History, just now).
    let options = Options::new().with("event", "Research showcase");
    let Ok(Reply::Modal(form)) = bench.intel(&alice(), options).await else { panic!("the event's form") };
    assert_eq!(inputs(&form)[0], ("department", "History"));
}
