//! Store benchmark: bulk load, single inserts, search and the digest week on synthetic but
//! realistic data, at several sizes, on SQLite and (when a server is given) PostgreSQL in the same
//! run, through the `Store` trait as the bot uses it.
//!
//! ```text
//! cargo bench --bench store                          # 10k, 100k and 1M entries
//! cargo bench --bench store -- 10000 100000          # chosen sizes
//! LIAISON_BENCH_POSTGRES=postgres://liaison@127.0.0.1:5441/postgres cargo bench --bench store
//! LIAISON_BENCH_ALTERNATIVES=1 cargo bench --bench store -- 1000000   # also the rejected designs
//! ```
//!
//! `LIAISON_BENCH_DIR` puts the SQLite files somewhere other than a temporary directory (they are
//! then kept); with it, `LIAISON_BENCH_REUSE=1` measures an existing file again without loading it.
//! `LIAISON_BENCH_POSTGRES` names a server and a database to connect to as administrator: each size
//! gets a fresh database `liaison_bench_<size>` there (dropped first if it exists, so the role needs
//! CREATEDB), dropped again at the end unless `LIAISON_BENCH_REUSE=1`, which keeps it and measures an
//! existing one again without loading it. Both backends get the same data and queries.
//! `LIAISON_BENCH_SQLITE=0` measures PostgreSQL alone (while working on it).
//! `LIAISON_BENCH_RELATED_ONLY=1` measures the load and "who else heard this" alone (issue 17).
//! Results and the decisions they led to: docs/benchmarks.md. The data is deterministic: a fixed seed, Zipf-weighted words (common words are the
//! slow case for search), 5 guilds with one holding 60%, 30 departments, 11 channels, 5 years.
//! One entry in a hundred is private, and every search is a member's who is not an admin.
//! The big guild has `PARTNERS` partners; a fifth of its entries are linked to one of them
//! (Zipf-weighted), and one partner (`HEAVY`) to 10,000 entries at 1M; one entry in twenty names
//! another department besides its own. Links are drawn from their own generator, so the entries
//! are otherwise what they were before partners existed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use liaison::domain::channel::{Channel, ChannelCatalogue, ChannelSpec};
use liaison::domain::department::{
    Department, DepartmentCatalogue, DepartmentKey, DepartmentKeys, DepartmentSpec,
};
use liaison::domain::entry::{Author, Entry, FollowUp, NewEntry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::Note;
use liaison::domain::partner::{
    NewPartner, PartnerId, PartnerKind, PartnerLink, PartnerName, PartnerProfile, PartnerStatus,
};
use liaison::domain::privacy::Share;
use liaison::domain::search::{SearchQuery, SearchTerms};
use liaison::domain::stats::CountBy;
use liaison::domain::tag::Tag;
use liaison::domain::time_range::TimeRange;
use liaison::service::related::{related, RELATED as RELATED_WANTED};
use liaison::store::sqlite::SqliteStore;
use liaison::store::{EntryFilter, MaintenanceStore, Store};
use sqlx::{Connection, Executor};

const IMPORT_BATCH: usize = 10_000;
const INSERTS: usize = 2_000;
const QUERIES: usize = 200;
const ALTERNATIVE_QUERIES: usize = 50;
const WARM_UP: usize = 20;
const WEEKS: usize = 50;
const YEARS: i64 = 5;
/// One entry in this many is private; every search is by a member who is not an admin
/// (`VIEWER`), so that it pays for leaving out the other members' private entries.
const PRIVATE_EVERY: usize = 100;
/// "Librarian 0" of the data: a member searching, who may not find the others' private entries.
const VIEWER: UserId = UserId(1_000_000_000_000_000_000);

/// The big guild: above i64::MAX, so it is stored negative, as a real snowflake may be.
const GUILDS: [(u64, f64); 5] = [
    (9_300_000_000_000_000_001, 0.6),
    (1_100_000_000_000_000_002, 0.1),
    (1_100_000_000_000_000_003, 0.1),
    (1_100_000_000_000_000_004, 0.1),
    (1_100_000_000_000_000_005, 0.1),
];
const BIG: GuildId = GuildId(GUILDS[0].0);

/// Partners of the big guild, made before the entries, so a fresh database numbers them 1 to
/// `PARTNERS` in order (checked when they are made).
const PARTNERS: usize = 2_000;
/// The partner whose timeline is measured: linked to every `heavy_stride`th entry.
const HEAVY: PartnerId = PartnerId(1);
/// How many entries the heavy partner gets (about; fewer below 33,000 entries, where every
/// second big-guild entry is its).
const HEAVY_ENTRIES: f64 = 10_000.0;
/// One big-guild entry in this many is linked to a (Zipf-weighted) partner besides.
const LINKED_EVERY: usize = 5;
/// One entry in this many names one other department besides its own.
const CROSS_EVERY: usize = 20;

fn partner_name(index: usize) -> String {
    format!("Partner {index:04}")
}

/// Every `heavy_stride(size)`th entry is the heavy partner's when in the big guild (60%): about
/// 10,000 at 1M.
fn heavy_stride(size: usize) -> usize {
    ((size as f64 * GUILDS[0].1 / HEAVY_ENTRIES) as usize).max(2)
}

const DEPARTMENTS: [&str; 30] = [
    "History",
    "English",
    "Physics",
    "Chemistry",
    "Biology",
    "Mathematics",
    "Computer Science",
    "School of Engineering",
    "Law",
    "Medicine",
    "Nursing",
    "Psychology",
    "Sociology",
    "Economics",
    "Business School",
    "Philosophy",
    "Music",
    "Art History",
    "Architecture",
    "Geography",
    "Politics",
    "Modern Languages",
    "Classics",
    "Education",
    "Earth Sciences",
    "Pharmacy",
    "Dentistry",
    "Veterinary Science",
    "Film Studies",
    "Theology",
];
const CHANNELS: [(&str, bool); 11] = [
    ("desk", false),
    ("email", false),
    ("meeting", false),
    ("committee", false),
    ("teaching", false),
    ("ticket", false),
    ("coffee", true),
    ("corridor", true),
    ("chat", true),
    ("event", true),
    ("phone", true),
];
const TAGS: [&str; 16] = [
    "open-access",
    "training",
    "eebo",
    "loans",
    "theses",
    "data",
    "archives",
    "reading-lists",
    "copyright",
    "budget",
    "complaint",
    "praise",
    "accessibility",
    "ebooks",
    "research-support",
    "induction",
];
const STOPWORDS: [&str; 15] =
    ["the", "of", "and", "to", "a", "in", "for", "on", "with", "at", "from", "by", "is", "was", "as"];
const LIBRARY_WORDS: &str = "students library journal access database training thesis loan renewal reading \
    list module lecturer research data archive catalogue subscription ebook print digitisation copyright \
    referencing citation workshop induction dissertation postgraduate undergraduate phd supervisor seminar \
    funding open publication repository request interlibrary book books chapter collection special \
    manuscript software licence budget feedback complaint desk visit teaching session assessment \
    deadline exam timetable space study group room printing scanning password login vpn portal search \
    skills literature review systematic evidence clinical law legislation engineering standards patents \
    maps census newspapers eebo jstor scopus proquest zotero endnote orcid doi metadata embargo apc \
    transformative agreement department school faculty head dean professor doctor researcher project \
    grant bid impact audit statistics usage cancellation purchase order recommendation shortlist \
    accessibility dyslexia alternative format video streaming broadcast microfilm rare conservation \
    exhibition outreach schools widening participation international online distance learning lab \
    fieldwork survey interview ethics storage backup preservation cataloguing shelving reserve \
    textbook core essential key further week term semester summer autumn spring asked wanted said \
    mentioned complained praised requested suggested needs cannot missing broken slow fast new old";

/// SplitMix64: small, fast, good enough for synthetic data, and no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.unit() * (hi - lo) as f64) as i64
    }
}

