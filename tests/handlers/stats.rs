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
    assert!(t.starts_with("\nStatistics: 1 Sep 2026 to 18 Nov 2026 · Law\n**1** entries"), "{t}");
    let refused = refusal(
        route_command(&bench.app, &alice(), "stats", &Options::new().with("period", "decade"), None).await,
    );
    assert!(refused.starts_with("\"decade\" is not a period"), "{refused}");
}
