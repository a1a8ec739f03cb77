//! How long one digest takes to build and render: a busy week of 10,000 entries across 30
//! departments, built, rendered for Discord and for the terminal, and charted as a PNG.
//!
//! The target is under 100 ms for all of it together. Run with `cargo bench --bench digest`
//! (`-- ITERATIONS` to change the 200 timed runs). Gathering the input from the store is the
//! store benchmark's business and is not timed here.

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
}
