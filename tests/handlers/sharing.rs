//! What the guild lets the digest and `/stats` share (issue 13): excerpts and names off, private
//! entries counted but never quoted, refused reminders told only to their owner and the admins,
//! contributor counts off and small counts folded.

use liaison::digest::render_text;
use liaison::discord::commands::route_command;
use liaison::discord::options::{OptionValue, Options};
use liaison::service::digest::{preview, PreviewWeek};
use liaison::service::reminders::{run_due, Outcome};

use crate::bench::*;

fn settings(sub: &str, options: Options) -> Options {
    Options::new().with(sub, options)
}

fn this_week() -> Options {
    Options::new().with("preview", Options::new().with("period", "this-week"))
}

/// The preview in Discord and the digest as `liaison digest` prints it, as one text.
async fn both_renderings(bench: &Bench) -> String {
    let shown = text(&message(route_command(&bench.app, &bob(), "digest", &this_week(), None).await));
    let store = bench.app.store.as_ref();
    let digest = preview(store, &bench.app.config, GUILD, PreviewWeek::ThisWeek, bench.app.now())
        .await
        .unwrap()
        .expect("a week with entries");
    format!("{shown}\n{}", render_text(&digest))
}

/// Wednesday 18 November: Alice heard about EEBO (tagged), and promised the guide by Friday.
async fn a_week(bench: &Bench) {
    let eebo = Options::new()
        .with("department", "History")
        .with("note", "Three PhD students asked for EEBO training")
        .with("tags", "training");
    message(bench.intel(&alice(), eebo).await);
    let promise = Options::new()
        .with("department", "Law")
        .with("note", "Send the Westlaw guide")
        .with("follow_up", "2026-11-20");
    message(bench.intel(&alice(), promise).await);
}

#[tokio::test]
async fn excerpts_off_shows_counts_and_tags_only_in_both_renderings() {
    let bench = Bench::at(november(18)).await;
    a_week(&bench).await;
    let before = both_renderings(&bench).await;
    assert!(before.contains("EEBO training") && before.contains("Westlaw guide"), "{before}");

    let off = settings("digest", Options::new().with("excerpts", false));
    let saved = text(&message(route_command(&bench.app, &admin(), "settings", &off, None).await));
    assert!(saved.contains("Digest quotes notes: off"), "{saved}");
    let after = both_renderings(&bench).await;
    assert!(!after.contains("EEBO") && !after.contains("Westlaw"), "no note text: {after}");
    assert!(after.contains("#training") && after.contains("**2** entries"), "counts and tags: {after}");
    assert!(after.contains("Alice Liaison"), "names are still on: {after}");
}

#[tokio::test]
async fn names_off_names_and_mentions_nobody_in_both_renderings() {
    let bench = Bench::at(november(18)).await;
    a_week(&bench).await;
    let before = both_renderings(&bench).await;
    assert!(before.contains("Alice Liaison") && before.contains("<@101>"), "{before}");

    let off = settings("digest", Options::new().with("names", false));
    message(route_command(&bench.app, &admin(), "settings", &off, None).await);
    let after = both_renderings(&bench).await;
    assert!(!after.contains("Alice") && !after.contains("<@101>") && !after.contains("user 101"), "{after}");
    assert!(after.contains("EEBO training") && after.contains("Westlaw guide"), "excerpts still on: {after}");
}

#[tokio::test]
async fn a_private_entry_is_counted_but_never_quoted_even_in_the_posted_digest() {
    let bench = Bench::at(november(18)).await;
    a_week(&bench).await;
    let complaint = Options::new()
        .with("department", "History")
        .with("note", "A student's confidential complaint about a supervisor")
        .with("follow_up", "2026-11-19");
    message(bench.intel(&bob(), complaint).await);
    // `/intel share:private` is another change's; the stored share is what the digest reads.
    bench.write_behind("UPDATE entries SET share = 'private' WHERE id = 3").await;

    let shown = both_renderings(&bench).await;
    assert!(shown.contains("**3** entries"), "counted: {shown}");
    assert!(!shown.contains("confidential"), "never quoted: {shown}");
    assert!(shown.contains("#3"), "its follow-up is still listed, without its text: {shown}");

    let channel = settings("digest", Options::new().with("channel", OptionValue::Channel(555)));
    message(route_command(&bench.app, &admin(), "settings", &channel, None).await);
    let post_now = Options::new().with("post-now", Options::new());
    message(route_command(&bench.app, &admin(), "digest", &post_now, None).await);
    let posted: String = bench.posted.messages().iter().map(text).collect();
    assert!(posted.contains("Liaison digest"), "{posted}");
    assert!(!posted.contains("confidential"), "{posted}");
}

