//! How long one digest takes to build and render: a busy week of 10,000 entries across 30
//! departments, built, rendered for Discord and for the terminal, and charted as a PNG.
//!
//! The target is under 100 ms for all of it together. Run with `cargo bench --bench digest`
//! (`-- ITERATIONS` to change the 200 timed runs). Gathering the input from the store is the
//! store benchmark's business and is not timed here.
//!
//! Then "Heard across teams" (issue 17), which reads the store: a guild with a 10,000-entry week
//! and four weeks of 10,000 before it, loaded into SQLite in a temporary directory and, when
//! `LIAISON_BENCH_POSTGRES` names a server (an admin URL, as for the store benchmark), into a
//! database `liaison_bench_across` made (and dropped) there. Timed: reading the week's entries
//! (which every digest does anyway) and the section's own work, `service::digest::heard_across`
//! (partner teams, the week's topics, their counts in the weeks before). Target: the section under
//! 200 ms.
//!
//! ```text
//! cargo bench --bench digest
//! LIAISON_BENCH_POSTGRES=postgres://liaison@127.0.0.1:5433/liaison_test cargo bench --bench digest
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;

use liaison::digest::{
    build, render_chart, render_messages, render_text, DepartmentNames, DigestInput, DigestPeriod,
    PreviousPeriod, Sharing, CHART_FILE,
};
use liaison::discord::markup::DiscordMarkup;
use liaison::domain::channel::{ChannelCatalogue, ChannelSpec};
use liaison::domain::entry::{Author, Entry, FollowUp, FollowUpStatus};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::{Note, MAX_NOTE_CHARS};
use liaison::domain::stats::{DepartmentEntries, LastHeard};
use liaison::domain::tag::Tag;
use liaison::message::limits::violations;

const ENTRIES: usize = 10_000;
const DEPARTMENTS: usize = 30;
const WARM_UP: usize = 10;
const TARGET_MS: f64 = 100.0;

const WORDS: &[&str] = &[
    "students",
    "asked",
    "about",
    "training",
    "for",
    "the",
    "new",
    "database",
    "reading",
    "list",
    "lecturer",
    "wants",
    "open",
    "access",
    "funding",
    "thesis",
    "deadline",
    "journal",
    "cancelled",
    "subscription",
    "ebook",
    "platform",
    "login",
    "fails",
    "**urgent**",
    "@everyone",
    "systematic",
    "review",
    "workshop",
    "archive",
];
const CHANNELS: [(&str, &str, bool); 6] = [
    ("coffee", "Coffee", true),
    ("corridor", "Corridor", true),
    ("teams", "Teams chat", true),
    ("email", "Email", false),
    ("meeting", "Meeting", false),
    ("desk", "Enquiry desk", false),
];

/// A fixed-seed generator, so every run measures the same week.
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

fn note(rng: &mut Rng) -> Note {
    // Most notes are a sentence or two; one in twenty is a pasted email.
    let target =
        if rng.below(20) == 0 { 1000 + rng.below(MAX_NOTE_CHARS - 1000) } else { 30 + rng.below(400) };
    let mut text = String::new();
    while text.len() < target {
        text.push_str(WORDS[rng.below(WORDS.len())]);
        text.push(' ');
    }
    let text: String = text.chars().take(MAX_NOTE_CHARS).collect();
    Note::parse(&text).expect("generated notes are valid")
}

fn entry(rng: &mut Rng, id: i64, department: &str, now: DateTime<Utc>, today: NaiveDate) -> Entry {
    let (key, _, informal) = CHANNELS[rng.below(CHANNELS.len())];
    let author = UserId(1 + rng.below(60) as u64);
    let at = now - Days::minutes(60 + rng.below(7 * 24 * 60) as i64);
    let follow_up =
        (rng.below(15) == 0).then(|| FollowUp::open(author, today + Days::days(rng.below(28) as i64 - 14)));
    Entry {
        also_departments: Vec::new(),
        partners: Vec::new(),
        id: EntryId(id),
        guild: GuildId(1),
        author: Author { id: author, name: format!("Librarian {}", author.0) },
        department: department.into(),
        channel: key.into(),
        informal,
        note: note(rng),
        tags: (0..rng.below(4))
            .map(|_| Tag::parse(WORDS[rng.below(WORDS.len())]).expect("a word is a tag"))
            .collect(),
        occurred_at: at,
        created_at: at,
        updated_at: None,
        follow_up,
        source: None,
        redactions: 0,
        share: liaison::domain::privacy::Share::Team,
        expired_at: None,
    }
}

