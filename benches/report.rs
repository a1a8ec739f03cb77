//! How long a year's report takes: `/report` and `liaison report` over a guild with a million
//! entries, half of them in the year reported. Timed: the plan (filter and count), the summary's
//! reads besides the entries' counts (made while the CSV is written), and the whole build with the
//! entries' CSV, the three charts and the Markdown.
//!
//! The target: a year's report over 1M entries built in under 2 s (issue 15).
//!
//! ```text
//! cargo bench --bench report                 # 1M entries
//! cargo bench --bench report -- 1000 100000  # chosen sizes
//! LIAISON_BENCH_DATABASE=postgres://liaison@127.0.0.1:5441/liaison_bench_report cargo bench --bench report
//! ```
//!
//! SQLite in a temporary directory unless `LIAISON_BENCH_DATABASE` names an empty database to load
//! (loaded as the store benchmark loads, `import_entries` in batches). With
//! `LIAISON_BENCH_REUSE=1`, a named database already holding the size's entries is measured again
//! without loading it (the load line then reads 0). The data is deterministic:
//! one guild, 30 departments (Zipf-weighted), 11 channels (4 informal), two years of entries ending
//! on the day reported, one in a hundred private, one in fifteen with a follow-up, one in forty of
//! those done; one in twenty names another department.

use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Days, NaiveDate, TimeZone, Utc};
use liaison::domain::channel::{ChannelCatalogue, ChannelSpec};
use liaison::domain::department::{DepartmentCatalogue, DepartmentSpec};
use liaison::domain::entry::{Author, Entry, FollowUp, FollowUpStatus};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::Note;
use liaison::domain::privacy::Share;
use liaison::domain::redaction::{RedactionSpec, Redactor};
use liaison::domain::rules::Rules;
use liaison::domain::tag::Tag;
use liaison::service::report::{self, summary, Format, ReportRequest};
use liaison::store::Store;

