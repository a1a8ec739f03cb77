//! `/settings`: only admins change the digest's; everyone sees them, with the next post worked
//! out from the clock.

use liaison::discord::commands::route_command;
use liaison::discord::options::{OptionValue, Options};

use crate::bench::*;

fn digest(options: Options) -> Options {
    Options::new().with("digest", options)
}

#[tokio::test]
async fn admins_set_the_digest_and_everyone_sees_when_it_goes_next() {
    let bench = Bench::at(november(18)).await;
    let show = Options::new().with("show", Options::new());
    let t = text(&message(route_command(&bench.app, &alice(), "settings", &show, None).await));
    assert!(t.contains("Digest settings (defaults from the config)"), "{t}");
    assert!(t.contains("Monday at 09:00 (Europe/London)") && t.contains("not chosen yet"), "{t}");
    assert!(!t.contains("Next:"), "no channel, no next post: {t}");

    let refused =
        refusal(route_command(&bench.app, &alice(), "settings", &digest(Options::new()), None).await);
    assert!(refused.starts_with("Only server admins"), "{refused}");
    let no_channel = Options::new().with("time", "10:00");
    let refused = refusal(route_command(&bench.app, &admin(), "settings", &digest(no_channel), None).await);
    assert!(refused.starts_with("Choose the channel"), "{refused}");

    let set = Options::new()
        .with("channel", OptionValue::Channel(555))
        .with("weekday", "friday")
        .with("time", "16:30")
        .with("timezone", "America/New_York");
    let saved = message(route_command(&bench.app, &admin(), "settings", &digest(set), None).await);
    let t = text(&saved);
    assert!(saved.content == "Digest settings saved." && t.contains("Channel: <#555>"), "{t}");
    // Friday 20 November, 16:30 in New York is 21:30 UTC.
    let friday = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 20, 21, 30, 0).unwrap();
    assert!(t.contains(&format!("Next: <t:{}:F>", friday.timestamp())), "{t}");
    bench.clock.set(friday);
    let t = text(&message(route_command(&bench.app, &bob(), "settings", &show, None).await));
    assert!(t.contains(&format!("Next: <t:{}:F>", (friday + days(7)).timestamp())), "a week on: {t}");
}

fn departments(department: &str, served: bool) -> Options {
    Options::new().with("departments", Options::new().with("department", department).with("served", served))
}

/// `Departments (N)`, the quiet list's field name, as a this-week preview shows it; `None` when
/// no department is quiet.
async fn quiet_count(bench: &Bench) -> Option<usize> {
    let preview = Options::new().with("preview", Options::new().with("period", "this-week"));
    let t = text(&message(route_command(&bench.app, &bob(), "digest", &preview, None).await));
    let at = t.find("\nDepartments (")? + "\nDepartments (".len();
    Some(t[at..].split(')').next()?.parse().expect("a count"))
}

#[tokio::test]
async fn admins_mark_a_department_not_served_and_the_digest_stops_listing_it_as_quiet() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "History", "EEBO training asked for").await;
    assert_eq!(quiet_count(&bench).await, None, "a new server: nobody is quiet yet");
    // Eight weeks on, every department is quiet: History since its entry, the others since the
    // server's first.
    bench.clock.set(november(18) + days(56));
    let all = bench.rules().departments.len();
    assert_eq!(quiet_count(&bench).await, Some(all));

    let refused =
        refusal(route_command(&bench.app, &alice(), "settings", &departments("law", false), None).await);
    assert!(refused.starts_with("Only server admins"), "{refused}");
    let unknown =
        refusal(route_command(&bench.app, &admin(), "settings", &departments("lawn", false), None).await);
    assert!(unknown.contains("no department called \"lawn\""), "{unknown}");

    let said =
        message(route_command(&bench.app, &admin(), "settings", &departments("law", false), None).await);
    assert!(said.ephemeral, "a reply to a person is private");
    assert!(said.content.starts_with("Law is now marked as not served here"), "{}", said.content);
    assert_eq!(quiet_count(&bench).await, Some(all - 1));
    let again =
        message(route_command(&bench.app, &admin(), "settings", &departments("Law", false), None).await);
    assert_eq!(again.content, "Law is already marked as not served here.");
    let show = Options::new().with("show", Options::new());
    let t = text(&message(route_command(&bench.app, &bob(), "settings", &show, None).await));
    assert!(t.contains("Departments not served\n• Law (this server)"), "{t}");

    // Still recorded against and counted.
    bench.note(&alice(), "Law", "Westlaw training").await;
    let all_time = Options::new().with("period", "all");
    let stats = text(&message(route_command(&bench.app, &bob(), "stats", &all_time, None).await));
    assert!(stats.contains("Law"), "{stats}");

    let back =
        message(route_command(&bench.app, &admin(), "settings", &departments("law", true), None).await);
    assert!(back.content.starts_with("Law is served here again"), "{}", back.content);
    let t = text(&message(route_command(&bench.app, &bob(), "settings", &show, None).await));
    assert!(t.contains("Departments not served\nEvery department is served"), "{t}");
}