fn input() -> DigestInput {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("a valid instant");
    let today = now.date_naive();
    let mut rng = Rng(0x005e_edd1_9e57);
    let names: Vec<String> = (0..DEPARTMENTS + 10).map(|i| format!("Department of Subject {i}")).collect();
    // Zipf-like: the busiest department hears about ten times what the thirtieth does.
    let weights: Vec<f64> = (0..DEPARTMENTS).map(|i| 1.0 / (1.0 + i as f64 / 3.0)).collect();
    let sum: f64 = weights.iter().sum();
    let mut departments: Vec<DepartmentEntries> = names[..DEPARTMENTS]
        .iter()
        .map(|d| DepartmentEntries { department: d.as_str().into(), entries: vec![] })
        .collect();
    for id in 0..ENTRIES {
        let mut pick = (rng.next() % 1_000_000) as f64 / 1_000_000.0 * sum;
        let i = weights
            .iter()
            .position(|w| {
                pick -= w;
                pick < 0.0
            })
            .unwrap_or(DEPARTMENTS - 1);
        let e = entry(&mut rng, id as i64 + 1, &names[i], now, today);
        departments[i].entries.push(e);
    }
    let all = || departments.iter().flat_map(|d| &d.entries);
    let open: Vec<Entry> = all().filter(|e| e.follow_up.is_some()).cloned().collect();
    let mut done: Vec<Entry> = all().step_by(40).cloned().collect();
    for e in &mut done {
        e.follow_up = Some(FollowUp {
            owner: e.author.id,
            due: today,
            status: FollowUpStatus::Done,
            done_at: Some(now - Days::days(2)),
        });
    }
    let last_heard = names[DEPARTMENTS..DEPARTMENTS + 5]
        .iter()
        .map(|d| LastHeard { department: d.as_str().into(), at: now - Days::weeks(10) })
        .collect();
    DigestInput {
        guild: GuildId(1),
        period: DigestPeriod::week_before(now, &London),
        now,
        timezone: London,
        departments,
        previous: PreviousPeriod { entries: 9_000, contributors: 55, informal_share: Some(0.45) },
        open_follow_ups: open,
        done_follow_ups: done,
        last_heard,
        catalogue: names.iter().map(|n| n.as_str().into()).collect(),
        not_served: Vec::new(),
        first_heard: Some(now - Days::weeks(30)),
        names: DepartmentNames::default(),
        quiet_after_weeks: 6,
        dates: Default::default(),
        post_empty_weeks: true,
        channels: ChannelCatalogue::new(
            CHANNELS
                .iter()
                .map(|&(key, name, informal)| ChannelSpec { key: key.into(), name: name.into(), informal })
                .collect(),
            CHANNELS[0].0,
        )
        .expect("valid channels")
        .iter()
        .cloned()
        .collect(),
        sharing: Sharing::default(),
        hand_offs: Default::default(),
        partners: Default::default(),
        impact: Vec::new(),
        events: Default::default(),
        across: Vec::new(),
    }
}

/// Mean and 99th percentile in milliseconds.
fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mean = samples.iter().map(|&d| ms(d)).sum::<f64>() / samples.len() as f64;
    let p99 = ms(samples[(samples.len() * 99 / 100).min(samples.len() - 1)]);
    (mean, p99)
}

fn main() {
    let iterations: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(200);
    let input = input();
    let digest = build(&input).expect("a busy week has a digest");
    let messages = render_messages(&digest, &DiscordMarkup, Some(CHART_FILE));
    assert!(messages.iter().all(|m| violations(m).is_empty()), "every message within Discord's limits");
    let png = render_chart(&digest).expect("the chart renders");

    let mut steps: [(&str, Vec<Duration>); 5] = [
        ("build", vec![]),
        ("render_discord", vec![]),
        ("render_text", vec![]),
        ("render_chart (PNG)", vec![]),
        ("all together", vec![]),
    ];
    for i in 0..WARM_UP + iterations {
        let t0 = Instant::now();
        let d = black_box(build(black_box(&input))).expect("a digest");
        let t1 = Instant::now();
        black_box(render_messages(&d, &DiscordMarkup, Some(CHART_FILE)));
        let t2 = Instant::now();
        black_box(render_text(&d));
        let t3 = Instant::now();
        black_box(render_chart(&d).expect("the chart renders"));
        let t4 = Instant::now();
        if i >= WARM_UP {
            for (slot, took) in steps.iter_mut().zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0]) {
                slot.1.push(took);
            }
        }
    }

    println!("# digest benchmark\n");
    println!(
        "{ENTRIES} entries, {} departments, {} Discord messages, {} KiB PNG, {iterations} runs after {WARM_UP} warm-up\n",
        digest.departments.len(),
        messages.len(),
        png.len() / 1024
    );
    println!("| step | mean ms | p99 ms |\n|---|---|---|");
    let mut total_p99 = 0.0;
    for (name, samples) in steps {
        let (mean, p99) = stats(samples);
        println!("| {name} | {mean:.2} | {p99:.2} |");
        total_p99 = p99;
    }
    let verdict = if total_p99 < TARGET_MS { "within" } else { "OVER" };
    println!("\np99 of all together: {total_p99:.1} ms, {verdict} the {TARGET_MS:.0} ms target");

    across::main(iterations.min(across::RUNS));
}

