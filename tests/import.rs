//! A long import neither blocks the bot nor has to succeed in one go: it writes in short
//! transactions, so a capture made meanwhile on the same database goes in between them, and an
//! import killed part-way (SIGKILL, the real binary) is run again and completes, skipping and
//! counting what it had written. Real SQLite in a temp dir.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use tempfile::TempDir;

use liaison::config::Config;
use liaison::domain::entry::{Author, NewEntry};
use liaison::domain::ids::{GuildId, UserId};
use liaison::domain::note::Note;
use liaison::domain::privacy::Share;
use liaison::service::import::{self, WRITE_BATCH};
use liaison::service::record::COLUMNS;
use liaison::store::{self, EntryFilter};

const GUILD: u64 = 7;

fn shipped_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml")
}

fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("liaison.db").display())
}

/// An export file of `rows` entries, written as `liaison export --format csv` writes them (the
/// test below checks that byte for byte), each with its own note.
fn export_file(rows: usize) -> String {
    let mut csv = COLUMNS.join(",");
    csv.push('\n');
    for i in 1..=rows {
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "{i},{GUILD},42,Ada Lovelace,History,coffee,true,row {i}: the reading list for HIST{i} needs \
             review,reading-lists open-access,2026-11-{day:02}T09:30:00Z,2026-11-{day:02}T10:00:00.125Z,,,,,,,0,team,,,\n"
        ));
    }
    csv
}

