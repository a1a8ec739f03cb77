//! `/digest preview` and `/digest post-now`: the week the guild's own schedule covers, read at
//! the clock's time.

use chrono::{NaiveTime, Weekday};

use liaison::discord::commands::route_command;
use liaison::discord::options::Options;
use liaison::domain::digest_settings::DigestSettings;

use crate::bench::*;

fn preview(week: Option<&str>) -> Options {
    let options = match week {
        Some(w) => Options::new().with("period", w),
        None => Options::new(),
    };
    Options::new().with("preview", options)
}

fn fridays(post_empty_weeks: bool) -> DigestSettings {
    DigestSettings {
        guild: GUILD,
        channel: 555,
        weekday: Weekday::Fri,
        time: NaiveTime::from_hms_opt(16, 30, 0).unwrap(),
        timezone: chrono_tz::Europe::London,
        enabled: true,
        post_empty_weeks,
        problem: None,
    }
}

async fn intel_on(bench: &Bench, department: &str, note: &str, day: &str) {
    let options = Options::new().with("department", department).with("note", note).with("when", day);
    message(bench.intel(&alice(), options).await);
}

#[tokio::test]
async fn a_preview_shows_this_week_or_last_privately_by_the_configured_schedule() {
    // Wednesday 18 November; the config's digest goes out on Mondays.
    let bench = Bench::at(november(18)).await;
    intel_on(&bench, "History", "Three PhD students asked for EEBO", "today").await;
    intel_on(&bench, "Law", "Westlaw outage", "2026-11-10").await;

    let this_week =
        message(route_command(&bench.app, &bob(), "digest", &preview(Some("this-week")), None).await);
    assert!(this_week.ephemeral && this_week.content.starts_with("Preview"), "{:?}", this_week.content);
    assert!(this_week.embeds.iter().all(|e| e.image.is_none()), "no chart in a private reply");
    let t = text(&this_week);
    assert!(t.contains("Liaison digest · Week 47, 16–22 Nov 2026"), "{t}");
    assert!(t.contains("**1** entry") && t.contains("History") && !t.contains("Westlaw"), "{t}");

    let last_week = text(&message(route_command(&bench.app, &bob(), "digest", &preview(None), None).await));
    assert!(last_week.contains("Liaison digest · Week 46, 9–15 Nov 2026"), "{last_week}");
    assert!(last_week.contains("Westlaw") && !last_week.contains("EEBO"), "{last_week}");
}

#[tokio::test]
async fn a_preview_follows_the_guilds_own_schedule_and_shows_even_a_quiet_week() {
    let bench = Bench::at(november(18)).await;
    // Fridays at 16:30, quiet weeks not posted.
    bench.app.store.save_digest_settings(&fridays(false), november(1)).await.unwrap();
    intel_on(&bench, "History", "EEBO", "2026-11-16").await;

    let this_week =
        text(&message(route_command(&bench.app, &bob(), "digest", &preview(Some("this-week")), None).await));
    assert!(this_week.contains("Liaison digest · Week 46, 13–19 Nov 2026"), "{this_week}");
    assert!(this_week.contains("EEBO"), "{this_week}");
    // The week of 6 to 12 November had nothing: not posted, but shown when asked for.
    let quiet = text(&message(route_command(&bench.app, &bob(), "digest", &preview(None), None).await));
    assert!(quiet.contains("Week 45, 6–12 Nov 2026") && quiet.contains("A quiet week"), "{quiet}");
}

#[tokio::test]
async fn admins_post_the_current_digest_now_once() {
    let bench = Bench::at(november(18)).await;
    let post_now = || Options::new().with("post-now", Options::new());
    let refused = refusal(route_command(&bench.app, &alice(), "digest", &post_now(), None).await);
    assert_eq!(refused, "Only server admins (Manage Server, or a role set as admin) can post the digest.");
    let no_channel = refusal(route_command(&bench.app, &admin(), "digest", &post_now(), None).await);
    assert_eq!(no_channel, "There is no digest channel yet: choose one with `/settings digest channel:`.");

    bench.app.store.save_digest_settings(&fridays(true), november(1)).await.unwrap();
    intel_on(&bench, "History", "EEBO", "2026-11-16").await;
    let posted = message(route_command(&bench.app, &admin(), "digest", &post_now(), None).await);
    let parts = bench.posted.count();
    assert!(parts >= 1);
    let plural = if parts == 1 { "message" } else { "messages" };
    assert_eq!(
        posted.content,
        format!("Posted the digest for Week 45, 6–12 Nov 2026 in <#555> ({parts} {plural}).")
    );
    assert!(posted.ephemeral);

    bench.clock.advance(chrono::Duration::hours(1));
    let again = message(route_command(&bench.app, &admin(), "digest", &post_now(), None).await);
    assert_eq!(
        again.content,
        format!(
            "The digest for Week 45, 6–12 Nov 2026 was already posted in <#555> <t:{}:R>: https://discord.com/channels/1/555/9001",
            november(18).timestamp()
        )
    );
    assert_eq!(bench.posted.count(), parts, "not posted twice");
}