const IMPORT_BATCH: usize = 10_000;
const RUNS: usize = 5;
const TARGET: Duration = Duration::from_secs(2);
const GUILD: GuildId = GuildId(9_300_000_000_000_000_001);
const DEPARTMENTS: usize = 30;
const CHANNELS: [(&str, &str, bool); 11] = [
    ("coffee", "Coffee", true),
    ("corridor", "Corridor", true),
    ("teams", "Teams chat", true),
    ("event", "Event", true),
    ("email", "Email", false),
    ("meeting", "Meeting", false),
    ("desk", "Enquiry desk", false),
    ("committee", "Committee", false),
    ("phone", "Phone", false),
    ("teaching", "Teaching session", false),
    ("consultation", "Consultation", false),
];
const WORDS: &[&str] = &[
    "students",
    "asked",
    "about",
    "training",
    "reading",
    "list",
    "lecturer",
    "open",
    "access",
    "thesis",
    "deadline",
    "journal",
    "subscription",
    "ebook",
    "workshop",
    "archive",
    "review",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn department_name(i: usize) -> String {
    format!("Department of Subject {i}")
}

fn rules() -> Rules {
    let departments = (0..DEPARTMENTS).map(|i| DepartmentSpec { name: department_name(i), aliases: vec![] });
    let channels = CHANNELS
        .iter()
        .map(|&(key, name, informal)| ChannelSpec { key: key.into(), name: name.into(), informal })
        .collect();
    Rules {
        departments: DepartmentCatalogue::new(departments.collect()).expect("valid departments"),
        channels: ChannelCatalogue::new(channels, "desk").expect("valid channels"),
        redactor: Redactor::new(&RedactionSpec::default()).expect("a redactor"),
        timezone: chrono_tz::Europe::London,
        academic: liaison::domain::academic::AcademicCalendar::default(),
    }
}

fn zipf(rng: &mut Rng, weights: &[f64], sum: f64) -> usize {
    let mut pick = (rng.next() % 1_000_000) as f64 / 1_000_000.0 * sum;
    weights
        .iter()
        .position(|w| {
            pick -= w;
            pick < 0.0
        })
        .unwrap_or(weights.len() - 1)
}

fn entry(rng: &mut Rng, id: usize, size: usize, now: DateTime<Utc>, weights: &[f64], sum: f64) -> Entry {
    // Evenly over two years, oldest first, as entries arrive.
    let span = Days::days(730).num_seconds();
    let at = now - Days::seconds(span - span * id as i64 / size as i64) + Days::seconds(1);
    let (channel, _, informal) = CHANNELS[rng.below(CHANNELS.len())];
    let author = UserId(1 + rng.below(60) as u64);
    let today = at.date_naive();
    let follow_up = (rng.below(15) == 0).then(|| {
        let mut f = FollowUp::open(author, today + Days::days(7));
        if rng.below(40) == 0 {
            f.status = FollowUpStatus::Done;
            f.done_at = Some(at + Days::days(3));
        }
        f
    });
    let words = 5 + rng.below(40);
    let text = (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect::<Vec<_>>().join(" ");
    let department = department_name(zipf(rng, weights, sum));
    let also = if rng.below(20) == 0 {
        vec![department_name(rng.below(DEPARTMENTS)).as_str().into()]
    } else {
        vec![]
    };
    Entry {
        id: EntryId(id as i64 + 1),
        guild: GUILD,
        author: Author { id: author, name: format!("Librarian {}", author.0) },
        department: department.as_str().into(),
        also_departments: also,
        partners: Vec::new(),
        channel: channel.into(),
        informal,
        note: Note::parse(&text).expect("a valid note"),
        tags: (0..rng.below(3)).map(|_| Tag::parse(WORDS[rng.below(WORDS.len())]).expect("a tag")).collect(),
        occurred_at: at,
        created_at: at,
        updated_at: None,
        follow_up,
        source: None,
        redactions: 0,
        share: if rng.below(100) == 0 { Share::Private } else { Share::Team },
        expired_at: None,
    }
}

async fn load(store: &dyn Store, size: usize, now: DateTime<Utc>) -> Duration {
    let started = Instant::now();
    let weights: Vec<f64> = (0..DEPARTMENTS).map(|i| 1.0 / (1.0 + i as f64 / 3.0)).collect();
    let sum: f64 = weights.iter().sum();
    let mut rng = Rng(0x005e_edd1_9e57);
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    for i in 0..size {
        batch.push(entry(&mut rng, i, size, now, &weights, sum));
        if batch.len() == IMPORT_BATCH || i + 1 == size {
            store.import_entries(&batch).await.expect("import");
            batch.clear();
        }
    }
    store.optimize().await.expect("optimize");
    started.elapsed()
}

fn reuse_requested() -> bool {
    std::env::var("LIAISON_BENCH_REUSE").is_ok_and(|v| v == "1")
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn run(size: usize, url: &str) {
    let store = liaison::store::connect(url).await.expect("connect");
    let store = store.as_ref();
    let now = Utc.with_ymd_and_hms(2026, 8, 31, 18, 0, 0).single().expect("a valid instant");
    // An existing database of this size is measured again without loading it, where asked.
    let have = store.count_entries(GUILD, &liaison::store::EntryFilter::default()).await.expect("count");
    let loaded = if reuse_requested() && have == size as u64 {
        Duration::ZERO
    } else {
        assert_eq!(have, 0, "the benchmark loads an empty database; this one has {have} entries");
        load(store, size, now).await
    };
    let rules = rules();
    let first = NaiveDate::from_ymd_opt(2025, 9, 1).expect("a date");
    let request = ReportRequest {
        guild: GUILD,
        period: liaison::domain::period::Period::Dates {
            since: Some(first),
            until: NaiveDate::from_ymd_opt(2026, 8, 31),
        },
        department: None,
        partner: None,
        format: Format::Csv,
    };
    let (mut plans, mut summaries, mut builds) = (Vec::new(), Vec::new(), Vec::new());
    let mut entries = 0;
    let mut bytes = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let plan = report::plan(store, &rules, &request, now).await.expect("plan");
        plans.push(started.elapsed());
        entries = plan.total;

        // The summary's own reads; its counts are made while the CSV is written.
        let started = Instant::now();
        summary::around(store, &rules, &plan).await.expect("summary");
        summaries.push(started.elapsed());

        let started = Instant::now();
        let plan = report::plan(store, &rules, &request, now).await.expect("plan");
        let files = report::build(store, &rules, &plan, &mut |_| {}).await.expect("build");
        builds.push(started.elapsed());
        bytes = files.iter().map(|f| f.bytes.len()).sum::<usize>();
    }
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let build = median(builds);
    println!("\n## {size} entries ({entries} in the year reported), {}", url.split(':').next().unwrap_or(""));
    println!("| step | median of {RUNS} |\n| --- | ---: |");
    println!("| load (import_entries, {IMPORT_BATCH} a batch) + optimize | {:.1} s |", loaded.as_secs_f64());
    println!("| plan (filter, count) | {} |", ms(median(plans)));
    println!(
        "| summary's reads (period before, partners, follow-ups, events, stories) | {} |",
        ms(median(summaries))
    );
    println!("| whole build, with the entries' CSV ({bytes} bytes in all) | {} |", ms(build));
    println!(
        "whole build {} the {} s target",
        if build <= TARGET { "within" } else { "OVER" },
        TARGET.as_secs()
    );
    store.close().await;
}

fn main() {
    let sizes: Vec<usize> =
        std::env::args().skip(1).filter_map(|a| a.replace('_', "").parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000_000] } else { sizes };
    let temp = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    println!("# liaison report benchmark: a year's report");
    for size in sizes {
        let url = match std::env::var("LIAISON_BENCH_DATABASE") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => format!("sqlite://{}", temp.path().join(format!("report-{size}.db")).display()),
        };
        runtime.block_on(run(size, &url));
    }
}