#[tokio::test]
async fn a_refused_reminder_is_told_to_its_owner_once_and_to_admins_never_to_the_channel() {
    let bench = Bench::at(november(18)).await;
    let promise = Options::new()
        .with("department", "Law")
        .with("note", "Send the Westlaw guide")
        .with("follow_up", "today");
    message(bench.intel(&alice(), promise).await);
    // The bench's poster refuses every DM, as Discord does when DMs are closed.
    let out = run_due(bench.app.store.as_ref(), &bench.app.config, bench.posted.as_ref(), november(18))
        .await
        .unwrap();
    assert!(matches!(&out[..], [Outcome::Undeliverable { key, .. }] if key.entry.0 == 1), "{out:?}");

    let digest = both_renderings(&bench).await;
    assert!(!digest.contains("DMs closed") && !digest.contains("could not be reminded"), "{digest}");
    assert!(!digest.to_lowercase().contains("reminded by dm"), "{digest}");

    let stats = Options::new().with("period", "all");
    let bobs = message(route_command(&bench.app, &bob(), "stats", &stats, None).await);
    assert!(!bobs.content.contains("could not send"), "not Bob's: {}", bobs.content);
    let first = message(route_command(&bench.app, &alice(), "stats", &stats, None).await);
    assert!(first.ephemeral);
    assert!(
        first.content.contains(
            "I could not send you a reminder by DM for entry #1: your DMs from this server are closed"
        ),
        "{}",
        first.content
    );
    let second = message(route_command(&bench.app, &alice(), "stats", &stats, None).await);
    assert!(!second.content.contains("could not send"), "told once: {}", second.content);

    let show = settings("show", Options::new());
    let admins = text(&message(route_command(&bench.app, &admin(), "settings", &show, None).await));
    assert!(admins.contains("Follow-up owners who could not be reminded by DM"), "{admins}");
    assert!(admins.contains("**#1** · <@101> · due Wed 18 Nov 2026"), "{admins}");
    let members = text(&message(route_command(&bench.app, &bob(), "settings", &show, None).await));
    assert!(!members.contains("could not be reminded"), "admins only: {members}");

    // Closed since: no longer listed.
    bench
        .write_behind("UPDATE entries SET follow_up_status = 'done', follow_up_done_at = 0 WHERE id = 1")
        .await;
    let admins = text(&message(route_command(&bench.app, &admin(), "settings", &show, None).await));
    assert!(!admins.contains("could not be reminded"), "{admins}");
}

#[tokio::test]
async fn stats_without_contributor_counts_and_with_small_counts_folded() {
    let bench = Bench::at(november(18)).await;
    for department in ["History", "History", "History", "Law"] {
        bench.note(&alice(), department, "n").await;
    }
    bench.note(&bob(), "History", "n").await;
    let all = Options::new().with("period", "all");
    let before = text(&message(route_command(&bench.app, &alice(), "stats", &all, None).await));
    assert!(before.contains("Alice Liaison · 4") && before.contains("Bob Enquiries · 1"), "{before}");
    assert!(before.contains("Law · 1"), "{before}");

    let off = settings("privacy", Options::new().with("contributor_counts", "off"));
    message(route_command(&bench.app, &admin(), "settings", &off, None).await);
    let after = text(&message(route_command(&bench.app, &alice(), "stats", &all, None).await));
    assert!(!after.contains("Contributors") && !after.contains("Alice Liaison"), "{after}");
    assert!(after.contains("History · 4") && after.contains("Law · 1"), "{after}");

    let hidden = settings("privacy", Options::new().with("small_counts", "hidden"));
    message(route_command(&bench.app, &admin(), "settings", &hidden, None).await);
    let folded = text(&message(route_command(&bench.app, &alice(), "stats", &all, None).await));
    assert!(folded.contains("Law · fewer than 3") && folded.contains("History · 4"), "{folded}");
    assert!(folded.contains("**5** entries"), "{folded}");
}
