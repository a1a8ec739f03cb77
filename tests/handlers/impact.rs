//! Impact stories in Discord, through the router as interactions reach it: "Mark as impact" on
//! the saved reply and on `/entry show` (and there, for a story, "Edit" and "Remove"), its form (outcome redacted, evidence checked, objective
//! matched fuzzily to the guild's list), who may mark an entry, `/settings objectives` and the
//! privacy choice for impact stories.

use liaison::discord::caller::Caller;
use liaison::discord::commands::{route_button, route_command, route_form};
use liaison::discord::options::{Fields, Options};
use liaison::domain::ids::{EntryId, UserId};
use liaison::message::Reply;

use crate::bench::*;

fn carol() -> Caller {
    Caller {
        guild: GUILD,
        user: UserId(104),
        name: "Carol Owner".into(),
        is_admin: false,
        is_reporter: false,
        dates: Default::default(),
    }
}

fn settings(sub: &str, options: Options) -> Options {
    Options::new().with(sub, options)
}

async fn objective(
    bench: &Bench,
    who: &Caller,
    action: &str,
    name: &str,
) -> Result<Reply, liaison::service::ServiceError> {
    let options = Options::new().with("action", action).with("name", name);
    route_command(&bench.app, who, "settings", &settings("objectives", options), None).await
}