/// Samples indexes with the given relative weights.
struct Weighted(Vec<f64>);

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        Weighted(
            weights
                .into_iter()
                .map(|w| {
                    total += w;
                    total
                })
                .collect(),
        )
    }

    fn zipf(n: usize, s: f64) -> Self {
        Weighted::new((1..=n).map(|r| 1.0 / (r as f64).powf(s)))
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.unit() * self.0.last().copied().unwrap_or(0.0);
        self.0.partition_point(|&c| c <= x).min(self.0.len() - 1)
    }
}

/// A filter on one department of `DEPARTMENTS`, as a department never renamed has.
fn department_keys(index: usize) -> DepartmentKeys {
    DepartmentKeys::one(DepartmentKey::from_stored(DEPARTMENTS[index]))
}

struct Corpus {
    words: Vec<String>,
    word_weights: Weighted,
    /// Search words: the vocabulary without stopwords, with the same weights.
    query_words: Vec<String>,
    query_weights: Weighted,
    guilds: Weighted,
    departments: Weighted,
    /// Over partners 2 to `PARTNERS` (index 0 is partner 2): the partner an ordinary link goes to,
    /// and a partner filter's.
    partners: Weighted,
    /// `DEPARTMENTS` and `CHANNELS` as the catalogues resolve them, in the same order.
    department_list: Vec<Department>,
    channel_list: Vec<Channel>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Corpus {
    fn new() -> Self {
        let mut rng = Rng(7);
        let mut real: Vec<String> = Vec::new();
        for w in LIBRARY_WORDS.split_whitespace() {
            if !real.iter().any(|x| x == w) {
                real.push(w.to_string());
            }
        }
        shuffle(&mut real, &mut rng);
        let syllables = [
            "ka", "lo", "mi", "ne", "ru", "ta", "ve", "si", "do", "pe", "gra", "bli", "stor", "ment", "ca",
            "tion", "ber", "ix", "ul", "an",
        ];
        let mut pseudo: Vec<String> = Vec::new();
        while real.len() + pseudo.len() + STOPWORDS.len() < 4000 {
            let n = 2 + rng.below(3);
            let w: String = (0..n).map(|_| syllables[rng.below(syllables.len())]).collect();
            if !pseudo.contains(&w) && !real.contains(&w) {
                pseudo.push(w);
            }
        }
        let words: Vec<String> = STOPWORDS.iter().map(|s| s.to_string()).chain(real).chain(pseudo).collect();
        let word_weights = Weighted::zipf(words.len(), 1.0);
        let query_words: Vec<String> = words[STOPWORDS.len()..].to_vec();
        let query_weights = Weighted::new((STOPWORDS.len() + 1..=words.len()).map(|r| 1.0 / r as f64));
        let end = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        Corpus {
            words,
            word_weights,
            query_words,
            query_weights,
            guilds: Weighted::new(GUILDS.iter().map(|g| g.1)),
            departments: Weighted::zipf(DEPARTMENTS.len(), 0.5),
            partners: Weighted::zipf(PARTNERS - 1, 0.8),
            department_list: DepartmentCatalogue::new(
                DEPARTMENTS
                    .iter()
                    .map(|d| DepartmentSpec { name: d.to_string(), aliases: Vec::new() })
                    .collect(),
            )
            .expect("distinct departments")
            .iter()
            .cloned()
            .collect(),
            channel_list: ChannelCatalogue::new(
                CHANNELS
                    .iter()
                    .map(|&(key, informal)| ChannelSpec { key: key.into(), name: key.into(), informal })
                    .collect(),
                CHANNELS[0].0,
            )
            .expect("valid channels")
            .iter()
            .cloned()
            .collect(),
            start: end - chrono::Duration::days(365 * YEARS),
            end,
        }
    }

    fn note(&self, rng: &mut Rng) -> String {
        let len = 50 + rng.below(551);
        let mut note = String::with_capacity(len + 16);
        while note.len() < len {
            if !note.is_empty() {
                note.push(' ');
            }
            note.push_str(&self.words[self.word_weights.sample(rng)]);
        }
        note
    }

    /// Entry `i` of `n`: captured at an even pace over the five years, occurring up to three days
    /// before its capture.
    fn entry(&self, rng: &mut Rng, i: usize, n: usize, guild: Option<GuildId>) -> NewEntry {
        let guild = guild.unwrap_or(GuildId(GUILDS[self.guilds.sample(rng)].0));
        let span = (self.end - self.start).num_milliseconds();
        let created = self.start + chrono::Duration::milliseconds(span / n as i64 * i as i64);
        let occurred = created - chrono::Duration::milliseconds(rng.range(0, 3 * 86_400_000));
        let channel = self.channel_list[rng.below(self.channel_list.len())].clone();
        let author = rng.below(40) as u64;
        let tags: Vec<Tag> = {
            let mut t: Vec<Tag> = Vec::new();
            for _ in 0..rng.below(4) {
                let tag = Tag::parse(TAGS[rng.below(TAGS.len())]).expect("valid tag");
                if !t.contains(&tag) {
                    t.push(tag);
                }
            }
            t
        };
        let follow_up = (rng.below(100) < 3)
            .then(|| FollowUp::open(UserId(author), (occurred + chrono::Duration::days(14)).date_naive()));
        NewEntry {
            also_departments: Vec::new(),
            partners: Vec::new(),
            guild,
            author: Author {
                id: UserId(1_000_000_000_000_000_000 + author),
                name: format!("Librarian {author}"),
            },
            department: self.department_list[self.departments.sample(rng)].clone(),
            channel,
            note: Note::parse(&self.note(rng)).expect("valid note"),
            tags,
            occurred_at: occurred,
            created_at: created,
            follow_up,
            source: None,
            redactions: 0,
            // One entry in a hundred private, chosen by position so that the rest of the data
            // is what it was before private entries existed.
            share: if i % PRIVATE_EVERY == 7 { Share::Private } else { Share::Team },
        }
    }

    /// Entry `i`'s links, from a generator of its own (the entry's other fields stay as they were).
    fn link(&self, e: &mut NewEntry, i: usize, size: usize) {
        let mut rng = Rng(0xC0FF_EE00_0000_0000 ^ i as u64);
        if rng.below(CROSS_EVERY) == 0 {
            let other = &self.department_list[self.departments.sample(&mut rng)];
            if other.key() != e.department.key() {
                e.also_departments = vec![other.clone()];
            }
        }
        if e.guild != BIG {
            return;
        }
        let mut partners = Vec::new();
        if i.is_multiple_of(heavy_stride(size)) {
            partners.push(self.partner_link(HEAVY));
        }
        if rng.below(LINKED_EVERY) == 0 {
            let id = self.sample_partner(&mut rng);
            if !partners.iter().any(|p: &PartnerLink| p.id == id) {
                partners.push(self.partner_link(id));
            }
        }
        e.partners = partners;
    }

    fn sample_partner(&self, rng: &mut Rng) -> PartnerId {
        PartnerId(self.partners.sample(rng) as i64 + 2)
    }

    fn partner_link(&self, id: PartnerId) -> PartnerLink {
        let name = partner_name(usize::try_from(id.0 - 1).unwrap_or(0));
        PartnerLink { id, name: PartnerName::parse(&name).expect("valid partner name") }
    }

    fn query_text(&self, rng: &mut Rng, words: usize) -> String {
        let mut picked: Vec<&str> = Vec::new();
        while picked.len() < words {
            let w = &self.query_words[self.query_weights.sample(rng)];
            if !picked.contains(&w.as_str()) {
                picked.push(w);
            }
        }
        picked.join(" ")
    }
}

fn shuffle<T>(v: &mut [T], rng: &mut Rng) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

struct Row {
    case: String,
    times: Vec<Duration>,
    note: String,
}

impl Row {
    fn print(&self) {
        let mut t = self.times.clone();
        t.sort();
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
            self.case,
            percentile(&t, 0.5),
            percentile(&t, 0.95),
            percentile(&t, 0.99),
            t.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0),
            self.note
        );
    }
}

