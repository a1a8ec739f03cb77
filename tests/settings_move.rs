//! A server's settings moved by the service `settings export` and `import` use, from a SQLite
//! database into a fresh one of each backend (PostgreSQL with `TEST_DATABASE_URL`): what is read
//! back is what was moved, and moving it again changes nothing.

#[path = "store/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::path::Path;

use chrono::{DateTime, NaiveTime, TimeZone, Utc, Weekday};

use harness::Db;
use liaison::config::Config;
use liaison::domain::digest_settings::DigestSettings;
use liaison::domain::ids::{GuildId, UserId};
use liaison::domain::privacy::{PrivacyAction, PrivacyActionKind, PrivacySettings};
use liaison::service::settings_moves::{apply, plan, read};
use liaison::store::{Backoff, Store};

const GUILD: GuildId = GuildId(7);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap()
}

fn config() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml");
    let text = std::fs::read_to_string(&path).expect("the shipped config");
    Config::parse(&path, &text, None, None).expect("a valid config")
}

/// Everything a move carries, set as the bot would set it.
async fn set_up(store: &dyn Store, config: &Config) {
    let digest = DigestSettings {
        guild: GUILD,
        channel: 555,
        weekday: Weekday::Tue,
        time: NaiveTime::from_hms_opt(8, 45, 0).unwrap(),
        timezone: chrono_tz::Europe::Dublin,
        enabled: true,
        post_empty_weeks: false,
        problem: None,
    };
    store.save_digest_settings(&digest, now()).await.unwrap();
    let week = liaison::service::settings::schedule(&digest).latest_due(now()).period_start;
    assert!(store
        .claim_digest(GUILD, week, now(), chrono::Duration::minutes(10), Backoff::Honour)
        .await
        .unwrap());
    store.mark_digest_sent(GUILD, week, &[31, 32, 33], now()).await.unwrap();
    let privacy =
        PrivacySettings { note_days: Some(30), excerpts: false, ..PrivacySettings::defaults(GUILD) };
    store.save_privacy_settings(&privacy, now()).await.unwrap();
    store.set_keeps_impact_past_retention(GUILD, false, now()).await.unwrap();
    let catalogue = &config.rules.departments;
    let (law, music) = (catalogue.resolve("Law").unwrap().key(), catalogue.resolve("Music").unwrap().key());
    store.set_department_served(GUILD, music, Some(false), now()).await.unwrap();
    for user in [9, 3] {
        store.add_liaison(GUILD, law, UserId(user)).await.unwrap();
    }
    store.save_guild_locale(GUILD, "en-IE", now()).await.unwrap();
    for (days, kind, entries) in [(40, PrivacyActionKind::Expire, 12), (3, PrivacyActionKind::EraseText, 2)] {
        let action = PrivacyAction {
            guild: GUILD,
            at: now() - chrono::Duration::days(days),
            by: "the bot".into(),
            kind,
            entries,
        };
        store.record_privacy_action(&action).await.unwrap();
    }
}

async fn everything_moves_and_a_second_move_changes_nothing(db: Db) {
    let config = config();
    let dir = tempfile::tempdir().unwrap();
    let old =
        liaison::store::connect(&format!("sqlite://{}", dir.path().join("old.db").display())).await.unwrap();
    set_up(old.as_ref(), &config).await;
    let moved = read(old.as_ref(), GUILD, now()).await.unwrap();
    assert_eq!(moved.digests_sent.len(), 1);
    assert_eq!(moved.privacy_log.len(), 2);

    let first = plan(db.store.as_ref(), &moved, now()).await.unwrap();
    assert!(!first.is_empty());
    apply(db.store.as_ref(), &first, now()).await.unwrap();
    assert_eq!(read(db.store.as_ref(), GUILD, now()).await.unwrap(), moved);

    let second = plan(db.store.as_ref(), &moved, now()).await.unwrap();
    assert!(second.is_empty(), "{:?}", second.changes);
    apply(db.store.as_ref(), &second, now()).await.unwrap();
    assert_eq!(db.store.privacy_log(Some(GUILD), 100).await.unwrap().len(), 2);
}

async fn a_move_replaces_the_settings_the_target_had(db: Db) {
    let config = config();
    set_up(db.store.as_ref(), &config).await;
    let dir = tempfile::tempdir().unwrap();
    let old =
        liaison::store::connect(&format!("sqlite://{}", dir.path().join("old.db").display())).await.unwrap();
    let catalogue = &config.rules.departments;
    let history = catalogue.resolve("History").unwrap().key();
    old.add_liaison(GUILD, history, UserId(5)).await.unwrap();
    let moved = read(old.as_ref(), GUILD, now()).await.unwrap();

    let p = plan(db.store.as_ref(), &moved, now()).await.unwrap();
    let fields: Vec<&str> = p.changes.iter().map(|c| c.field.as_str()).collect();
    assert!(
        fields.contains(&"departments.Law.liaisons") && fields.contains(&"privacy.note_days"),
        "{fields:?}"
    );
    apply(db.store.as_ref(), &p, now()).await.unwrap();
    let here = read(db.store.as_ref(), GUILD, now()).await.unwrap();
    assert_eq!(here.liaisons, moved.liaisons);
    assert_eq!(here.departments_served, Vec::new());
    assert_eq!(here.privacy, PrivacySettings::defaults(GUILD));
    assert!(here.keep_impact_past_retention);
    // What the file does not have is kept: the digest, the locale, the record of what was done.
    assert_eq!(here.locale.as_deref(), Some("en-IE"));
    assert_eq!(here.digest.map(|d| d.channel), Some(555));
    assert_eq!(here.privacy_log.len(), 2);
}

conformance!(everything_moves_and_a_second_move_changes_nothing, a_move_replaces_the_settings_the_target_had);
