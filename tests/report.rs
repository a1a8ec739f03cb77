//! A report's entries file, read in two halves at once (`service::report::entries_csv`) once a
//! period holds enough entries: still every entry of the period once, oldest first, with the
//! progress counting all of them. Real SQLite in a temp dir.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use tempfile::TempDir;

use liaison::config::Config;
use liaison::domain::entry::{Author, Entry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::Note;
use liaison::domain::period::Period;
use liaison::domain::privacy::Share;
use liaison::service::record::column;
use liaison::service::report::{self, entries_csv, Format, ReportRequest};

const GUILD: GuildId = GuildId(7);

#[tokio::test]
async fn a_long_period_read_in_halves_is_every_entry_once_oldest_first() {
    let dir = TempDir::new().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
    let store = liaison::store::connect(&url).await.expect("connect");
    let store = store.as_ref();
    let text = include_str!("../config/liaison.toml");
    let rules =
        Config::parse(Path::new("config/liaison.toml"), text, None, None).expect("the shipped config").rules;

    // Two a day through 2025 and into 2026; ids are not in time order (every third entry was
    // imported late, dated earlier), so the file's order can only come from the dates.
    let start = Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).single().expect("an instant");
    let n: i64 = 1_000;
    let entries: Vec<Entry> = (0..n)
        .map(|i| {
            let at = if i % 3 == 0 {
                start + Duration::hours(12 * (n - i))
            } else {
                start + Duration::hours(12 * i)
            };
            Entry {
                id: EntryId(i + 1),
                guild: GUILD,
                author: Author { id: UserId(1 + (i % 5) as u64), name: format!("Librarian {}", i % 5) },
                department: "history".into(),
                also_departments: Vec::new(),
                partners: Vec::new(),
                channel: "coffee".into(),
                informal: true,
                note: Note::parse(&format!("note {i}")).expect("a note"),
                tags: Vec::new(),
                occurred_at: at,
                created_at: at,
                updated_at: None,
                follow_up: None,
                source: None,
                redactions: 0,
                share: Share::Team,
                expired_at: None,
            }
        })
        .collect();
    store.import_entries(&entries).await.expect("import");

    let request = ReportRequest {
        guild: GUILD,
        period: Period::Dates {
            since: NaiveDate::from_ymd_opt(2025, 1, 1),
            until: NaiveDate::from_ymd_opt(2025, 12, 31),
        },
        department: None,
        partner: None,
        format: Format::Csv,
    };
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).single().expect("an instant");
    let plan = report::plan(store, &rules, &request, now).await.expect("plan");
    let in_2025: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.occurred_at < Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap())
        .collect();
    assert_eq!(plan.total, in_2025.len() as u64);

    for split_from in [0, u64::MAX] {
        let mut csv = Vec::new();
        let seen = AtomicU64::new(0);
        let written = entries_csv::write_split_from(
            store,
            &rules,
            &plan,
            &mut csv,
            &mut |n| seen.store(n, Ordering::Relaxed),
            split_from,
        )
        .await
        .expect("written");
        assert_eq!(written.total(), plan.total, "split from {split_from}");
        assert_eq!(seen.load(Ordering::Relaxed), plan.total, "the progress counts both halves");
        let text = String::from_utf8(csv).expect("utf-8");
        let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
        let ids: Vec<i64> = rows.iter().map(|r| r[column::ID].parse().expect("an id")).collect();
        let mut expected: Vec<&Entry> = in_2025.clone();
        expected.sort_by_key(|e| (e.occurred_at, e.id));
        assert_eq!(ids, expected.iter().map(|e| e.id.0).collect::<Vec<_>>(), "split from {split_from}");
    }
}