fn header(title: &str) {
    println!("\n{title}\n");
    println!("| case | p50 ms | p95 ms | p99 ms | max ms | notes |");
    println!("|---|---|---|---|---|---|");
}

/// One search case: a name and its queries (the same for every design).
struct Case {
    name: String,
    guild: GuildId,
    queries: Vec<SearchQuery>,
}

fn cases(corpus: &Corpus, rng: &mut Rng, count: usize) -> Vec<Case> {
    let mut out = Vec::new();
    let query = |text: String| SearchQuery {
        terms: SearchTerms::parse(&text),
        text,
        viewer: Some(VIEWER),
        per_page: 5,
        ..SearchQuery::default()
    };
    for words in 1..=3 {
        for with_department in [false, true] {
            let queries = (0..count)
                .map(|_| {
                    let mut q = query(corpus.query_text(rng, words));
                    if with_department {
                        q.department = Some(department_keys(corpus.departments.sample(rng)));
                    }
                    q
                })
                .collect();
            let scope = if with_department { "guild + department" } else { "guild" };
            let name = format!("{words} word{}, {scope}", if words > 1 { "s" } else { "" });
            out.push(Case { name, guild: BIG, queries });
        }
    }
    let last_90 = TimeRange::new(corpus.end - chrono::Duration::days(90), corpus.end);
    for words in [1, 2] {
        out.push(Case {
            name: format!("{words} word{}, a small guild (10%)", if words > 1 { "s" } else { "" }),
            guild: GuildId(GUILDS[1].0),
            queries: (0..count).map(|_| query(corpus.query_text(rng, words))).collect(),
        });
    }
    out.push(Case {
        name: "1 word, guild, last 90 days".into(),
        guild: BIG,
        queries: (0..count)
            .map(|_| SearchQuery { occurred: Some(last_90), ..query(corpus.query_text(rng, 1)) })
            .collect(),
    });
    out.push(Case {
        name: "1 word, guild, a random past 30 days".into(),
        guild: BIG,
        queries: (0..count)
            .map(|_| {
                let days = rng.range(30, 365 * YEARS);
                let end = corpus.end - chrono::Duration::days(days);
                let range = TimeRange::new(end - chrono::Duration::days(30), end);
                SearchQuery { occurred: Some(range), ..query(corpus.query_text(rng, 1)) }
            })
            .collect(),
    });
    out.push(Case {
        name: "no words, guild + department (newest first)".into(),
        guild: BIG,
        queries: (0..count)
            .map(|_| SearchQuery {
                department: Some(department_keys(corpus.departments.sample(rng))),
                ..query(String::new())
            })
            .collect(),
    });
    out.push(Case {
        name: "1 word, guild + partner".into(),
        guild: BIG,
        queries: (0..count)
            .map(|_| SearchQuery {
                partner: Some(corpus.sample_partner(rng)),
                ..query(corpus.query_text(rng, 1))
            })
            .collect(),
    });
    out.push(Case {
        name: "1 word, guild + the 10,000-entry partner".into(),
        guild: BIG,
        queries: (0..count)
            .map(|_| SearchQuery { partner: Some(HEAVY), ..query(corpus.query_text(rng, 1)) })
            .collect(),
    });
    out.push(Case {
        name: "1 word, guild + partner + department".into(),
        guild: BIG,
        queries: (0..count)
            .map(|_| SearchQuery {
                partner: Some(corpus.sample_partner(rng)),
                department: Some(department_keys(corpus.departments.sample(rng))),
                ..query(corpus.query_text(rng, 1))
            })
            .collect(),
    });
    out.push(Case {
        name: "no words, guild + partner (newest first)".into(),
        guild: BIG,
        queries: (0..count)
            .map(|_| SearchQuery { partner: Some(corpus.sample_partner(rng)), ..query(String::new()) })
            .collect(),
    });
    out.push(Case {
        name: "no words, guild + the 10,000-entry partner (newest first)".into(),
        guild: BIG,
        queries: (0..count).map(|_| SearchQuery { partner: Some(HEAVY), ..query(String::new()) }).collect(),
    });
    out.push(Case {
        name: "no words, guild + tag (newest first)".into(),
        guild: BIG,
        queries: (0..count)
            .map(|_| SearchQuery {
                tag: Tag::parse(TAGS[rng.below(TAGS.len())]).ok(),
                ..query(String::new())
            })
            .collect(),
    });
    out
}

