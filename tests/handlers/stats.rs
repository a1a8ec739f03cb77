//! `/stats`: counts for a period ending on the clock's day.

use liaison::discord::commands::route_command;
use liaison::discord::options::Options;

use crate::bench::*;

#[tokio::test]
async fn counts_by_department_channel_and_formality() {
    let bench = Bench::at(november(18)).await;
    for (department, channel) in [("History", "coffee"), ("History", "desk"), ("Law", "corridor")] {
        let options =
            Options::new().with("department", department).with("note", "n").with("channel", channel);
        message(bench.intel(&alice(), options).await);
    }
    let all = Options::new().with("period", "all");
    let t = text(&message(route_command(&bench.app, &alice(), "stats", &all, None).await));
    assert!(t.starts_with("\nStatistics: All time to 18 Nov 2026"), "{t}");
    assert!(t.contains("**3** entries · **67%** through informal"), "{t}");
    assert!(t.contains("History · 2") && t.contains("Coffee · 1") && t.contains("Alice Liaison · 3"), "{t}");

    // This term began on 1 September; a department narrows it.
    let law = Options::new().with("department", "llb");
    let t = text(&message(route_command(&bench.app, &alice(), "stats", &law, None).await));
    assert!(
        t.starts_with("\nStatistics: Autumn term, 2026–27: 1 Sep 2026 to 18 Nov 2026 · Law\n**1** entry"),
        "{t}"
    );
    let refused = refusal(
        route_command(&bench.app, &alice(), "stats", &Options::new().with("period", "decade"), None).await,
    );
    assert!(refused.starts_with("\"decade\" is not a period"), "{refused}");
}

/// The first line of `/stats` with these options, and its entry count.
async fn stats(bench: &Bench, options: &Options) -> String {
    let t = text(&message(route_command(&bench.app, &alice(), "stats", options, None).await));
    let mut lines = t.lines().skip(1);
    let title = lines.next().unwrap_or_default();
    let count = lines.next().unwrap_or_default().split(" · ").next().unwrap_or_default();
    format!("{title}\n{count}")
}

#[tokio::test]
async fn academic_periods_and_explicit_dates_count_the_days_they_name() {
    let bench = Bench::at(november(18)).await;
    // Last academic year (spring term), its last day, then this one's first day, 31 October
    // and 1 November.
    for day in ["15 Mar 2026", "31 Aug 2026", "1 Sep 2026", "31 Oct 2026", "1 Nov 2026"] {
        let options = Options::new().with("department", "History").with("note", "n").with("when", day);
        message(bench.intel(&alice(), options).await);
    }
    let period = |p: &str| Options::new().with("period", p);
    assert_eq!(
        stats(&bench, &period("last-year")).await,
        "Statistics: Academic year 2025–26: 1 Sep 2025 to 31 Aug 2026\n**2** entries"
    );
    assert_eq!(
        stats(&bench, &period("year")).await,
        "Statistics: Academic year 2026–27: 1 Sep 2026 to 18 Nov 2026\n**3** entries"
    );
    assert_eq!(
        stats(&bench, &period("semester")).await,
        "Statistics: Semester 1, 2026–27: 1 Sep 2026 to 18 Nov 2026\n**3** entries"
    );
    // `until` includes its day; `since` alone runs to today.
    let october = Options::new().with("since", "1 Oct 2026").with("until", "31 Oct 2026");
    assert_eq!(stats(&bench, &october).await, "Statistics: 1 Oct 2026 to 31 Oct 2026\n**1** entry");
    let since = Options::new().with("since", "31 Oct 2026");
    assert_eq!(stats(&bench, &since).await, "Statistics: 31 Oct 2026 to 18 Nov 2026\n**2** entries");
    let until = Options::new().with("until", "31 Aug 2026");
    assert_eq!(stats(&bench, &until).await, "Statistics: All time to 31 Aug 2026\n**2** entries");

    // In February the default period is the spring term, to date.
    bench.clock.set(november(18) + days(90));
    assert_eq!(
        stats(&bench, &Options::new()).await,
        "Statistics: Spring term, 2026–27: 1 Jan 2027 to 16 Feb 2027\n**0** entries"
    );

    let backwards = Options::new().with("since", "1 Nov 2026").with("until", "1 Oct 2026");
    let refused = refusal(route_command(&bench.app, &alice(), "stats", &backwards, None).await);
    assert_eq!(refused, "the period starts (1 Nov 2026) after it ends (1 Oct 2026)");
    let both = Options::new().with("period", "term").with("since", "1 Oct 2026");
    let refused = refusal(route_command(&bench.app, &alice(), "stats", &both, None).await);
    assert!(refused.contains("not both"), "{refused}");
}