fn liaison(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_liaison"));
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("LIAISON_CONFIG")
        .env_remove("LIAISON_DEFAULT_GUILD")
        .env("NO_COLOR", "1")
        .arg("--config")
        .arg(shipped_config())
        .arg("--database")
        .arg(database_url(dir));
    cmd
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_part_way_is_run_again_and_completes() {
    let rows = 20 * WRITE_BATCH;
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("export.csv");
    let csv = export_file(rows);
    std::fs::write(&file, &csv).unwrap();

    // The database exists, migrated, before the import starts, so the test can watch it fill.
    let store = store::connect(&database_url(dir.path())).await.unwrap();
    let count =
        || async { store.count_entries(GuildId(GUILD), &EntryFilter::default()).await.unwrap() as usize };
    let mut child = liaison(dir.path())
        .arg("import")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let before_kill = loop {
        let n = count().await;
        if n > 0 {
            break n;
        }
        assert!(child.try_wait().unwrap().is_none(), "the import ended before it was seen writing");
        assert!(Instant::now() < deadline, "the import never wrote anything");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let kept = count().await;
    println!("killed with {before_kill} of {rows} seen written; {kept} kept");
    assert!(kept < rows, "the kill came before the end ({kept} of {rows} written)");
    assert_eq!(kept % WRITE_BATCH, 0, "whole batches are kept, never part of one");

    let out = run(liaison(dir.path()).arg("import").arg(&file));
    assert!(
        out.contains(&format!("imported {} entries", rows - kept))
            && out.contains(&format!("skipped {kept} already in the database, unchanged")),
        "{out}"
    );
    let exported =
        run(liaison(dir.path()).args(["export", "--format", "csv", "--guild", &GUILD.to_string()]));
    assert!(exported == csv, "the database after the second run is not the file, entry for entry");

    // Once more: nothing left to write.
    let out = run(liaison(dir.path()).arg("import").arg(&file));
    assert!(out.contains(&format!("imported 0 entries from {}; skipped {rows}", file.display())), "{out}");
}

/// The bot and `liaison import` share one SQLite file, and SQLite has one writer at a time: a
/// capture made while a long import runs must get in between its batches rather than wait for
/// (or time out behind) the whole file. Here the capture is made in the same process, through
/// the same store, once the first batch is written; it must be stored while the import still has
/// batches to go.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_goes_in_between_the_batches_of_a_long_import() {
    let rows = 20 * WRITE_BATCH;
    let dir = TempDir::new().unwrap();
    let config = Config::load(&shipped_config()).unwrap();
    let store = store::connect(&database_url(dir.path())).await.unwrap();
    let mut ignore = |_| {};
    let checked =
        import::read(store.as_ref(), &config.rules, export_file(rows).as_bytes(), &mut ignore).await.unwrap();
    assert_eq!((checked.new.len(), checked.present), (rows, 0));

    let written = Arc::new(AtomicU64::new(0));
    let (first_batch, first_batch_written) = tokio::sync::oneshot::channel::<()>();
    let capture = tokio::spawn({
        let (store, written, rules) = (store.clone(), written.clone(), config.rules.clone());
        async move {
            first_batch_written.await.unwrap();
            let at = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
            let entry = NewEntry {
                also_departments: Vec::new(),
                partners: Vec::new(),
                guild: GuildId(GUILD),
                author: Author { id: UserId(43), name: "Ben".into() },
                department: rules.departments.resolve("Physics").unwrap().clone(),
                channel: rules.channels.resolve("desk").unwrap().clone(),
                note: Note::clean("asked about arXiv", &rules.redactor).unwrap().note,
                tags: Vec::new(),
                occurred_at: at,
                created_at: at,
                follow_up: None,
                source: None,
                redactions: 0,
                share: Share::Team,
            };
            store.insert_entry(&entry).await.unwrap();
            written.load(Ordering::SeqCst)
        }
    });
    let mut first_batch = Some(first_batch);
    let mut progress = |n: u64| {
        written.store(n, Ordering::SeqCst);
        if let Some(tx) = first_batch.take() {
            let _ = tx.send(());
        }
    };
    let imported = import::write(store.as_ref(), &checked.new, &mut progress).await.unwrap();
    assert_eq!(imported as usize, rows);
    let import_had_written = capture.await.unwrap() as usize;
    println!("the capture was stored when {import_had_written} of {rows} imported rows were");
    assert!(
        import_had_written < rows,
        "the capture waited for the whole import to be written ({import_had_written} of {rows})"
    );
    assert_eq!(
        store.count_entries(GuildId(GUILD), &EntryFilter::default()).await.unwrap() as usize,
        rows + 1
    );
}

/// A file from before partners (issue 14) has neither `also_departments` nor `partners`: it still
/// imports, its entries filed under their one department and naming no partner. A row naming a
/// partner the server lacks is refused, saying to import the partners first.
#[tokio::test]
async fn an_older_export_still_imports_and_an_unknown_partner_is_named() {
    let dir = TempDir::new().unwrap();
    let config = Config::load(&shipped_config()).unwrap();
    let store = store::connect(&database_url(dir.path())).await.unwrap();
    let mut ignore = |_| {};
    let old_header = COLUMNS[..20].join(",");
    let old = format!(
        "{old_header}\n1,{GUILD},42,Ada,History,coffee,true,a note,,2026-11-03T09:30:00Z,2026-11-03T10:00:00Z,,,,,,,0,team,\n"
    );
    let checked = import::read(store.as_ref(), &config.rules, old.as_bytes(), &mut ignore).await.unwrap();
    assert_eq!(checked.new.len(), 1);
    assert_eq!((checked.new[0].also_departments.len(), checked.new[0].partners.len()), (0, 0));

    let header = COLUMNS.join(",");
    let linked = format!(
        "{header}\n2,{GUILD},42,Ada,History,coffee,true,a note,,2026-11-03T09:30:00Z,2026-11-03T10:00:00Z,,,,,,,0,team,,Physics;Music,\"Dr A. Field\nField Lab\"\n"
    );
    let err = import::read(store.as_ref(), &config.rules, linked.as_bytes(), &mut ignore).await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("line 2: partners: no partner called \"Dr A. Field\""), "{message}");
    assert!(message.contains("partners: no partner called \"Field Lab\""), "{message}");
    assert!(message.contains("liaison partner import"), "{message}");

    let unknown_department =
        linked.replace("Physics;Music", "Physics;Alchemy").replace("\"Dr A. Field\nField Lab\"", "");
    let err = import::read(store.as_ref(), &config.rules, unknown_department.as_bytes(), &mut ignore)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("line 2: also_departments:"), "{err}");
    let good = linked.replace("\"Dr A. Field\nField Lab\"", "");
    let checked = import::read(store.as_ref(), &config.rules, good.as_bytes(), &mut ignore).await.unwrap();
    let keys: Vec<&str> = checked.new[0].also_departments.iter().map(|d| d.as_str()).collect();
    assert_eq!(keys, vec!["Physics", "Music"]);
}