async fn time_search(store: &dyn Store, case: &Case) -> Row {
    for q in case.queries.iter().take(WARM_UP) {
        store.search(case.guild, q, Utc::now()).await.expect("search");
    }
    let mut times = Vec::with_capacity(case.queries.len());
    let mut hits = 0usize;
    let mut totals = 0u64;
    for q in &case.queries {
        let t = Instant::now();
        let page = store.search(case.guild, q, Utc::now()).await.expect("search");
        times.push(t.elapsed());
        hits += page.hits.len();
        totals += page.total;
    }
    let n = case.queries.len().max(1);
    Row {
        case: case.name.clone(),
        times,
        note: format!("{:.1} hits/page, mean total {:.0}", hits as f64 / n as f64, totals as f64 / n as f64),
    }
}

/// Where one size is measured.
enum Backend {
    Sqlite,
    /// The server, through a URL an administrator (a role with CREATEDB) connects with.
    Postgres {
        admin_url: String,
    },
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres { .. } => "PostgreSQL",
        }
    }
}

/// What one backend measured at one size: the load's figures, then the timed sections, each with
/// its rows in a fixed order so that backends line up case by case.
#[derive(Default)]
struct Report {
    steps: Vec<(String, String)>,
    sections: Vec<(&'static str, Vec<Row>)>,
}

const WRITES: &str = "### Writes";
const DIGEST: &str = "### The digest (big guild, 50 random weeks of the five years)";
const SEARCH: &str = "### Search (5 per page, page 0; the big guild unless said)";
const TIMELINE: &str = "### Partner timeline (`partner_entries`, first page of 5, the 10,000-entry partner)";
const RELATED: &str = "### Who else heard this (`service::related::related`, 3 wanted, the last 180 days)";

fn reuse_requested() -> bool {
    std::env::var("LIAISON_BENCH_REUSE").is_ok_and(|v| v == "1")
}

/// A database ready to be measured: its URL, whether it still has to be loaded, and (for
/// PostgreSQL) the server it lives on, to measure its size and drop it afterwards.
struct Target {
    url: String,
    load: bool,
    sqlite_file: Option<PathBuf>,
    postgres: Option<(String, String)>,
}

async fn target(backend: &Backend, size: usize, dir: &Path) -> Target {
    match backend {
        Backend::Sqlite => {
            let path = dir.join(format!("bench-{size}.db"));
            let reuse = reuse_requested() && path.exists();
            if !reuse {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            let url = format!("sqlite://{}", path.display());
            Target { url, load: !reuse, sqlite_file: Some(path), postgres: None }
        }
        Backend::Postgres { admin_url } => {
            // Our own name, never user text: identifiers cannot be bound.
            let name = format!("liaison_bench_{size}");
            let mut admin =
                sqlx::PgConnection::connect(admin_url).await.expect("connect to LIAISON_BENCH_POSTGRES");
            let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(&name)
                .fetch_optional(&mut admin)
                .await
                .expect("pg_database");
            let reuse = reuse_requested() && exists.is_some();
            if !reuse {
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .expect("drop");
                admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
            }
            admin.close().await.ok();
            let url = with_database(admin_url, &name);
            Target { url, load: !reuse, sqlite_file: None, postgres: Some((admin_url.clone(), name)) }
        }
    }
}

impl Target {
    async fn bytes(&self) -> u64 {
        if let Some(path) = &self.sqlite_file {
            return ["", "-wal"]
                .iter()
                .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
                .map(|m| m.len())
                .sum();
        }
        let Some((admin_url, name)) = &self.postgres else { return 0 };
        let mut admin = sqlx::PgConnection::connect(admin_url).await.expect("connect");
        let bytes: i64 = sqlx::query_scalar("SELECT pg_database_size($1)")
            .bind(name)
            .fetch_one(&mut admin)
            .await
            .expect("size");
        admin.close().await.ok();
        u64::try_from(bytes).unwrap_or(0)
    }

    /// Drops a PostgreSQL database unless it is to be measured again (SQLite files go with their
    /// temporary directory, or stay in `LIAISON_BENCH_DIR`).
    async fn finish(self) {
        let Some((admin_url, name)) = self.postgres else { return };
        if reuse_requested() {
            return;
        }
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect");
        admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.expect("drop");
        admin.close().await.ok();
    }
}

/// `url` with its database (the path) replaced, keeping credentials, host and parameters.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    format!("{}/{database}{query}", &base[..path_start])
}

fn progress(backend: &Backend, size: usize, what: &str) {
    eprintln!("[{size} {}] {what}", backend.name());
}

async fn measure(
    backend: &Backend,
    size: usize,
    dir: &Path,
    corpus: &Corpus,
    all: &[Case],
) -> (Report, Target) {
    let target = target(backend, size, dir).await;
    let mut report = Report::default();
    let mut rng = Rng(42);
    if target.load {
        progress(backend, size, "loading");
        // Loaded through its own store and closed, as `liaison import` does before the bot opens
        // the database: a SQLite store that had bulk-loaded searched with a p95 of ~30 ms instead
        // of ~8 ms at 300k entries until reopened. PostgreSQL is treated the same way.
        let loader = liaison::store::connect(&target.url).await.expect("connect");
        load(&*loader, corpus, &mut rng, size, &mut report).await;
        loader.close().await;
        let bytes = target.bytes().await;
        report.steps.push((
            "database size".into(),
            format!("{:.0} MB, {:.0} B/entry", bytes as f64 / 1e6, bytes as f64 / size as f64),
        ));
    }
    let store = liaison::store::connect(&target.url).await.expect("connect");
    progress(backend, size, "who else heard this");
    report.sections.push((RELATED, related_section(&*store, size).await));
    if related_only() {
        store.close().await;
        return (report, target);
    }
    if target.load {
        progress(backend, size, "single inserts");
        report.sections.push((WRITES, vec![writes(&*store, corpus, &mut rng, size).await]));
    }
    progress(backend, size, "digest");
    report.sections.push((DIGEST, digest_section(&*store, corpus).await));
    progress(backend, size, "search");
    let mut rows = Vec::with_capacity(all.len());
    for case in all {
        rows.push(time_search(&*store, case).await);
    }
    report.sections.push((SEARCH, rows));
    progress(backend, size, "partner timeline");
    report.sections.push((TIMELINE, timeline_section(&*store).await));
    store.close().await;
    (report, target)
}

async fn load(store: &dyn Store, corpus: &Corpus, rng: &mut Rng, size: usize, report: &mut Report) {
    let started = Instant::now();
    add_partners(store, corpus).await;
    report.steps.push((
        format!("{PARTNERS} partners (insert_partner, one per commit)"),
        format!("{:.1} s", started.elapsed().as_secs_f64()),
    ));
    let started = Instant::now();
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    for i in 0..size {
        let mut entry = corpus.entry(rng, i, size, None);
        corpus.link(&mut entry, i, size);
        batch.push(Entry::from_new(EntryId(i as i64 + 1), entry));
        if batch.len() == IMPORT_BATCH || i + 1 == size {
            store.import_entries(&batch).await.expect("import");
            batch.clear();
        }
    }
    let load = started.elapsed();
    let started = Instant::now();
    store.optimize().await.expect("optimize");
    let optimize = started.elapsed();
    report.steps.push((
        format!("bulk load (import_entries, {IMPORT_BATCH} per transaction)"),
        format!("{:.1} s, {:.0} rows/s", load.as_secs_f64(), size as f64 / load.as_secs_f64()),
    ));
    report.steps.push(("optimize()".into(), format!("{:.1} s", optimize.as_secs_f64())));
}

/// The big guild's partners, numbered 1 to `PARTNERS` by a fresh database, as `Corpus::link`
/// expects.
async fn add_partners(store: &dyn Store, corpus: &Corpus) {
    for index in 0..PARTNERS {
        let link = corpus.partner_link(PartnerId(index as i64 + 1));
        let profile = PartnerProfile {
            kind: PartnerKind::Organisation,
            name: link.name.clone(),
            departments: vec![corpus.department_list[index % DEPARTMENTS.len()].key().clone()],
            owners: vec![UserId(1_000_000_000_000_000_000 + (index % 40) as u64)],
            notes: String::new(),
            link: None,
            status: PartnerStatus::Active,
        };
        let new = NewPartner { guild: BIG, profile, created_by: VIEWER, created_at: corpus.start };
        let made = store.insert_partner(&new).await.expect("insert partner");
        assert_eq!(made.id, link.id, "a fresh database numbers partners from 1");
    }
}

fn related_only() -> bool {
    std::env::var("LIAISON_BENCH_RELATED_ONLY").is_ok_and(|v| v == "1")
}

/// "Who else heard this" as a capture runs it, for big-guild team entries spread over the five
/// years, each looked up at the moment it was captured (its window the 180 days before): the
/// terms lookup, the rarity count, the scoring and the reading of the best candidates.
async fn related_section(store: &dyn Store, size: usize) -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml");
    let text = std::fs::read_to_string(&path).expect("the shipped config");
    let rules = liaison::config::Config::parse(&path, &text, None, None).expect("a valid config").rules;
    let mut rng = Rng(17);
    let mut entries = Vec::new();
    while entries.len() < QUERIES + WARM_UP {
        let id = EntryId(rng.range(1, size as i64 + 1));
        if let Some(e) = store.entry(BIG, id).await.expect("entry") {
            if e.share == Share::Team && e.created_at - corpus_start() > chrono::Duration::days(180) {
                entries.push(e);
            }
        }
    }
    let (warm, measured) = entries.split_at(WARM_UP);
    for e in warm {
        related(store, &rules, e, RELATED_WANTED, e.created_at).await.expect("related");
    }
    let mut times = Vec::with_capacity(QUERIES);
    let (mut found, mut shared) = (0, 0);
    for e in measured {
        let t = Instant::now();
        let list = related(store, &rules, e, RELATED_WANTED, e.created_at).await.expect("related");
        times.push(t.elapsed());
        found += list.len();
        shared += list.iter().map(|r| r.shared.len()).sum::<usize>();
    }
    let note = format!(
        "{:.2} listed per capture, {:.1} terms shared each",
        found as f64 / QUERIES as f64,
        shared as f64 / found.max(1) as f64
    );
    vec![Row { case: "related, a team entry of the big guild, at its capture".into(), times, note }]
}

