//! "Who else heard this" on a corpus of real-looking notes (`tests/corpus/notes.tsv`: what a
//! library's liaison librarians and desk staff wrote over six months), captured through the capture
//! service into a real store, SQLite and (with `TEST_DATABASE_URL`) PostgreSQL. Every pair in
//! `tests/corpus/pairs.tsv` is checked: `must` pairs are found related, `never` pairs are not,
//! though each shares words a careless matcher would take. The threshold those pairs test is
//! `service::related::score::THRESHOLD`.

#[path = "store/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};

use harness::Db;
use liaison::config::Config;
use liaison::domain::entry::{Author, Entry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::privacy::Share;
use liaison::domain::rules::Rules;
use liaison::domain::tag::parse_tag_list;
use liaison::domain::terms::of_entry;
use liaison::service::capture::{capture, CaptureRequest};
use liaison::service::related::related;

const GUILD: GuildId = GuildId(7);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap()
}

fn rules() -> Rules {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml");
    let text = std::fs::read_to_string(&path).expect("the shipped config");
    Config::parse(&path, &text, None, None).expect("a valid config").rules
}

/// One line of notes.tsv.
struct Note {
    key: String,
    author: String,
    department: String,
    channel: String,
    days_ago: i64,
    share: Share,
    tags: String,
    text: String,
}

fn rows(file: &str) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(file);
    std::fs::read_to_string(&path)
        .expect("the corpus")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn notes() -> Vec<Note> {
    rows("notes.tsv")
        .into_iter()
        .map(|r| {
            assert_eq!(r.len(), 8, "{r:?}");
            Note {
                key: r[0].clone(),
                author: r[1].clone(),
                department: r[2].clone(),
                channel: r[3].clone(),
                days_ago: r[4].parse().expect("days ago"),
                share: if r[5] == "private" { Share::Private } else { Share::Team },
                tags: r[6].clone(),
                text: r[7].clone(),
            }
        })
        .collect()
}

/// (must, note, other)
fn pairs() -> Vec<(bool, String, String)> {
    rows("pairs.tsv")
        .into_iter()
        .map(|r| {
            assert!(r[0] == "must" || r[0] == "never", "{r:?}");
            (r[0] == "must", r[1].clone(), r[2].clone())
        })
        .collect()
}

/// The corpus captured as its authors would have, each on its day; the entries by key.
async fn load(db: &Db, rules: &Rules) -> HashMap<String, Entry> {
    let mut authors: Vec<String> = Vec::new();
    let mut entries = HashMap::new();
    for note in notes() {
        let author = match authors.iter().position(|a| *a == note.author) {
            Some(i) => i,
            None => {
                authors.push(note.author.clone());
                authors.len() - 1
            }
        };
        let day = (now() - Duration::days(note.days_ago)).date_naive();
        let request = CaptureRequest {
            guild: GUILD,
            author: Author { id: UserId(1_000 + author as u64), name: note.author.clone() },
            department: rules.departments.resolve(&note.department).expect("a department").clone(),
            also_departments: Vec::new(),
            partners: Vec::new(),
            channel: Some(rules.channels.resolve(&note.channel).expect("a channel").clone()),
            note: note.text.clone(),
            tags: Some(note.tags.clone()),
            when: (note.days_ago > 0).then(|| day.format("%Y-%m-%d").to_string()),
            follow_up: None,
            source: None,
            share: note.share,
        };
        let entry = capture(db.store.as_ref(), rules, request, now()).await.expect("captured");
        assert!(entries.insert(note.key.clone(), entry).is_none(), "{} twice", note.key);
    }
    entries
}

#[test]
fn the_corpus_is_big_varied_and_its_pairs_are_fair() {
    let notes = notes();
    assert!(notes.len() >= 300, "{} notes", notes.len());
    let authors: HashSet<&str> = notes.iter().map(|n| n.author.as_str()).collect();
    let departments: HashSet<&str> = notes.iter().map(|n| n.department.as_str()).collect();
    assert!(authors.len() >= 10 && departments.len() >= 20, "{authors:?} {departments:?}");
    let by_key: HashMap<&str, &Note> = notes.iter().map(|n| (n.key.as_str(), n)).collect();
    let terms = |n: &Note| -> HashSet<String> {
        let tags = parse_tag_list(&n.tags).expect("tags");
        of_entry(&n.text, &tags).into_iter().map(|w| w.term.as_str().to_string()).collect()
    };
    for (must, a, b) in pairs() {
        let (a, b) = (by_key[a.as_str()], by_key[b.as_str()]);
        if must {
            // Another person's team entry: what "who else heard this" may list at all.
            assert!(a.author != b.author && b.share == Share::Team, "{} / {}", a.key, b.key);
        } else {
            // A must-not pair that shares nothing would pass whatever the threshold.
            let shared = terms(a).intersection(&terms(b)).count();
            assert!(shared >= 2, "{} and {} share {shared} terms: not tempting", a.key, b.key);
        }
    }
}

async fn every_pair_is_or_is_not_related_as_the_corpus_says(db: Db) {
    let rules = rules();
    let entries = load(&db, &rules).await;
    let key_of: HashMap<EntryId, &str> = entries.iter().map(|(k, e)| (e.id, k.as_str())).collect();
    let mut wrong = Vec::new();
    for (must, a, b) in pairs() {
        // Deep enough that only the threshold decides, not the number listed.
        let found = related(db.store.as_ref(), &rules, &entries[&a], 50, now()).await.expect("looked up");
        let hit = found.iter().find(|r| r.entry.id == entries[&b].id);
        if must != hit.is_some() {
            let listed: Vec<(&str, &[String])> =
                found.iter().map(|r| (key_of[&r.entry.id], r.shared.as_slice())).collect();
            wrong.push(format!("{} {a} -> {b}: listed {listed:?}", if must { "must" } else { "never" }));
        }
        if let Some(hit) = hit {
            assert!(!hit.shared.is_empty(), "{a} -> {b} says why");
        }
    }
    assert!(wrong.is_empty(), "{} pairs wrong:\n{}", wrong.len(), wrong.join("\n"));
}

async fn nobody_is_shown_a_private_entry_or_their_own(db: Db) {
    let rules = rules();
    let entries = load(&db, &rules).await;
    let mut listed = 0;
    for entry in entries.values() {
        let found = related(db.store.as_ref(), &rules, entry, 50, now()).await.expect("looked up");
        for r in &found {
            assert_eq!(r.entry.share, Share::Team, "{}", r.entry.id);
            assert_ne!(r.entry.author.id, entry.author.id, "{}", r.entry.id);
            assert_ne!(r.entry.id, entry.id);
        }
        // Best first: each reason list is the new note's own words.
        let words: HashSet<String> =
            of_entry(entry.note.as_str(), &entry.tags).into_iter().map(|w| w.shown).collect();
        for r in &found {
            assert!(r.shared.iter().all(|s| words.contains(s)), "{:?} in {:?}", r.shared, words);
        }
        listed += found.len();
    }
    // The threshold keeps noise out but still connects: most notes have someone, none has all.
    let average = listed as f64 / entries.len() as f64;
    assert!((1.0..12.0).contains(&average), "{average} related per note");
}

conformance!(
    every_pair_is_or_is_not_related_as_the_corpus_says,
    nobody_is_shown_a_private_entry_or_their_own
);