/// "Heard across teams" against a real store.
mod across {
    use std::collections::HashSet;
    use std::time::{Duration, Instant};

    use chrono::{DateTime, Duration as Days, TimeZone, Utc};
    use chrono_tz::Europe::London;
    use sqlx::{Connection, Executor};

    use super::{stats, Rng, CHANNELS};
    use std::hint::black_box;

    use liaison::digest::{DigestPeriod, Sharing, Week};
    use liaison::domain::entry::{Author, Entry};
    use liaison::domain::ids::{EntryId, GuildId, UserId};
    use liaison::domain::note::{Note, MAX_NOTE_CHARS};
    use liaison::domain::privacy::Share;
    use liaison::domain::tag::Tag;
    use liaison::service::digest::heard_across;
    use liaison::store::Store;

    /// Timed runs at most (fewer when the digest part was asked for fewer).
    pub const RUNS: usize = 50;
    const WEEK: usize = 10_000;
    const WEEKS_BEFORE: usize = 4;
    const DEPARTMENTS: usize = 30;
    const PEOPLE: u64 = 60;
    const VOCABULARY: usize = 3_000;
    const TOPICS: usize = 300;
    const TARGET_MS: f64 = 200.0;
    const GUILD: GuildId = GuildId(9_300_000_000_000_000_017);
    const SYLLABLES: &[&str] =
        &["ka", "lo", "mi", "ter", "san", "vel", "dor", "pi", "ru", "ne", "ba", "qui", "zen", "tho", "gra"];

    /// A made-up word for each index, never a stop word: three syllables and a letter.
    fn word(i: usize) -> String {
        let n = SYLLABLES.len();
        format!("{}{}{}x", SYLLABLES[i % n], SYLLABLES[(i / n) % n], SYLLABLES[(i / n / n) % n])
    }

