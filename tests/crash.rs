//! A crash mid-burst loses nothing acknowledged and saves nothing twice: the real binary
//! (`liaison run`) against the fake Discord, on SQLite in a temp dir, gets a burst of 200 `/intel`
//! captures and is killed with SIGKILL part-way through; restarted on the same file, the store
//! must hold every note whose "Saved entry #N" reply went out, exactly once, under that N, and no
//! note twice. The restarted bot then takes a few more captures.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tempfile::TempDir;

use liaison::domain::ids::{EntryId, GuildId as OurGuild};
use liaison::store::{self, EntryFilter};

use support::bot::{note_in, shipped_config, text, TOKEN, WAIT};
use support::fake_discord::FakeDiscord;
use support::ids::{user_id, GUILD_ID};
use support::payloads::*;

const BURST: usize = 200;
/// Replies recorded before the kill: well into the burst, well before its end.
const KILL_AFTER: usize = 60;
const WAVE: usize = 20;
/// Unanswered captures allowed before the next wave: under the shipped `max_in_flight` (64).
const MAX_WAITING: usize = 40;

fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("liaison.db").display())
}

/// The bot binary on the temp dir's database, logging to a file there (appended across runs).
fn start(fake: &FakeDiscord, dir: &Path) -> Child {
    let stderr = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("stderr.log")).unwrap();
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .current_dir(dir)
        .env("RUST_LOG", "info")
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_URL", fake.api_base())
        .env("DATABASE_URL", database_url(dir))
        .env_remove("LIAISON_GUILD_ID")
        .args(["--config", &shipped_config().display().to_string(), "run"])
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// Kills the bot when the test ends, however it ends.
struct Reaper(Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The entry number of every "Saved entry #N" the bot sent for `interaction`, from its callback,
/// edits of its original response and follow-ups alike (all carry the interaction token).
fn saved_replies(fake: &FakeDiscord, interaction: &Value) -> Vec<i64> {
    let token = interaction_token(interaction);
    fake.requests()
        .iter()
        .filter(|r| r.status < 300 && r.path.contains(token))
        .filter_map(|r| r.payload())
        .map(|p| if p.get("data").is_some() { text(p) } else { text(&json!({ "data": p })) })
        .filter_map(|t| {
            let rest = &t[t.find("Saved entry #")? + "Saved entry #".len()..];
            rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
        })
        .collect()
}

/// How many "Saved entry #" replies the fake has recorded in all.
fn saved_count(fake: &FakeDiscord) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.status < 300 && String::from_utf8_lossy(&r.body).contains("Saved entry #"))
        .count()
}

/// How many interaction callbacks (one per interaction answered) the fake has recorded.
fn callbacks(fake: &FakeDiscord) -> usize {
    fake.requests_matching("POST", "/interactions/").iter().filter(|r| r.status < 300).count()
}

/// Whether the bot sent anything at all for `interaction` (a reply, a deferral, a refusal).
fn answered(fake: &FakeDiscord, interaction: &Value) -> bool {
    let token = interaction_token(interaction);
    fake.requests().iter().any(|r| r.status < 300 && r.path.contains(token))
}

fn all_saved(fake: &FakeDiscord, sent: &[(Value, String)]) -> HashMap<String, Vec<i64>> {
    sent.iter()
        .map(|(i, note)| (note.clone(), saved_replies(fake, i)))
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
}