/// When the data begins: an entry captured in its first 180 days has a shorter window.
fn corpus_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() - chrono::Duration::days(365 * YEARS)
}

async fn timeline_section(store: &dyn Store) -> Vec<Row> {
    let mut out = Vec::new();
    for (viewer, who) in
        [(None, "no viewer (an admin)"), (Some(VIEWER), "a member (others' private entries hidden)")]
    {
        for _ in 0..WARM_UP {
            store.partner_entries(BIG, HEAVY, viewer, 0, 5).await.expect("timeline");
        }
        let mut times = Vec::with_capacity(QUERIES);
        let mut total = 0;
        for _ in 0..QUERIES {
            let t = Instant::now();
            let page = store.partner_entries(BIG, HEAVY, viewer, 0, 5).await.expect("timeline");
            times.push(t.elapsed());
            total = page.total;
        }
        out.push(Row { case: format!("first page, {who}"), times, note: format!("total {total}") });
    }
    out
}

async fn writes(store: &dyn Store, corpus: &Corpus, rng: &mut Rng, size: usize) -> Row {
    let mut times = Vec::with_capacity(INSERTS);
    for i in 0..INSERTS {
        let mut e = corpus.entry(rng, size + i, size + INSERTS, Some(BIG));
        e.created_at = corpus.end + chrono::Duration::seconds(i as i64);
        e.occurred_at = e.created_at;
        let t = Instant::now();
        store.insert_entry(&e).await.expect("insert");
        times.push(t.elapsed());
    }
    Row { case: "insert_entry (one per commit, big guild)".into(), times, note: String::new() }
}