    /// Zipf over `n`: a few words in most notes, most words rare.
    fn zipf(rng: &mut Rng, n: usize) -> usize {
        let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n - 1)
    }

    fn note(rng: &mut Rng) -> Note {
        let target =
            if rng.below(20) == 0 { 1000 + rng.below(MAX_NOTE_CHARS - 1000) } else { 30 + rng.below(400) };
        let mut text = String::new();
        // One note in three is about one of a few hundred two-word topics.
        if rng.below(3) == 0 {
            let t = zipf(rng, TOPICS);
            text.push_str(&format!("{} {}. ", word(VOCABULARY + 2 * t), word(VOCABULARY + 2 * t + 1)));
        }
        while text.len() < target {
            if rng.below(4) == 0 {
                text.push_str(super::WORDS[rng.below(super::WORDS.len())]);
            } else {
                text.push_str(&word(zipf(rng, VOCABULARY)));
            }
            text.push(if rng.below(8) == 0 { ',' } else { ' ' });
            text.push(' ');
        }
        let text: String = text.chars().take(MAX_NOTE_CHARS).collect();
        Note::parse(&text).expect("generated notes are valid")
    }

    fn entry(rng: &mut Rng, id: usize, at: DateTime<Utc>) -> Entry {
        let (channel, _, informal) = CHANNELS[rng.below(CHANNELS.len())];
        let author = UserId(1 + rng.below(PEOPLE as usize) as u64);
        let department = format!("Department of Subject {}", zipf(rng, DEPARTMENTS));
        let also = if rng.below(20) == 0 {
            vec![format!("Department of Subject {}", rng.below(DEPARTMENTS)).as_str().into()]
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
            note: note(rng),
            tags: (0..rng.below(3)).map(|_| Tag::parse(&word(zipf(rng, 200))).expect("a tag")).collect(),
            occurred_at: at,
            created_at: at,
            updated_at: None,
            follow_up: None,
            source: None,
            redactions: 0,
            share: if rng.below(100) == 0 { Share::Private } else { Share::Team },
            expired_at: None,
        }
    }

    /// The week and the four before it, oldest first, evenly spread; the term index made.
    async fn load(store: &dyn Store, period: &DigestPeriod) -> Duration {
        let started = Instant::now();
        let mut rng = Rng(0x0ac2_055e_edd1);
        let all = WEEK * (WEEKS_BEFORE + 1);
        let span = Days::weeks(WEEKS_BEFORE as i64 + 1).num_seconds();
        let from = period.range.start - Days::weeks(WEEKS_BEFORE as i64);
        let mut batch = Vec::with_capacity(WEEK);
        for i in 0..all {
            let at = from + Days::seconds(span * i as i64 / all as i64);
            batch.push(entry(&mut rng, i, at));
            if batch.len() == WEEK {
                store.import_entries(&batch).await.expect("import");
                batch.clear();
            }
        }
        while store.index_stale_terms(10_000).await.expect("index terms") > 0 {}
        store.optimize().await.expect("optimize");
        started.elapsed()
    }

    async fn run(url: &str, runs: usize) {
        let store = liaison::store::connect(url).await.expect("connect");
        let store = store.as_ref();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("a valid instant");
        let period = DigestPeriod::week_before(now, &London);
        let loaded = load(store, &period).await;
        let (mut reads, mut sections, mut both, mut pure) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut listed = Vec::new();
        let mut week = 0;
        for i in 0..runs + 2 {
            let t0 = Instant::now();
            let departments = store.entries_by_department(GUILD, period.range).await.expect("the week");
            let t1 = Instant::now();
            let topics =
                heard_across(store, GUILD, period.range, &departments, Sharing::default(), &HashSet::new())
                    .await
                    .expect("heard across teams");
            let t2 = Instant::now();
            // The part of the section that reads no store, on its own.
            black_box(Week::of(&departments, &HashSet::new(), Sharing::default()));
            let t3 = Instant::now();
            // Two warm-up runs.
            if i >= 2 {
                reads.push(t1 - t0);
                sections.push(t2 - t1);
                both.push(t2 - t0);
                pure.push(t3 - t2);
            }
            let ids: HashSet<EntryId> = departments.iter().flat_map(|d| &d.entries).map(|e| e.id).collect();
            week = ids.len();
            listed =
                topics.iter().map(|t| format!("{} ({}, {:?})", t.shown, t.entries.len(), t.trend)).collect();
        }
        assert!(!listed.is_empty(), "a busy week has topics heard across teams");
        let backend = url.split(':').next().unwrap_or_default();
        println!("\n# Heard across teams, {backend}\n");
        println!(
            "{week} entries in the week, {} in the four before; loaded and indexed in {:.1} s; {runs} runs after 2 warm-up",
            WEEK * WEEKS_BEFORE,
            loaded.as_secs_f64()
        );
        println!("topics: {}\n", listed.join(" · "));
        println!("| step | mean ms | p99 ms |\n|---|---|---|");
        let row = |name: &str, samples: Vec<Duration>| {
            let (mean, p99) = stats(samples);
            println!("| {name} | {mean:.1} | {p99:.1} |");
            p99
        };
        row("read the week's entries (every digest does)", reads);
        let section_p99 = row("the section (heard_across)", sections);
        row("of which the week's topics (Week::of, no store)", pure);
        row("the week's entries and the section", both);
        let verdict = if section_p99 < TARGET_MS { "within" } else { "OVER" };
        println!("\np99 of the section: {section_p99:.1} ms, {verdict} the {TARGET_MS:.0} ms target");
        store.close().await;
    }

    pub fn main(runs: usize) {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        let temp = tempfile::tempdir().expect("temp dir");
        let sqlite = format!("sqlite://{}", temp.path().join("across.db").display());
        runtime.block_on(run(&sqlite, runs));
        let Ok(admin_url) = std::env::var("LIAISON_BENCH_POSTGRES") else { return };
        runtime.block_on(async {
            // Our own name, never user text: identifiers cannot be bound.
            let name = "liaison_bench_across";
            let mut admin =
                sqlx::PgConnection::connect(&admin_url).await.expect("connect to LIAISON_BENCH_POSTGRES");
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .expect("drop");
            admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
            let url = match admin_url.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{name}"),
                None => panic!("LIAISON_BENCH_POSTGRES is not a postgres:// URL"),
            };
            run(&url, runs).await;
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .expect("drop");
            admin.close().await.ok();
        });
    }
}
