//! Words: every message that counts something, rendered with 0, 1 and 2 of it, says "1 entry" and
//! "2 entries", never "1 entries" or "0 entry" (`domain::words::miscounts` finds those).

use liaison::discord::commands::{route_command, search};
use liaison::discord::options::Options;
use liaison::domain::words::miscounts;
use liaison::message::Message;

use crate::bench::*;

/// What a person reads in `m`, its text attachments (the report's summary) included.
fn read(m: &Message) -> String {
    let mut out = text(m);
    for a in m.attachments.iter().filter(|a| a.name.ends_with(".md")) {
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&a.bytes));
    }
    out
}

/// `what`'s text, with its miscounts named; and the text without markup, for `contains`.
fn checked(what: &str, m: &Message) -> String {
    let t = read(m);
    let wrong = miscounts(&t);
    assert!(wrong.is_empty(), "{what} says {wrong:?}:\n{t}");
    t.replace("**", "")
}

async fn command(bench: &Bench, name: &str, options: Options) -> Message {
    message(route_command(&bench.app, &admin(), name, &options, None).await)
}

/// A server with `n` entries about a partner, each with `n` items redacted and a follow-up due
/// the day they were recorded, read `n` days later; every message that counts them.
async fn server_with(n: usize) {
    let bench = Bench::at(november(16)).await;
    let partner =
        Options::new().with("name", "Dr A. Field").with("kind", "person").with("department", "History");
    command(&bench, "partner", Options::new().with("add", partner)).await;
    let emails: Vec<String> = (0..n).map(|i| format!("reader{i}@example.org")).collect();
    for _ in 0..n {
        let options = Options::new()
            .with("department", "History")
            .with("partner", "Dr A. Field")
            .with("channel", "coffee")
            .with("follow_up", "today")
            .with("note", format!("Interlibrary loan question from {}", emails.join(" and ")).as_str());
        let saved = checked("the saved entry", &message(bench.intel(&alice(), options).await));
        let items = ["", "1 item of personal data was replaced", "2 items of personal data were replaced"];
        assert!(saved.contains(items[n]), "{saved}");
    }
    bench.clock.set(november(16) + days(n as i64));
    let entries = ["0 entries", "1 entry", "2 entries"][n];

    let stats = checked("/stats", &command(&bench, "stats", Options::new().with("period", "all")).await);
    assert!(
        stats.contains(&format!("\n{entries} · ")) || stats.contains(&format!("\n{entries}\n")),
        "{stats}"
    );

    checked("/followups", &command(&bench, "followups", Options::new().with("scope", "all")).await);

    let request = search::parse(&Options::new().with("query", "loan"), bench.rules()).expect("parses");
    let found = checked("/search", &message(search::handle(&bench.app, &alice(), request).await));
    let results = ["No entries match.", "1 result · page", "2 results · page"][n];
    assert!(found.contains(results), "{found}");

    let find = Options::new().with("find", Options::new().with("text", "loan"));
    let mentions = checked("/privacy find", &command(&bench, "privacy", find).await);
    let said = ["No entries mention", "1 entry mentions", "2 entries mention"][n];
    assert!(mentions.contains(said), "{mentions}");

    let show = Options::new().with("show", Options::new().with("partner", "Dr A. Field"));
    let shown = checked("/partner show", &command(&bench, "partner", show).await);
    if n > 0 {
        assert!(shown.contains(&format!("{entries} · page")), "{shown}");
    }
    let listed = checked(
        "/partner list",
        &command(&bench, "partner", Options::new().with("list", Options::new())).await,
    );
    assert!(listed.contains(&format!("{entries} · last contact")), "{listed}");

    let preview = Options::new().with("preview", Options::new().with("period", "this-week"));
    let digest = checked("the digest", &command(&bench, "digest", preview).await);
    if n > 0 {
        assert!(digest.contains(&format!("{entries} ·")), "{digest}");
        let late = ["", "(1 day late)", "(2 days late)"][n];
        assert!(digest.contains(late), "{digest}");
    }

    let report = checked("/report", &command(&bench, "report", Options::new().with("period", "all")).await);
    assert!(report.contains(&format!("Your report: {entries}")), "{report}");
}

#[tokio::test]
async fn no_entries_say_entries() {
    server_with(0).await;
}

#[tokio::test]
async fn one_entry_says_entry() {
    server_with(1).await;
}

#[tokio::test]
async fn two_entries_say_entries() {
    server_with(2).await;
}

/// A caller from a server whose locale is `locale`, as an interaction brings it.
fn from(locale: &str) -> liaison::discord::caller::Caller {
    alice().in_locale(Some(locale))
}

#[tokio::test]
async fn a_us_server_gets_us_dates_and_a_british_one_british_dates() {
    // Wednesday 18 November; "friday" is the 20th.
    let bench = &Bench::at(november(18)).await;
    let promise = |who| async move {
        let options = Options::new()
            .with("department", "History")
            .with("note", "Send the guide")
            .with("follow_up", "friday");
        text(&message(bench.intel(&who, options).await))
    };
    let us = promise(from("en-US")).await;
    assert!(us.contains("you, by Fri, Nov 20, 2026"), "{us}");
    let gb = promise(from("en-GB")).await;
    assert!(gb.contains("you, by Fri 20 Nov 2026"), "{gb}");

    let list = |who| async move {
        let options = Options::new().with("scope", "all");
        text(&message(route_command(&bench.app, &who, "followups", &options, None).await))
    };
    assert!(list(from("en-US")).await.contains("due Fri, Nov 20, 2026"));
    assert!(list(from("ja")).await.contains("due 2026-11-20 (Fri)"));
    let stats = |who| async move {
        let options = Options::new().with("period", "all");
        text(&message(route_command(&bench.app, &who, "stats", &options, None).await))
    };
    assert!(stats(from("en-US")).await.contains("Statistics: All time to Nov 18, 2026"));
    assert!(stats(from("en-GB")).await.contains("Statistics: All time to 18 Nov 2026"));
}

#[tokio::test]
async fn the_digest_writes_dates_as_the_servers_remembered_locale_does() {
    let bench = Bench::at(november(18)).await;
    let options = Options::new()
        .with("department", "History")
        .with("note", "Send the guide")
        .with("follow_up", "friday");
    message(bench.intel(&alice(), options).await);
    let preview = || async {
        let options = Options::new().with("preview", Options::new().with("period", "this-week"));
        text(&message(route_command(&bench.app, &alice(), "digest", &options, None).await))
    };
    let before = preview().await;
    assert!(before.contains("Week 47, 16–22 Nov 2026") && before.contains("due Fri 20 Nov 2026"), "{before}");
    // As GUILD_CREATE brings it: the digest has no interaction to read a locale from.
    liaison::service::locales::remember(bench.app.store.as_ref(), GUILD, "en-US", november(18))
        .await
        .unwrap();
    let after = preview().await;
    assert!(after.contains("Week 47, Nov 16–22, 2026") && after.contains("due Fri, Nov 20, 2026"), "{after}");
}