fn fields(outcome: &str, evidence: &str, objective: &str) -> Fields {
    [("outcome", outcome), ("evidence", evidence), ("objective", objective)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn show(id: i64) -> Options {
    Options::new().with("show", Options::new().with("id", id))
}

/// A bench with two objectives and Alice's entry #1 about Carol's partner.
async fn bench_with_an_entry() -> Bench {
    let bench = Bench::at(november(18)).await;
    message(objective(&bench, &admin(), "add", "Digital skills (JISC framework)").await);
    message(objective(&bench, &admin(), "add", "Research support").await);
    let partner = Options::new().with("name", "Dr A. Field").with("kind", "person");
    message(route_command(&bench.app, &carol(), "partner", &settings("add", partner), None).await);
    let saved = bench
        .intel(
            &alice(),
            Options::new()
                .with("department", "History")
                .with("partner", "Dr A. Field")
                .with("note", "EEBO training asked for"),
        )
        .await;
    assert!(buttons(&message(saved)).contains(&("Mark as impact".into(), "impact:1".into(), false)));
    bench
}

#[tokio::test]
async fn the_saved_reply_and_entry_show_offer_mark_as_impact() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage").await;
    let again = bench.intel(&alice(), Options::new().with("department", "Law").with("note", "second")).await;
    assert_eq!(buttons(&message(again)), [("Mark as impact".to_string(), "impact:2".to_string(), false)]);
    let shown = message(route_command(&bench.app, &bob(), "entry", &show(1), None).await);
    assert_eq!(buttons(&shown), [("Mark as impact".to_string(), "impact:1".to_string(), false)]);
    assert_eq!(shown.embeds.len(), 1, "no story yet");
}

#[tokio::test]
async fn only_the_author_an_owner_of_a_linked_partner_or_an_admin_may_mark_an_entry() {
    let bench = bench_with_an_entry().await;
    let refused = refusal(route_button(&bench.app, &bob(), "impact:1").await);
    assert_eq!(
        refused,
        "Entry #1: only the entry's author, an owner of a partner it names, or an admin can mark it as an impact story."
    );
    for who in [alice(), carol(), admin()] {
        let Ok(Reply::Modal(form)) = route_button(&bench.app, &who, "impact:1").await else {
            panic!("{} gets the form", who.name)
        };
        assert_eq!(
            (form.custom_id.as_str(), form.title.as_str()),
            ("impactf:1", "Impact story for entry #1")
        );
        let ids: Vec<&str> = form.inputs.iter().map(|i| i.custom_id.as_str()).collect();
        assert_eq!(ids, ["outcome", "evidence", "objective"]);
        assert_eq!(form.inputs[2].placeholder, "e.g. Digital skills (JISC framework)");
    }
    // A submit is checked too, whoever forged it.
    let forged =
        refusal(route_form(&bench.app, &bob(), "impactf:1", &fields("x", "", "Research support")).await);
    assert!(forged.contains("only the entry's author"), "{forged}");
    assert_eq!(bench.app.store.impact_story(GUILD, EntryId(1)).await.unwrap(), None);
    let missing = refusal(route_button(&bench.app, &admin(), "impact:9").await);
    assert_eq!(missing, "there is no entry #9 in this server");
}

#[tokio::test]
async fn the_form_marks_the_entry_redacted_with_its_objective_matched_fuzzily() {
    let bench = bench_with_an_entry().await;
    let typed = fields(
        "Forty PhD students trained; tutor jo@uni.ac.uk now books us",
        " https://example.ac.uk/eebo-report ",
        "digital skils",
    );
    let marked = message(route_form(&bench.app, &carol(), "impactf:1", &typed).await);
    assert!(marked.ephemeral);
    let t = text(&marked);
    assert!(t.starts_with("Entry #1 is marked as an impact story."), "{t}");
    assert!(t.contains("> Forty PhD students trained; tutor \\[email\\] now books us"), "redacted: {t}");
    assert!(t.contains("Objective: Digital skills \\(JISC framework\\)"), "escaped: {t}");
    let story = bench.app.store.impact_story(GUILD, EntryId(1)).await.unwrap().expect("stored");
    assert_eq!(story.outcome.as_str(), "Forty PhD students trained; tutor [email] now books us");
    assert_eq!(story.evidence.as_ref().map(|e| e.as_str()), Some("https://example.ac.uk/eebo-report"));
    assert_eq!((story.marked_by, story.marked_at), (carol().user, november(18)));

    let shown = message(route_command(&bench.app, &bob(), "entry", &show(1), None).await);
    let t = text(&shown);
    assert!(t.contains("Impact story · entry #1"), "{t}");
    assert!(t.contains("Evidence: https\\://example.ac.uk/eebo\\-report"), "as text: {t}");
    // The form again is filled in with the story, to change it.
    let Ok(Reply::Modal(form)) = route_button(&bench.app, &alice(), "impact:1").await else { panic!("form") };
    let values: Vec<&str> = form.inputs.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(
        values,
        [
            "Forty PhD students trained; tutor [email] now books us",
            "https://example.ac.uk/eebo-report",
            "Digital skills (JISC framework)"
        ]
    );
}

#[tokio::test]
async fn a_story_is_edited_or_removed_from_entry_show_by_whoever_may_mark_it() {
    let bench = bench_with_an_entry().await;
    let typed = fields("Forty PhD students trained", "", "Research support");
    message(route_form(&bench.app, &alice(), "impactf:1", &typed).await);
    let shown = message(route_command(&bench.app, &bob(), "entry", &show(1), None).await);
    assert_eq!(
        buttons(&shown),
        [
            ("Edit impact story".to_string(), "impact:1".to_string(), false),
            ("Remove impact story".to_string(), "impactrm:1".to_string(), false)
        ]
    );

    let refused = refusal(route_button(&bench.app, &bob(), "impactrm:1").await);
    assert!(refused.contains("only the entry's author"), "{refused}");
    assert!(bench.app.store.impact_story(GUILD, EntryId(1)).await.unwrap().is_some(), "still a story");

    let removed = message(route_button(&bench.app, &carol(), "impactrm:1").await);
    assert!(removed.ephemeral);
    let t = text(&removed);
    assert!(t.starts_with("Entry #1 is no longer an impact story."), "{t}");
    assert!(t.contains("> Forty PhD students trained"), "what it said, to type back: {t}");
    assert_eq!(bench.app.store.impact_story(GUILD, EntryId(1)).await.unwrap(), None);
    let shown = message(route_command(&bench.app, &bob(), "entry", &show(1), None).await);
    assert_eq!(buttons(&shown), [("Mark as impact".to_string(), "impact:1".to_string(), false)]);
    assert_eq!(shown.embeds.len(), 1, "no story now");

    // A second press, from a reply still on screen.
    let again = message(route_button(&bench.app, &admin(), "impactrm:1").await);
    assert_eq!(text(&again), "Entry #1 is not an impact story.");
}

#[tokio::test]
async fn a_bad_objective_or_link_is_refused_with_the_list_and_the_outcome_handed_back() {
    let bench = bench_with_an_entry().await;
    let wrong = refusal(
        route_form(&bench.app, &alice(), "impactf:1", &fields("Module changed", "", "Wellbeing")).await,
    );
    assert!(
        wrong.starts_with(
            "\"Wellbeing\" is not one of this server's objectives: Digital skills (JISC framework); Research support"
        ),
        "{wrong}"
    );
    assert!(wrong.contains("Your outcome, to copy into a new try:\n> Module changed"), "{wrong}");
    let link = refusal(
        route_form(
            &bench.app,
            &alice(),
            "impactf:1",
            &fields("Module changed", "javascript:alert(1)", "research"),
        )
        .await,
    );
    assert!(
        link.starts_with("evidence: a link must be a web address starting with https:// or http://"),
        "{link}"
    );
    let empty = refusal(route_form(&bench.app, &alice(), "impactf:1", &fields("  ", "", "research")).await);
    assert_eq!(empty, "say what changed: the outcome is empty");
    assert_eq!(bench.app.store.impact_story(GUILD, EntryId(1)).await.unwrap(), None, "nothing stored");
}

#[tokio::test]
async fn objectives_are_kept_by_admins_and_a_server_without_them_is_told() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage").await;
    let none = refusal(route_button(&bench.app, &alice(), "impact:1").await);
    assert_eq!(none, "this server has no objectives yet: an admin adds them with /settings objectives");
    let forbidden = refusal(objective(&bench, &alice(), "add", "Open access").await);
    assert!(forbidden.starts_with("Only server admins"), "{forbidden}");

    let added = message(objective(&bench, &admin(), "add", "  Open   access ").await);
    assert!(added.ephemeral);
    assert!(text(&added).starts_with("Added the objective \"Open access\"."), "{}", text(&added));
    let twice = refusal(objective(&bench, &admin(), "add", "open ACCESS").await);
    assert_eq!(twice, "\"Open access\" is already one of this server's objectives");
    message(objective(&bench, &admin(), "add", "Research *support*").await);
    let listed = message(
        route_command(
            &bench.app,
            &admin(),
            "settings",
            &settings("objectives", Options::new().with("action", "list")),
            None,
        )
        .await,
    );
    assert!(
        text(&listed).contains("• Open access\n• Research \\*support\\*"),
        "escaped, in order: {}",
        text(&listed)
    );
    let nameless = refusal(
        route_command(
            &bench.app,
            &admin(),
            "settings",
            &settings("objectives", Options::new().with("action", "add")),
            None,
        )
        .await,
    );
    assert!(nameless.starts_with("Name the objective"), "{nameless}");

    let removed = message(objective(&bench, &admin(), "remove", "open access").await);
    assert!(text(&removed).starts_with("Removed the objective \"Open access\""), "{}", text(&removed));
    let unknown = refusal(objective(&bench, &admin(), "remove", "Open access").await);
    assert_eq!(unknown, "\"Open access\" is not one of this server's objectives: Research *support*");
    let shown =
        message(route_command(&bench.app, &bob(), "settings", &settings("show", Options::new()), None).await);
    assert!(text(&shown).contains("Impact objectives\n• Research \\*support\\*"), "{}", text(&shown));
}

