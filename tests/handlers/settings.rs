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