async fn digest_section(store: &dyn Store, corpus: &Corpus) -> Vec<Row> {
    let mut out = Vec::new();
    let mut rng = Rng(99);
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..WEEKS {
        let days = rng.range(7, 365 * YEARS);
        let end = corpus.end - chrono::Duration::days(days);
        let range = TimeRange::new(end - chrono::Duration::days(7), end);
        let t = Instant::now();
        let groups = store.entries_by_department(BIG, range).await.expect("week");
        times.push(t.elapsed());
        rows += groups.iter().map(|g| g.entries.len()).sum::<usize>();
    }
    let note = format!("{:.0} entries/week", rows as f64 / WEEKS as f64);
    out.push(Row { case: "entries_by_department, one week, big guild".into(), times, note });
    let mut times = Vec::new();
    for _ in 0..WEEKS {
        let t = Instant::now();
        store.last_heard(BIG).await.expect("last heard");
        times.push(t.elapsed());
    }
    out.push(Row { case: "last_heard, big guild".into(), times, note: String::new() });
    let mut times = Vec::new();
    for _ in 0..WEEKS {
        let end = corpus.end - chrono::Duration::days(rng.range(7, 365 * YEARS));
        let week = EntryFilter {
            occurred: Some(TimeRange::new(end - chrono::Duration::days(7), end)),
            department: None,
        };
        let t = Instant::now();
        for by in [CountBy::Department, CountBy::Channel, CountBy::Formality, CountBy::Author] {
            store.counts(BIG, &week, by).await.expect("counts");
        }
        times.push(t.elapsed());
    }
    out.push(Row {
        case: "counts, one week, by department + channel + formality + author".into(),
        times,
        note: String::new(),
    });
    out
}

/// p50 / p95 / p99 / max in ms, one cell.
fn cell(times: &[Duration]) -> String {
    let mut t = times.to_vec();
    t.sort();
    format!(
        "{:.2} / {:.2} / {:.2} / {:.1}",
        percentile(&t, 0.5),
        percentile(&t, 0.95),
        percentile(&t, 0.99),
        t.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    )
}

