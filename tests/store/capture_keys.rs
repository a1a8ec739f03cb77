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
