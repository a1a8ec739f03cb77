//! Scaling out: several schedulers (as several bot processes would run) on one database, and an
//! existing SQLite database moved into PostgreSQL with `liaison export` and `liaison import`.
//! The schedulers run on both backends (see `tests/store/harness.rs`); posts go to the fake
//! Discord on 127.0.0.1, which counts them.

mod support;
// Shared with the store suite, which uses more of it.
#[allow(dead_code)]
#[path = "store/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use tokio::sync::Barrier;

use harness::Db;
use liaison::config::Config;
use liaison::digest::Schedule;
use liaison::discord::post::DiscordPoster;
use liaison::domain::digest_settings::DigestSettings;
use liaison::domain::ids::GuildId;
use liaison::domain::privacy::Share;
use liaison::service::digest_runs::{run_due, Outcome};
use support::fake_discord::FakeDiscord;

const TOKEN: &str = "test-token.abc";
const SCHEDULERS: usize = 3;
const GUILDS: u64 = 4;
const WEEKS: i64 = 12;

fn shipped_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml")
}

conformance!(several_schedulers_on_one_database_post_every_period_exactly_once);

/// Three schedulers, each with its own store (its own connections), step together through twelve
/// weeks of a fixed clock: at every tick all three ask `run_due` at the same instant, so each
/// period's claim is contended. Every guild's every week must reach Discord once, and be
/// recorded as sent with the message Discord returned.
async fn several_schedulers_on_one_database_post_every_period_exactly_once(db: Db) {
    let fake = FakeDiscord::start(TOKEN).await;
    let config = Arc::new(Config::load(&shipped_config()).unwrap());
    let first_due = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap(); // a Monday, 09:00 in London (GMT)
    let schedule = Schedule {
        weekday: Weekday::Mon,
        time: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        timezone: chrono_tz::Europe::London,
    };
    let guilds: Vec<GuildId> = (1..=GUILDS).map(|g| GuildId(1_000 + g)).collect();
    for (i, guild) in guilds.iter().enumerate() {
        let settings = DigestSettings {
            guild: *guild,
            channel: 600 + i as u64,
            weekday: schedule.weekday,
            time: schedule.time,
            timezone: schedule.timezone,
            enabled: true,
            post_empty_weeks: true,
            problem: None,
        };
        db.store.save_digest_settings(&settings, first_due - Duration::days(30)).await.unwrap();
    }
    // At the due minute, a minute later, and in the small hours between posts.
    let ticks: Vec<_> = (0..WEEKS)
        .flat_map(|w| {
            let due = schedule.latest_due(first_due + Duration::weeks(w) + Duration::seconds(1)).due_at;
            [due, due + Duration::seconds(40), due + Duration::minutes(1), due + Duration::days(3)]
        })
        .collect();

    let barrier = Arc::new(Barrier::new(SCHEDULERS));
    let mut schedulers = Vec::new();
    for _ in 0..SCHEDULERS {
        let (store, config, barrier, ticks) =
            (db.open_again(None).await, config.clone(), barrier.clone(), ticks.clone());
        let poster = DiscordPoster(Arc::new(fake.http()));
        schedulers.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for now in ticks {
                barrier.wait().await;
                outcomes.extend(run_due(store.as_ref(), &config, &poster, now).await.expect("run_due"));
            }
            store.close().await;
            outcomes
        }));
    }
    let mut outcomes = Vec::new();
    for s in schedulers {
        outcomes.extend(s.await.expect("a scheduler"));
    }

    let posted = outcomes.iter().filter(|o| matches!(o, Outcome::Posted { .. })).count();
    assert_eq!(posted, GUILDS as usize * WEEKS as usize, "one post per guild and week: {outcomes:?}");
    assert!(
        outcomes.iter().all(|o| matches!(o, Outcome::Posted { .. } | Outcome::AlreadyTaken { .. })),
        "{outcomes:?}"
    );
    for (i, guild) in guilds.iter().enumerate() {
        let channel = format!("/channels/{}/messages", 600 + i);
        let requests = fake.requests_matching("POST", &channel);
        assert_eq!(requests.len(), WEEKS as usize, "guild {guild}: each week reached Discord once");
        let mut titles: Vec<String> = requests
            .iter()
            .map(|r| r.payload().unwrap()["embeds"][0]["title"].as_str().unwrap().to_string())
            .collect();
        titles.sort();
        titles.dedup();
        assert_eq!(titles.len(), WEEKS as usize, "twelve different weeks, none twice: {titles:?}");
        for w in 0..WEEKS {
            let period_start: NaiveDate = (first_due + Duration::weeks(w) - Duration::days(7)).date_naive();
            let run = db.store.digest_run(*guild, period_start).await.unwrap().expect("claimed");
            assert!(run.sent_at.is_some(), "guild {guild}, week of {period_start}: sent");
            assert_eq!(run.message_ids.len(), 1);
        }
    }
}