/// One size's results, the backends side by side: a column per backend, rows matched by case.
fn print_side_by_side(size: usize, reports: &[(&'static str, Report)]) {
    println!("\n## {size} entries\n");
    let names: Vec<&str> = reports.iter().map(|(name, _)| *name).collect();
    let mut steps: Vec<&str> = Vec::new();
    for (_, r) in reports {
        for (step, _) in &r.steps {
            if !steps.contains(&step.as_str()) {
                steps.push(step);
            }
        }
    }
    if !steps.is_empty() {
        println!("| step | {} |", names.join(" | "));
        println!("|---|{}", "---|".repeat(names.len()));
        for step in steps {
            let figures: Vec<String> = reports
                .iter()
                .map(|(_, r)| {
                    r.steps.iter().find(|(s, _)| s == step).map_or("–".to_string(), |(_, f)| f.clone())
                })
                .collect();
            println!("| {step} | {} |", figures.join(" | "));
        }
    }
    for title in [WRITES, RELATED, DIGEST, SEARCH, TIMELINE] {
        let sections: Vec<Option<&Vec<Row>>> = reports
            .iter()
            .map(|(_, r)| r.sections.iter().find(|(t, _)| *t == title).map(|(_, rows)| rows))
            .collect();
        let Some(first) = sections.iter().flatten().next() else { continue };
        println!("\n{title}\n");
        let columns: Vec<String> = names.iter().map(|n| format!("{n} p50 / p95 / p99 / max ms")).collect();
        println!("| case | {} | notes |", columns.join(" | "));
        println!("|---|{}---|", "---|".repeat(names.len()));
        for row in first.iter() {
            let found: Vec<Option<&Row>> = sections
                .iter()
                .map(|s| s.and_then(|rows| rows.iter().find(|r| r.case == row.case)))
                .collect();
            let cells: Vec<String> =
                found.iter().map(|r| r.map_or("–".to_string(), |r| cell(&r.times))).collect();
            let notes: Vec<(&str, &str)> = names
                .iter()
                .zip(&found)
                .filter_map(|(n, r)| r.filter(|r| !r.note.is_empty()).map(|r| (*n, r.note.as_str())))
                .collect();
            // One note when every backend says the same, else each backend's own.
            let note = if notes.windows(2).all(|w| w[0].1 == w[1].1) {
                notes.first().map_or(String::new(), |(_, n)| n.to_string())
            } else {
                notes.iter().map(|(b, n)| format!("{b}: {n}")).collect::<Vec<_>>().join("; ")
            };
            println!("| {} | {} | {note} |", row.case, cells.join(" | "));
        }
    }
}

async fn run(size: usize, dir: &Path, backends: &[Backend], alternatives: bool) {
    let corpus = Corpus::new();
    let mut qrng = Rng(1234);
    let all = cases(&corpus, &mut qrng, QUERIES);
    let mut reports = Vec::new();
    let mut targets = Vec::new();
    // One backend after the other, never both at once: on a shared 2-core machine they would
    // measure each other.
    for backend in backends {
        let (report, target) = measure(backend, size, dir, &corpus, &all).await;
        reports.push((backend.name(), report));
        targets.push(target);
    }
    print_side_by_side(size, &reports);
    if alternatives {
        if let Some(sqlite) = targets.iter().find(|t| t.sqlite_file.is_some()) {
            alternatives::run(&sqlite.url, &all).await;
        }
    }
    for target in targets {
        target.finish().await;
    }
}

mod alternatives {
    //! The designs not chosen, measured on the same data and queries (fewer of them: the slow ones
    //! take seconds per case). Raw SQL through a separate pool; ?1 MATCH, ?2 guild, ?3 department,
    //! ?4 and ?5 the range.

    use super::*;
    use sqlx::SqlitePool;

    fn hex(s: &str) -> String {
        s.bytes().map(|b| format!("{b:02x}")).collect()
    }

    fn words(q: &SearchQuery) -> String {
        let phrases: Vec<String> = q.terms.phrases.iter().map(|p| format!("\"{}\"", p.join(" "))).collect();
        format!("{{note tags}} : ({})", phrases.join(" "))
    }

    /// The scope as the brief's design has it: the department token, else the guild token.
    fn scoped(q: &SearchQuery, guild: GuildId) -> String {
        let g = guild.0;
        let facet = match &q.department {
            Some(d) => format!("{{facets}} : (\"g{g}d{}\")", hex(d.keys()[0].as_str())),
            None => format!("{{facets}} : (\"g{g}\")"),
        };
        format!("{facet} AND {}", words(q))
    }

    async fn time_sql(
        pool: &SqlitePool,
        name: &str,
        case: &Case,
        sql: &str,
        expr: impl Fn(&SearchQuery) -> String,
    ) -> Row {
        let queries: Vec<&SearchQuery> = case.queries.iter().take(ALTERNATIVE_QUERIES).collect();
        let mut times = Vec::new();
        for (i, q) in queries.iter().enumerate() {
            let (start, end) = q
                .occurred
                .map_or((i64::MIN, i64::MAX), |r| (r.start.timestamp_millis(), r.end.timestamp_millis()));
            let t = Instant::now();
            let rows: Vec<(i64,)> = sqlx::query_as(sql)
                .bind(expr(q))
                .bind(liaison::store::ids::guild(case.guild))
                .bind(q.department.as_ref().map(|d| d.keys()[0].as_str().to_string()))
                .bind(start)
                .bind(end)
                .fetch_all(pool)
                .await
                .expect(name);
            // The first two warm the cache.
            if i >= 2 {
                times.push(t.elapsed());
            }
            std::hint::black_box(rows);
        }
        Row { case: format!("{}: {name}", case.name), times, note: format!("{} queries", queries.len()) }
    }

    const NAIVE_FACETS: &str = "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?1 \
         AND (?2 OR 1) AND (?3 IS NULL OR 1) AND (?4 OR 1) AND (?5 OR 1) \
         ORDER BY bm25(entries_fts, 1.0, 2.0, 0.0) LIMIT 5";
    const NAIVE_JOIN: &str =
        "SELECT e.id FROM entries_fts CROSS JOIN entries AS e ON e.id = entries_fts.rowid \
         WHERE entries_fts MATCH ?1 AND e.guild_id = ?2 AND (?3 IS NULL OR e.department = ?3) \
         AND e.occurred_at >= ?4 AND e.occurred_at < ?5 \
         ORDER BY bm25(entries_fts, 1.0, 2.0, 0.0) LIMIT 5";
    const WINDOW_BM25: &str =
        "SELECT id FROM (SELECT e.id AS id, e.occurred_at AS at, bm25(entries_fts, 1.0, 2.0, 0.0) AS b \
         FROM entries_fts CROSS JOIN entries AS e ON e.id = entries_fts.rowid \
         WHERE entries_fts MATCH ?1 AND e.guild_id = ?2 AND (?3 IS NULL OR e.department = ?3) \
         AND e.occurred_at >= ?4 AND e.occurred_at < ?5 \
         ORDER BY entries_fts.rowid DESC LIMIT 1000) \
         ORDER BY -b / (1.0 + (unixepoch() * 1000.0 - at) / 86400000.0 / 365.0) DESC LIMIT 5";
    /// Only the window's fetch (no sample, ranking or page), to compare scopes.
    const WINDOW_FETCH: &str =
        "SELECT e.id FROM entries_fts CROSS JOIN entries AS e ON e.id = entries_fts.rowid \
         WHERE entries_fts MATCH ?1 AND e.guild_id = ?2 AND (?3 IS NULL OR e.department = ?3) \
         AND e.occurred_at >= ?4 AND e.occurred_at < ?5 ORDER BY entries_fts.rowid DESC LIMIT 1001";

    pub async fn run(url: &str, all: &[Case]) {
        let pool = SqlitePool::connect(url).await.expect("pool");
        header("### Alternatives (same data and queries)");
        for case in all.iter().filter(|c| !c.queries[0].terms.is_empty()) {
            let (dated, big) = (case.queries[0].occurred.is_some(), case.guild == BIG);
            let guild = case.guild;
            let with_scope = move |q: &SearchQuery| scoped(q, guild);
            if !dated {
                time_sql(
                    &pool,
                    "FTS5 bm25 over all matches, scope tokens in MATCH",
                    case,
                    NAIVE_FACETS,
                    with_scope,
                )
                .await
                .print();
                time_sql(
                    &pool,
                    "FTS5 bm25 over all matches, filters on the joined row",
                    case,
                    NAIVE_JOIN,
                    words,
                )
                .await
                .print();
                time_sql(&pool, "newest 1000 matches ranked by FTS5 bm25", case, WINDOW_BM25, with_scope)
                    .await
                    .print();
            }
            if !dated && case.queries[0].department.is_none() {
                time_sql(&pool, "window fetch only, guild token in MATCH", case, WINDOW_FETCH, with_scope)
                    .await
                    .print();
                time_sql(
                    &pool,
                    "window fetch only, guild checked on the row only",
                    case,
                    WINDOW_FETCH,
                    words,
                )
                .await
                .print();
            }
            if dated && big {
                time_sql(
                    &pool,
                    "window fetch only, no month tokens (range checked on the row only)",
                    case,
                    WINDOW_FETCH,
                    words,
                )
                .await
                .print();
            }
        }
        for k in [250, 500, 2000, 5000] {
            let sized = SqliteStore::connect(url).await.expect("connect").with_search_window(k);
            for case in
                all.iter().filter(|c| !c.queries[0].terms.is_empty() && c.queries[0].occurred.is_none())
            {
                let short = Case {
                    name: format!("{} (chosen design, window {k})", case.name),
                    guild: case.guild,
                    queries: case.queries.iter().take(ALTERNATIVE_QUERIES).cloned().collect(),
                };
                time_search(&sized, &short).await.print();
            }
            sized.close().await;
        }
        pool.close().await;
    }
}

fn main() {
    let sizes: Vec<usize> =
        std::env::args().skip(1).filter_map(|a| a.replace('_', "").parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![10_000, 100_000, 1_000_000] } else { sizes };
    let alternatives = std::env::var("LIAISON_BENCH_ALTERNATIVES").is_ok_and(|v| v == "1");
    // `LIAISON_BENCH_SQLITE=0` leaves SQLite out, to iterate on PostgreSQL alone.
    let mut backends = Vec::new();
    if !std::env::var("LIAISON_BENCH_SQLITE").is_ok_and(|v| v == "0") {
        backends.push(Backend::Sqlite);
    }
    if let Ok(admin_url) = std::env::var("LIAISON_BENCH_POSTGRES") {
        if !admin_url.trim().is_empty() {
            backends.push(Backend::Postgres { admin_url });
        }
    }
    let kept = std::env::var("LIAISON_BENCH_DIR").ok().map(PathBuf::from);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = kept.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let names: Vec<&str> = backends.iter().map(Backend::name).collect();
    println!(
        "# liaison store benchmark\n\nsizes {sizes:?}; backends {}; SQLite files in {}",
        names.join(", "),
        dir.display()
    );
    if let Some(Backend::Postgres { admin_url }) = backends.last() {
        println!("PostgreSQL: databases liaison_bench_<size> on {}", liaison::store::redacted(admin_url));
    }
    for size in sizes {
        runtime.block_on(run(size, &dir, &backends, alternatives));
    }
}
