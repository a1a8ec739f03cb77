//! A report counts its entries as it writes them (`service::report::tally`) rather than asking the
//! store: its numbers must be the store's counts of the same filter (`Store::counts`, what `/stats`
//! shows), whether the period is read in one walk or in two halves, with entries under several
//! departments, private ones, another guild's, and months split in the guild's timezone.

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use liaison::config::Config;
use liaison::domain::entry::NewEntry;
use liaison::domain::period::Period;
use liaison::domain::privacy::Share;
use liaison::domain::rules::Rules;
use liaison::domain::stats::CountBy;
use liaison::domain::time_range::TimeRange;
use liaison::service::report::{self, entries_csv, Format, Plan, ReportRequest};
use liaison::store::EntryFilter;

use crate::harness::Db;
use crate::{channel, department, filed_under, new, A, B};

crate::conformance!(a_report_counts_its_entries_as_the_store_counts_them);

fn rules() -> Rules {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml");
    let text = std::fs::read_to_string(&path).expect("the shipped config");
    Config::parse(&path, &text, None, None).expect("a valid config").rules
}

fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0).unwrap()
}

async fn a_report_counts_its_entries_as_the_store_counts_them(db: Db) {
    let entry = |own: &str, others: &[&str], channel_key: &str, when: DateTime<Utc>| NewEntry {
        department: department(own),
        also_departments: others.iter().map(|d| department(d)).collect(),
        channel: channel(channel_key),
        occurred_at: when,
        created_at: when,
        ..new(A, "heard something")
    };
    let spread = [
        entry("History", &["Physics"], "coffee", at(9, 1, 9, 0)),
        entry("Physics", &[], "desk", at(9, 12, 14, 0)),
        // 00:30 on 1 October in London: October's, though September's in UTC.
        entry("Art", &["History"], "coffee", at(9, 30, 23, 30)),
        entry("History", &[], "email", at(10, 15, 10, 0)),
        entry("Physics", &["Art", "History"], "coffee", at(10, 31, 23, 59)),
        entry("History", &[], "desk", at(11, 2, 8, 0)),
        entry("Art", &[], "desk", at(11, 29, 16, 0)),
    ];
    for e in spread {
        db.add(e).await;
    }
    db.add(NewEntry { share: Share::Private, ..entry("Physics", &["History"], "coffee", at(11, 3, 12, 0)) })
        .await;
    // Outside the report: before its days, and another guild's.
    db.add(entry("History", &[], "desk", at(8, 31, 22, 0))).await;
    db.add(NewEntry { guild: B, ..entry("History", &["Art"], "coffee", at(10, 1, 12, 0)) }).await;

    let rules = rules();
    let request = ReportRequest {
        guild: A,
        period: Period::Dates {
            since: NaiveDate::from_ymd_opt(2026, 9, 1),
            until: NaiveDate::from_ymd_opt(2026, 11, 30),
        },
        department: None,
        partner: None,
        format: Format::Csv,
    };
    let guild = report::plan(db.store.as_ref(), &rules, &request, at(12, 1, 12, 0)).await.expect("plan");
    let physics = Plan {
        filter: EntryFilter { department: filed_under(&["Physics"]), ..guild.filter.clone() },
        ..guild.clone()
    };
    let months = [(9, 30), (10, 31), (11, 30)].map(|(month, last)| {
        let day = |d| NaiveDate::from_ymd_opt(2026, month, d).unwrap();
        TimeRange::days(&rules.timezone, day(1), day(last))
    });

    for (plan, total) in [(&guild, 8), (&physics, 4)] {
        let store = db.store.as_ref();
        let counted = |filter: EntryFilter, by: CountBy| async move {
            let counts = store.counts(A, &filter, by).await.expect("counts");
            counts.into_iter().map(|c| (c.key, c.count)).collect::<Vec<_>>()
        };
        let formality = |counts: &[(String, u64)], key: &str| {
            counts.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n)
        };
        let by_formality = counted(plan.filter.clone(), CountBy::Formality).await;
        let by_department = counted(plan.filter.clone(), CountBy::Department).await;
        let by_channel = counted(plan.filter.clone(), CountBy::Channel).await;
        let mut by_month = Vec::new();
        for days in months {
            let counts =
                counted(EntryFilter { occurred: Some(days), ..plan.filter.clone() }, CountBy::Formality)
                    .await;
            by_month.push((formality(&counts, "formal"), formality(&counts, "informal")));
        }

        for split_from in [0, u64::MAX] {
            let why = format!("{:?}, split from {split_from}", plan.filter.department);
            let mut csv = Vec::new();
            let tally = entries_csv::write_split_from(store, &rules, plan, &mut csv, &mut |_| {}, split_from)
                .await
                .expect("written");
            let counts = tally.counts(&rules);
            assert_eq!(counts.total, total, "{why}");
            assert_eq!(counts.total, store.count_entries(A, &plan.filter).await.unwrap(), "{why}");
            assert_eq!(counts.informal, formality(&by_formality, "informal"), "{why}");
            assert_eq!(counts.total - counts.informal, formality(&by_formality, "formal"), "{why}");
            let keys = |list: &[liaison::domain::stats::Count]| {
                list.iter().map(|c| (c.key.clone(), c.count)).collect::<Vec<_>>()
            };
            assert_eq!(keys(&counts.by_department), by_department, "{why}");
            assert_eq!(keys(&counts.by_channel), by_channel, "{why}");
            let months: Vec<(u32, u64, u64)> = counts
                .months
                .iter()
                .map(|m| (chrono::Datelike::month(&m.month), m.formal, m.informal))
                .collect();
            let expected: Vec<(u32, u64, u64)> =
                [9, 10, 11].into_iter().zip(&by_month).map(|(m, (f, i))| (m, *f, *i)).collect();
            assert_eq!(months, expected, "{why}");
        }
    }
}
