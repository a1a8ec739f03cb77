//! `/report`: the report's files, privately, for admins and reporters; what the guild keeps to
//! itself stays out of them.

use liaison::discord::caller::Caller;
use liaison::discord::commands::route_command;
use liaison::discord::options::Options;
use liaison::message::Message;

use crate::bench::*;

fn reporter() -> Caller {
    Caller { is_reporter: true, ..bob() }
}

async fn report(bench: &Bench, who: &Caller, options: Options) -> Message {
    message(route_command(&bench.app, who, "report", &options, None).await)
}

fn file<'m>(m: &'m Message, name: &str) -> &'m [u8] {
    let names: Vec<&str> = m.attachments.iter().map(|a| a.name.as_str()).collect();
    &m.attachments.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no {name} in {names:?}")).bytes
}

fn rows(csv: &[u8]) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(csv).records().map(Result::unwrap).collect()
}

fn decodes(png_bytes: &[u8]) -> bool {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut buf).is_ok()
}

/// Three entries this term (one private, one informal), one the term before.
async fn entries(bench: &Bench) {
    let intel = |department: &str, note: &str, channel: &str, when: &str| {
        Options::new()
            .with("department", department)
            .with("note", note)
            .with("channel", channel)
            .with("when", when)
    };
    message(bench.intel(&alice(), intel("History", "EEBO training asked for", "coffee", "2026-11-16")).await);
    message(bench.intel(&alice(), intel("Law", "Westlaw guide wanted", "desk", "2026-11-17")).await);
    message(
        bench
            .intel(
                &alice(),
                intel("Law", "a grant bid, in confidence", "desk", "2026-11-18").with("share", "private"),
            )
            .await,
    );
    message(bench.intel(&bob(), intel("Law", "last month", "desk", "2026-10-20")).await);
}

#[tokio::test]
async fn only_admins_and_reporters_may_run_it_and_they_get_every_file_privately() {
    let bench = Bench::at(november(18)).await;
    entries(&bench).await;
    let since = Options::new().with("since", "2026-11-01").with("until", "2026-11-30");
    let refused = refusal(route_command(&bench.app, &alice(), "report", &since, None).await);
    assert!(refused.contains("reporter role"), "{refused}");

    for who in [admin(), reporter()] {
        let m = report(&bench, &who, since.clone()).await;
        assert!(m.ephemeral, "a report is for the person who asked");
        let names: Vec<&str> = m.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            ["entries.csv", "entries-per-month.png", "departments.png", "channels.png", "summary.md"]
        );
        assert!(m.content.contains("3 entries, 1 Nov 2026 to 30 Nov 2026"), "{}", m.content);
        let rows = rows(file(&m, "entries.csv"));
        assert_eq!(rows.len(), 3);
        let csv = String::from_utf8(file(&m, "entries.csv").to_vec()).unwrap();
        assert!(csv.contains("Westlaw guide wanted"), "{csv}");
        assert!(!csv.contains("in confidence"), "a private entry's text stays out: {csv}");
        for chart in ["entries-per-month.png", "departments.png", "channels.png"] {
            assert!(decodes(file(&m, chart)), "{chart}");
        }
        let summary = String::from_utf8(file(&m, "summary.md").to_vec()).unwrap();
        assert!(summary.contains("- Entries: 3"), "{summary}");
        assert!(summary.contains("Previous period (2 Oct 2026 to 31 Oct 2026): 1 (+200%)"), "{summary}");
        assert!(summary.contains("| Law | 2 |") && summary.contains("| History | 1 |"), "{summary}");
    }
}

#[tokio::test]
async fn excerpts_names_and_small_counts_follow_the_guilds_privacy_settings() {
    let bench = Bench::at(november(18)).await;
    entries(&bench).await;
    let sharing = Options::new().with("digest", Options::new().with("excerpts", false).with("names", false));
    let small = Options::new().with("privacy", Options::new().with("small_counts", "hidden"));
    for change in [sharing, small] {
        message(route_command(&bench.app, &admin(), "settings", &change, None).await);
    }
    let options = Options::new().with("since", "2026-11-01").with("format", "libinsight");
    let m = report(&bench, &admin(), options).await;
    let csv = String::from_utf8(file(&m, "entries-libinsight.csv").to_vec()).unwrap();
    let rows = rows(csv.as_bytes());
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows.iter().all(|r| r[6].is_empty()), "no note where the guild shares no excerpts: {csv}");
    assert!(rows.iter().any(|r| &r[3] == "Coffee" && &r[4] == "Informal"), "{csv}");
    let summary = String::from_utf8(file(&m, "summary.md").to_vec()).unwrap();
    assert!(summary.contains("| History | fewer than 3 |"), "{summary}");

    let m = report(&bench, &admin(), Options::new().with("period", "all")).await;
    let csv = String::from_utf8(file(&m, "entries.csv").to_vec()).unwrap();
    assert!(!csv.contains("Alice Liaison") && !csv.contains("Westlaw"), "{csv}");
}