/// The README's way from SQLite to PostgreSQL, run as a user would: `liaison export` from the
/// SQLite file, one file per guild, then `liaison import` into PostgreSQL. A thousand entries
/// (with follow-ups, tags and redactions) arrive with their ids, and exporting them again from
/// PostgreSQL gives the same bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(liaison_postgres_tests), ignore = "needs a PostgreSQL server: set TEST_DATABASE_URL")]
async fn an_existing_sqlite_database_moves_to_postgres_with_export_and_import() {
    use liaison::domain::entry::Author;
    use liaison::domain::ids::UserId;
    use liaison::service::capture::{capture, CaptureRequest};

    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}", dir.path().join("liaison.db").display());
    let config = Config::load(&shipped_config()).unwrap();
    let sqlite = liaison::store::connect(&sqlite_url).await.unwrap();
    let guilds = [GuildId(11), GuildId(u64::MAX)];
    let departments: Vec<_> = config.rules.departments.iter().cloned().collect();
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
    for i in 0..1000u64 {
        let request = CaptureRequest {
            also_departments: Vec::new(),
            partners: Vec::new(),
            guild: guilds[(i % 3 == 0) as usize],
            author: Author { id: UserId(100 + i % 7), name: format!("Librarian {}", i % 7) },
            department: departments[i as usize % departments.len()].clone(),
            channel: Some(
                config
                    .rules
                    .channels
                    .resolve(["desk", "coffee", "email", "research-seminar"][i as usize % 4])
                    .unwrap()
                    .clone(),
            ),
            note: format!(
                "Note {i}: students asked about EEBO and reading lists; call 01632 960{:03}",
                i % 1000
            ),
            tags: Some(["eebo", "reading-lists, training", "", "open-access"][i as usize % 4].into()),
            when: Some(format!("{} days ago", i % 200)),
            follow_up: (i % 10 == 0).then(|| "in 7 days".to_string()),
            source: None,
            share: Share::default(),
        };
        capture(sqlite.as_ref(), &config.rules, request, now).await.unwrap();
    }
    sqlite.close().await;

    let server = harness::TestDatabase::create().await;
    let liaison = |database: &str, guild: GuildId, args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .args(["--config", &shipped_config().display().to_string(), "--database", database])
            .args(["--guild", &guild.0.to_string()])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let mut moved = 0;
    for guild in guilds {
        let file = dir.path().join(format!("guild-{}.csv", guild.0));
        let out = dir.path().join(format!("guild-{}-again.csv", guild.0));
        let file_arg = file.display().to_string();
        let out_arg = out.display().to_string();
        liaison(&sqlite_url, guild, &["export", "--format", "csv", "--output", &file_arg]);
        let said = liaison(&server.url, guild, &["import", &file_arg]);
        let count: usize = said.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect(&said);
        moved += count;
        liaison(&server.url, guild, &["export", "--format", "csv", "--output", &out_arg]);
        assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&out).unwrap(), "guild {guild}: same bytes");
    }
    assert_eq!(moved, 1000);
    // And it is searchable there, with the same ids.
    let found = liaison(&server.url, guilds[1], &["search", "EEBO", "--json"]);
    assert!(found.contains("\"id\""), "{found}");
    server.drop_database().await;
}