/// Every stored entry's note, with its id.
async fn stored(dir: &Path) -> Vec<(i64, String)> {
    let store = store::connect(&database_url(dir)).await.unwrap();
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page =
            store.entries_after(OurGuild(GUILD_ID), &EntryFilter::default(), after, 500).await.unwrap();
        out.extend(page.iter().map(|e| (e.id.0, e.note.as_str().to_string())));
        if page.len() < 500 {
            break out;
        }
        after = page.last().map(|e| e.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_mid_burst_loses_no_acknowledged_capture_and_saves_none_twice() {
    let fake = FakeDiscord::start(TOKEN).await;
    let dir = TempDir::new().unwrap();
    let mut bot = Reaper(start(&fake, dir.path()));
    assert!(fake.wait_gateway(WAIT * 2, |s| s.readies >= 1).await.is_some(), "the bot connects");

    // One member each, so the per-member rate limit refuses none of the burst.
    let burst: Vec<(Value, String)> = (0..BURST)
        .map(|i| {
            let note = format!("burst note {i}");
            let who = Who::new(user_id(100 + i as u64), &format!("member{i}"));
            (slash_command("intel", note_in("History", &note), &who), note)
        })
        .collect();
    let mut sent = Vec::new();
    let mut killed_at = None;
    'burst: for wave in burst.chunks(WAVE) {
        // A wave goes out only once fewer than `MAX_WAITING` are unanswered, so the burst stays
        // under `max_in_flight` (none refused as busy) however slow the machine is, while the
        // kill still lands with captures arriving and in flight.
        let deadline = Instant::now() + WAIT * 2;
        while sent.len() - callbacks(&fake) >= MAX_WAITING {
            assert!(Instant::now() < deadline, "the bot answers the burst");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        for (interaction, note) in wave {
            fake.dispatch_interaction(interaction).await.unwrap();
            sent.push((interaction.clone(), note.clone()));
            if saved_count(&fake) >= KILL_AFTER {
                bot.0.kill().unwrap();
                bot.0.wait().unwrap();
                killed_at = Some(sent.len());
                break 'burst;
            }
        }
    }
    let killed_at = killed_at.expect("the kill came before the end of the burst");
    assert!(killed_at < BURST, "the bot was killed mid-burst");
    let acknowledged = all_saved(&fake, &sent);
    let answered = sent.iter().filter(|(i, _)| answered(&fake, i)).count();
    println!(
        "killed after {killed_at} of {BURST} sent: {} acknowledged as saved, {} with no answer yet",
        acknowledged.len(),
        killed_at - answered
    );

    let readies = fake.gateway_stats().readies;
    let restarted = Reaper(start(&fake, dir.path()));
    assert!(fake.wait_gateway(WAIT * 2, |s| s.readies > readies).await.is_some(), "the bot reconnects");

    let rows = stored(dir.path()).await;
    let mut by_note: HashMap<&str, Vec<i64>> = HashMap::new();
    for (id, note) in &rows {
        by_note.entry(note.as_str()).or_default().push(*id);
    }
    let unknown: Vec<_> = by_note.keys().filter(|n| !sent.iter().any(|(_, s)| s == *n)).collect();
    assert!(unknown.is_empty(), "stored notes that were never sent: {unknown:?}");
    let twice: Vec<_> = by_note.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(twice.is_empty(), "notes stored more than once: {twice:?}");
    for (note, replied_ids) in &acknowledged {
        let ids = by_note.get(note.as_str()).cloned().unwrap_or_default();
        assert_eq!(ids.len(), 1, "{note:?} was acknowledged as #{replied_ids:?} but stored as {ids:?}");
        assert!(
            replied_ids.iter().all(|r| *r == ids[0]),
            "{note:?}: replied {replied_ids:?}, stored as #{}",
            ids[0]
        );
    }
    println!("{} stored after the restart ({} acknowledged)", rows.len(), acknowledged.len());

    // The restarted bot takes captures again, and they are stored.
    let store = store::connect(&database_url(dir.path())).await.unwrap();
    for i in 0..3 {
        let note = format!("after the restart {i}");
        let who = Who::new(user_id(1_000 + i), &format!("late{i}"));
        let interaction = slash_command("intel", note_in("History", &note), &who);
        fake.dispatch_interaction(&interaction).await.unwrap();
        let deadline = Instant::now() + WAIT;
        let id = loop {
            if let Some(id) = saved_replies(&fake, &interaction).first() {
                break *id;
            }
            assert!(Instant::now() < deadline, "the restarted bot saves {note:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let entry = store.entry(OurGuild(GUILD_ID), EntryId(id)).await.unwrap().expect("the entry it named");
        assert_eq!(entry.note.as_str(), note);
    }
    drop(restarted);
}