#[tokio::test]
async fn a_period_with_dates_or_an_unknown_format_is_refused() {
    let bench = Bench::at(november(18)).await;
    let both = Options::new().with("period", "year").with("since", "2026-09-01");
    let refused = refusal(route_command(&bench.app, &admin(), "report", &both, None).await);
    assert!(refused.contains("not both"), "{refused}");
    let pdf = Options::new().with("format", "pdf");
    let refused = refusal(route_command(&bench.app, &admin(), "report", &pdf, None).await);
    assert!(refused.contains("csv, libinsight"), "{refused}");
}

#[tokio::test]
async fn a_partner_report_holds_only_the_partners_entries() {
    let bench = Bench::at(november(18)).await;
    entries(&bench).await;
    let add = Options::new().with("name", "Dr A. Field").with("kind", "person").with("department", "History");
    message(route_command(&bench.app, &admin(), "partner", &Options::new().with("add", add), None).await);
    for (note, when) in
        [("Field on the reading list", "2026-11-10"), ("Field again, in October", "2026-10-10")]
    {
        let options = Options::new()
            .with("department", "History")
            .with("partner", "Dr A. Field")
            .with("note", note)
            .with("channel", "coffee")
            .with("when", when);
        message(bench.intel(&alice(), options).await);
    }
    let options =
        Options::new().with("since", "2026-11-01").with("until", "2026-11-30").with("partner", "dr a field");
    let m = report(&bench, &admin(), options).await;
    assert!(
        m.content.contains("Your report: 1 entry,") && m.content.contains("Dr A. Field"),
        "{}",
        m.content
    );
    let csv = String::from_utf8(file(&m, "entries.csv").to_vec()).unwrap();
    assert_eq!(rows(csv.as_bytes()).len(), 1, "{csv}");
    assert!(csv.contains("Field on the reading list"), "{csv}");
    let summary = String::from_utf8(file(&m, "summary.md").to_vec()).unwrap();
    assert!(summary.contains("Partner: Dr A\\. Field"), "{summary}");
    assert!(summary.contains("- Entries: 1") && summary.contains("): 1 (+0%)"), "{summary}");
    assert!(summary.contains("Informal share: 100%"), "{summary}");

    let unknown = Options::new().with("partner", "Nobody Atall");
    let refused = refusal(route_command(&bench.app, &admin(), "report", &unknown, None).await);
    assert!(refused.contains("no partner called"), "{refused}");
}

/// The summary lists the events held in the report's days and the impact stories of its
/// entries, and leaves a private entry's outcome out as it leaves its note out.
#[tokio::test]
async fn the_summary_lists_events_held_and_impact_stories_with_their_outcomes() {
    use liaison::domain::ids::EntryId;
    use liaison::domain::impact::{Evidence, ImpactStory, ObjectiveName, Outcome};

    let bench = Bench::at(november(18)).await;
    entries(&bench).await;
    let event = |name: &str, date: &str| {
        Options::new()
            .with("add", Options::new().with("name", name).with("date", date).with("department", "Law"))
    };
    message(
        route_command(&bench.app, &alice(), "event", &event("Law library tour", "2026-11-12"), None).await,
    );
    message(route_command(&bench.app, &alice(), "event", &event("Freshers' fair", "2026-09-20"), None).await);
    let heard = Options::new()
        .with("department", "Law")
        .with("note", "Two students asked about moots")
        .with("when", "2026-11-12")
        .with("event", "1");
    message(bench.intel(&alice(), heard).await);

    let store = bench.app.store.as_ref();
    let mark = |entry: i64, outcome: &str| ImpactStory {
        guild: GUILD,
        entry: EntryId(entry),
        outcome: Outcome::parse(outcome).unwrap(),
        evidence: (entry == 2).then(|| Evidence::parse("https://example.ac.uk/westlaw").unwrap()),
        objective: ObjectiveName::parse("Research support").unwrap(),
        marked_by: admin().user,
        marked_at: november(18),
    };
    assert!(store.mark_impact(&mark(2, "Law students now use Westlaw unaided")).await.unwrap());
    assert!(store.mark_impact(&mark(3, "The bid won funding")).await.unwrap());

    let since = Options::new().with("since", "2026-11-01").with("until", "2026-11-30");
    let m = report(&bench, &admin(), since.clone()).await;
    let summary = String::from_utf8(file(&m, "summary.md").to_vec()).unwrap();
    assert!(summary.contains("## Events held"), "{summary}");
    assert!(summary.contains("- 2026-11-12: Law library tour (1 entry)"), "{summary}");
    assert!(!summary.contains("Freshers"), "an event before the report's days: {summary}");
    assert!(summary.contains("## Impact stories"), "{summary}");
    assert!(
        summary.contains("Entry #2: Law students now use Westlaw unaided (objective: Research support)"),
        "{summary}"
    );
    assert!(summary.contains("<https://example.ac.uk/westlaw>"), "{summary}");
    assert!(summary.contains("Entry #3: (not shared)"), "a private entry's outcome stays out: {summary}");
    assert!(!summary.contains("won funding"), "{summary}");

    // Narrowed to History: neither the Law event nor the Law stories.
    let history = report(&bench, &admin(), since.with("department", "History")).await;
    let summary = String::from_utf8(file(&history, "summary.md").to_vec()).unwrap();
    assert!(!summary.contains("## Events held") && !summary.contains("## Impact stories"), "{summary}");
}