#[tokio::test]
async fn the_privacy_settings_say_whether_impact_stories_outlive_the_note_period() {
    let bench = Bench::at(november(18)).await;
    let shown =
        message(route_command(&bench.app, &bob(), "settings", &settings("show", Options::new()), None).await);
    assert!(text(&shown).contains("Impact stories: kept past the note period"), "{}", text(&shown));
    let options = Options::new().with("impact_stories", "cleared");
    let saved =
        message(route_command(&bench.app, &admin(), "settings", &settings("privacy", options), None).await);
    assert!(text(&saved).contains("Impact stories: cleared with the notes"), "{}", text(&saved));
    assert!(!bench.app.store.keeps_impact_past_retention(GUILD).await.unwrap());
}

#[tokio::test]
async fn a_story_marked_this_week_opens_the_weeks_digest() {
    let bench = bench_with_an_entry().await;
    bench.clock.advance(days(1));
    let typed = fields("Forty PhD students trained", "https://example.ac.uk/eebo", "research");
    message(route_form(&bench.app, &alice(), "impactf:1", &typed).await);
    let preview = Options::new().with("preview", Options::new().with("period", "this-week"));
    let digest = message(route_command(&bench.app, &bob(), "digest", &preview, None).await);
    assert_eq!(digest.embeds[0].title, "Impact this week");
    let t = text(&digest);
    assert!(
        t.contains("• **#1** History · Research support: Forty PhD students trained · evidence: https\\://example.ac.uk/eebo"),
        "{t}"
    );
    let last_week = Options::new().with("preview", Options::new());
    let before = message(route_command(&bench.app, &bob(), "digest", &last_week, None).await);
    assert!(!text(&before).contains("Impact this week"), "marked this week, not last");
}
