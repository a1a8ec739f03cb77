//! What only SQLite has: a WAL file beside the database and its fate when the process is killed.
//! PostgreSQL's durability is the server's, not ours to test.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use liaison::domain::entry::NewEntry;
use liaison::domain::ids::EntryId;
use liaison::store::sqlite::SqliteStore;
use liaison::store::{EntryStore, SearchStore};

use crate::harness::{run, Backend, Db};
use crate::{department, entry_ids, ids, new, now, q, t, A};

/// PostgreSQL cannot hold a time chrono cannot read back (its driver panics on one, so none is
/// ever written); SQLite's integer column can, after a hand edit.
#[tokio::test]
async fn a_time_out_of_range_leaves_its_entry_out_of_listings_and_the_last_heard() {
    run(Backend::Sqlite, a_time_out_of_range).await;
}

async fn a_time_out_of_range(db: Db) {
    use liaison::domain::time_range::TimeRange;
    use liaison::store::{EntryFilter, StoreError};
    let fine = db.add(new(A, "eebo fine")).await;
    let bad = db.add(NewEntry { department: department("Physics"), ..new(A, "eebo out of range") }).await;
    db.write_behind(&format!("UPDATE entries SET occurred_at = {} WHERE id = {}", i64::MAX, bad.id.0)).await;
    assert!(matches!(db.store.entry(A, bad.id).await, Err(StoreError::Corrupt { id, .. }) if id == bad.id.0));
    assert_eq!(ids(&db.search(A, &q("eebo")).await), vec![fine.id]);
    let all = db.store.entries_after(A, &EntryFilter::default(), None, 10).await.expect("entries_after");
    assert_eq!(entry_ids(&all), vec![fine.id]);
    let heard = db.store.last_heard(A).await.expect("last_heard");
    assert_eq!(heard.iter().map(|l| l.department.as_str()).collect::<Vec<_>>(), vec!["History"]);
    let everything = TimeRange::new(t(1, 0), t(30, 0));
    assert_eq!(db.store.entries_by_department(A, everything).await.expect("week").len(), 1);
}

#[tokio::test]
async fn the_wal_is_checkpointed_and_reused_between_bursts_of_writes() {
    run(Backend::Sqlite, the_wal_is_reused).await;
}

async fn the_wal_is_reused(db: Db) {
    let dir = db.dir.as_ref().expect("SQLite's directory").path().to_path_buf();
    let wal = || std::fs::metadata(dir.join("liaison.db-wal")).map(|m| m.len()).unwrap_or(0);
    let note = "A long enough note to write a few pages per insert. ".repeat(20);
    let mut after_first = 0;
    for round in 0..3 {
        for _ in 0..150 {
            let e = db.add(new(A, &note)).await;
            db.store.set_follow_up_done(A, e.id, None).await.unwrap();
        }
        if round == 0 {
            after_first = wal();
        }
        // Longer than the background checkpoint interval.
        tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    }
    // Each burst starts the WAL over instead of appending to it.
    assert!(after_first > 1_000_000, "the burst wrote {after_first} bytes");
    assert!(wal() < after_first * 3 / 2, "the WAL grew from {after_first} to {} bytes", wal());
}

/// The child half of `a_committed_write_survives_the_process_being_killed`: a no-op unless that
/// test starts it.
#[tokio::test]
async fn child_process_writes_then_waits_to_be_killed() {
    let Ok(url) = std::env::var("LIAISON_STORE_TEST_CHILD_URL") else {
        return;
    };
    let store = SqliteStore::connect(&url).await.unwrap();
    let e = store.insert_entry(&new(A, "written just before the kill")).await.unwrap();
    println!("INSERTED {}", e.id);
    tokio::time::sleep(std::time::Duration::from_secs(120)).await;
}

#[tokio::test]
async fn a_committed_write_survives_the_process_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "sqlite_only::child_process_writes_then_waits_to_be_killed",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LIAISON_STORE_TEST_CHILD_URL", &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let id = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        // libtest prints the test's name on the same line first.
        .find_map(|line| line.split_once("INSERTED ").map(|(_, id)| id.trim().parse::<EntryId>().unwrap()))
        .expect("the child reports its insert");
    child.kill().unwrap(); // SIGKILL: no close, no checkpoint, no destructors.
    child.wait().unwrap();
    let store = SqliteStore::connect(&url).await.unwrap();
    let e = store.entry(A, id).await.unwrap().expect("the row survived");
    assert_eq!(e.note.as_str(), "written just before the kill");
    assert_eq!(ids(&store.search(A, &q("kill"), now()).await.unwrap()), vec![id]);
}

/// SQLite's free pages are in the file anyone may copy: with `secure_delete`, a note cleared by
/// retention leaves no trace in it once the full-text segments are merged (PostgreSQL's pages are
/// the server's to vacuum).
#[tokio::test]
async fn a_cleared_note_leaves_no_trace_in_the_database_file() {
    run(Backend::Sqlite, a_cleared_note_leaves_no_trace).await;
}

async fn a_cleared_note_leaves_no_trace(db: Db) {
    let word = "Quetzalcoatlus";
    let note = format!("{word} fossils: {}", "the palaeontology reading list again. ".repeat(40));
    for _ in 0..20 {
        db.add(new(A, &note)).await;
    }
    db.store.optimize().await.expect("optimize");
    assert_eq!(db.store.expire_entries(A, t(10, 0), now(), false, true).await.expect("expire"), 20);
    // Merging the full-text segments drops the index's copies of the cleared words.
    db.store.optimize().await.expect("optimize");
    db.store.close().await;
    let path = db.dir.as_ref().expect("SQLite's directory").path().join("liaison.db");
    let bytes = std::fs::read(path).expect("the database file");
    let found = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!found(word.as_bytes()), "the note is still in the file");
    assert!(!found(word.to_lowercase().as_bytes()), "an indexed word is still in the file");
    assert!(!found(b"palaeontology"), "the note is still in the file");
}
