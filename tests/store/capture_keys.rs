//! One-time keys of capture forms: an entry saved under a key is saved once, whoever submits the
//! key again and however close together; keys are per guild, and forgotten after a day.

use chrono::Duration;
use liaison::domain::entry::{Entry, NewEntry};
use liaison::store::{CaptureKey, EntryFilter, Inserted, KEEP_CAPTURE_KEYS};

use crate::harness::Db;
use crate::{new, t, A, B};

crate::conformance!(
    a_key_saves_one_entry_and_names_it_when_submitted_again,
    two_submits_of_one_key_at_once_save_one_entry,
    a_key_is_forgotten_a_day_after_it_was_saved_and_not_before,
);

const KEY: CaptureKey = CaptureKey::new(0x5eed_cafe_0000_0001);

fn saved(inserted: Inserted) -> Entry {
    match inserted {
        Inserted::New(entry) => *entry,
        other => panic!("expected a new entry, got {other:?}"),
    }
}

async fn count(db: &Db, guild: liaison::domain::ids::GuildId) -> u64 {
    db.store.count_entries(guild, &EntryFilter::default()).await.expect("count")
}

async fn a_key_saves_one_entry_and_names_it_when_submitted_again(db: Db) {
    let first = saved(db.store.insert_entry_once(&new(A, "EEBO training"), KEY).await.expect("insert"));
    assert_eq!(db.store.entry(A, first.id).await.expect("read"), Some(first.clone()));
    // The same form again (its note edited in between, even): nothing written, the first named.
    let again = db.store.insert_entry_once(&new(A, "EEBO training, edited"), KEY).await.expect("insert");
    assert_eq!(again, Inserted::Already(first.id));
    assert_eq!(count(&db, A).await, 1);
    // Another form's key saves; the same key in another guild is that guild's own.
    let other = CaptureKey::new(0x5eed_cafe_0000_0002);
    saved(db.store.insert_entry_once(&new(A, "Another"), other).await.expect("insert"));
    saved(db.store.insert_entry_once(&new(B, "Elsewhere"), KEY).await.expect("insert"));
    assert_eq!((count(&db, A).await, count(&db, B).await), (2, 1));
}

async fn two_submits_of_one_key_at_once_save_one_entry(db: Db) {
    // Two stores on one database, as two requests (or two processes) would reach it.
    let other = db.open_again(None).await;
    for round in 0..10u64 {
        let key = CaptureKey::new(round);
        let entry = new(A, "double click");
        let (one, two) =
            tokio::join!(db.store.insert_entry_once(&entry, key), other.insert_entry_once(&entry, key));
        let (one, two) = (one.expect("first submit"), two.expect("second submit"));
        let ids = match (&one, &two) {
            (Inserted::New(e), Inserted::Already(id)) | (Inserted::Already(id), Inserted::New(e)) => {
                (e.id, *id)
            }
            _ => panic!("expected one saved and one already saved, got {one:?} and {two:?}"),
        };
        assert_eq!(ids.0, ids.1);
        assert_eq!(count(&db, A).await, round + 1);
    }
}

async fn a_key_is_forgotten_a_day_after_it_was_saved_and_not_before(db: Db) {
    let at = |d| NewEntry { created_at: d, ..new(A, "note") };
    let first = saved(db.store.insert_entry_once(&at(t(2, 10)), KEY).await.expect("insert"));
    // A save exactly a day later keeps it...
    let day_later = t(2, 10) + KEEP_CAPTURE_KEYS;
    saved(db.store.insert_entry_once(&at(day_later), CaptureKey::new(7)).await.expect("insert"));
    let again = db.store.insert_entry_once(&at(day_later), KEY).await.expect("insert");
    assert_eq!(again, Inserted::Already(first.id));
    // ...a save a second past that prunes it, and the key then saves anew.
    let past = day_later + Duration::seconds(1);
    saved(db.store.insert_entry_once(&at(past), CaptureKey::new(8)).await.expect("insert"));
    let anew = saved(db.store.insert_entry_once(&at(past), KEY).await.expect("insert"));
    assert_ne!(anew.id, first.id);
}

/// PostgreSQL's race, made to happen: the other submit's key is written but not committed when
/// this one checks, so this one passes the check, stores its entry, and meets the key on insert. It
/// waits for the other to commit, then drops its own entry and names the other's. (SQLite's writes
/// are serialised by `BEGIN IMMEDIATE`; its check cannot be raced.)
#[tokio::test]
#[cfg_attr(not(liaison_postgres_tests), ignore = "needs a PostgreSQL server: set TEST_DATABASE_URL")]
async fn postgres_a_submit_that_races_past_the_check_names_the_first_and_saves_nothing() {
    crate::harness::run(crate::harness::Backend::Postgres, |db| async move {
        use sqlx::Connection;
        let first = db.add(new(A, "the first submit")).await;
        let mut conn = sqlx::PgConnection::connect(&db.url).await.expect("connect");
        let mut in_flight = conn.begin().await.expect("begin");
        sqlx::query(
            "INSERT INTO capture_keys (guild_id, key, entry_id, created_at) VALUES ($1, $2, $3, now())",
        )
        .bind(liaison::store::ids::guild(A))
        .bind(KEY.to_string())
        .bind(first.id.0)
        .execute(&mut *in_flight)
        .await
        .expect("the first submit's key");
        let store = db.store.clone();
        let second = tokio::spawn(async move { store.insert_entry_once(&new(A, "the second"), KEY).await });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!second.is_finished(), "the second submit waits for the first");
        in_flight.commit().await.expect("commit");
        let second = second.await.expect("joined").expect("insert");
        assert_eq!(second, Inserted::Already(first.id));
        assert_eq!(count(&db, A).await, 1, "the second's entry rolled back");
    })
    .await;
}
