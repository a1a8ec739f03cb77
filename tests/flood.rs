//! A flood of interactions: the real binary (`liaison run`) against the fake Discord, on SQLite
//! in a temp dir, gets a burst of `/intel` captures, from one member and from fifty. Every
//! interaction must be answered, by a result or a clear refusal, none left to Discord's 3 s
//! timeout; refusals are counted. Timings are printed, never asserted (they belong in
//! docs/benchmarks.md, with the command: `cargo test --release --test flood -- --ignored
//! --nocapture`, which runs the 500-interaction bursts and measures the bot's CPU time).

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use support::bot::{mentions_suppressed, note_in, shipped_config, text, TOKEN, WAIT};
use support::fake_discord::FakeDiscord;
use support::ids::user_id;
use support::payloads::*;

/// The bot binary, logging at INFO to a file in the temp dir, until dropped.
struct Running {
    child: Child,
}

impl Running {
    fn start(fake: &FakeDiscord, dir: &Path) -> Running {
        let url = format!("sqlite://{}", dir.join("liaison.db").display());
        let stderr = std::fs::File::create(dir.join("stderr.log")).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_liaison"))
            .current_dir(dir)
            .env("RUST_LOG", "info")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", fake.api_base())
            .env("DATABASE_URL", url)
            .env_remove("LIAISON_GUILD_ID")
            .args(["--config", &shipped_config().display().to_string(), "run"])
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        Running { child }
    }

    /// User plus system CPU time the bot process has used, from /proc/PID/stat (Linux only).
    fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        // Fields after the command name, which is in parentheses and may hold spaces.
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        let output = Command::new("getconf").arg("CLK_TCK").output().ok()?;
        let per_second: u64 = String::from_utf8_lossy(&output.stdout).trim().parse().ok()?;
        Some(Duration::from_millis(ticks * 1000 / per_second.max(1)))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a burst got back.
#[derive(Default)]
struct Answers {
    results: usize,
    slowed: usize,
    busy: usize,
    /// Time from dispatch to the first callback (an answer or a deferral), sorted.
    times: Vec<Duration>,
    cpu: Option<Duration>,
}

/// The counts only: 500 timings would bury an assertion's message.
impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} results, {} slow down, {} busy", self.results, self.slowed, self.busy)
    }
}

impl Answers {
    fn percentile(&self, p: f64) -> Duration {
        let i = ((self.times.len() as f64 * p).ceil() as usize).clamp(1, self.times.len().max(1)) - 1;
        self.times.get(i).copied().unwrap_or_default()
    }

    fn report(&self, name: &str) {
        let n = self.times.len().max(1) as u32;
        println!(
            "{name}: {} answered ({} results, {} slow down, {} busy); time to answer p50 {:?}, p99 {:?}, max {:?}; bot CPU {:?} in all, {:?} per interaction",
            self.times.len(),
            self.results,
            self.slowed,
            self.busy,
            self.percentile(0.5),
            self.percentile(0.99),
            self.percentile(1.0),
            self.cpu.unwrap_or_default(),
            self.cpu.unwrap_or_default() / n,
        );
    }
}

/// Sends `per_member` captures from each of `members` members, all at once (interleaved, as a
/// crowd would), and waits for every callback.
async fn burst(members: u64, per_member: u64) -> Answers {
    let fake = FakeDiscord::start(TOKEN).await;
    let dir = TempDir::new().unwrap();
    let bot = Running::start(&fake, dir.path());
    assert!(fake.wait_gateway(WAIT * 2, |s| s.readies >= 1).await.is_some(), "the bot connects");
    // One capture first, so the burst does not also measure the database being created.
    let warm = slash_command("intel", note_in("History", "warming up"), &Who::alice());
    fake.dispatch_interaction(&warm).await.unwrap();
    assert!(fake.wait_for_callback(&warm, WAIT).await.is_some(), "the bot answers");
    fake.clear_requests();

    let who: Vec<Who> = (0..members).map(|m| Who::new(user_id(100 + m), &format!("member{m}"))).collect();
    let interactions: Vec<Value> = (0..per_member)
        .flat_map(|i| {
            who.iter().map(move |w| {
                slash_command("intel", note_in("History", &format!("burst note {i} from {}", w.username)), w)
            })
        })
        .collect();
    let cpu_before = bot.cpu_time();
    let mut sent_at = HashMap::new();
    for interaction in &interactions {
        sent_at.insert(interaction_id(interaction).to_string(), Instant::now());
        fake.dispatch_interaction(interaction).await.unwrap();
    }
    let total = interactions.len();
    let deadline = Instant::now() + Duration::from_secs(60);
    let callbacks = loop {
        let callbacks = fake.requests_matching("POST", "/interactions/");
        if callbacks.len() >= total || Instant::now() > deadline {
            break callbacks;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let cpu_after = bot.cpu_time();

    let mut answers = Answers::default();
    for callback in &callbacks {
        assert!(
            callback.status < 300,
            "the fake refused a callback: {} {:?}",
            callback.status,
            callback.json
        );
        let id = callback.segments().get(1).map(|s| s.to_string()).unwrap_or_default();
        let Some(at) = sent_at.remove(&id) else { panic!("a second callback, or an unknown one: {id}") };
        answers.times.push(callback.received_at.saturating_duration_since(at));
        let payload = callback.payload().expect("a JSON callback");
        let t = text(payload);
        if t.contains("slow down") {
            answers.slowed += 1;
        } else if t.contains("busy") {
            answers.busy += 1;
        } else {
            assert!(payload["type"] == 5 || t.contains("Saved entry #"), "a result: {payload}");
            answers.results += 1;
        }
        if payload["type"] != 5 {
            assert_eq!(payload["data"]["flags"].as_u64().unwrap_or(0) & 64, 64, "private: {payload}");
            mentions_suppressed(payload);
        }
    }
    assert!(sent_at.is_empty(), "{} of {total} interactions got no answer", sent_at.len());
    answers.times.sort();
    answers.cpu = cpu_before.zip(cpu_after).map(|(b, a)| a.saturating_sub(b));
    drop(bot);
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_from_one_member_is_answered_and_all_but_ten_are_told_to_slow_down() {
    let answers = burst(1, 100).await;
    answers.report("1 member x 100");
    // Ten in ten seconds; the burst is sent well within ten seconds.
    assert_eq!((answers.results, answers.slowed, answers.busy), (10, 90, 0), "{answers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_from_fifty_members_is_answered_without_slowing_anyone_down() {
    let answers = burst(50, 4).await;
    answers.report("50 members x 4");
    assert_eq!(answers.slowed, 0, "{answers:?}");
    assert_eq!(answers.results + answers.busy, 200, "{answers:?}");
}

/// The measurement for docs/benchmarks.md: 500 interactions from one member and from fifty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run it on its own with --release --nocapture"]
async fn five_hundred_at_once_measured() {
    let one = burst(1, 500).await;
    one.report("1 member x 500");
    assert_eq!(one.results + one.slowed + one.busy, 500);
    let fifty = burst(50, 10).await;
    fifty.report("50 members x 10");
    assert_eq!(fifty.results + fifty.slowed + fifty.busy, 500);
}

/// A form submitted over the limit is refused like anything else, but its note is handed back:
/// a refusal must not lose what someone typed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_refused_for_going_too_fast_hands_the_note_back() {
    let fake = FakeDiscord::start(TOKEN).await;
    let dir = TempDir::new().unwrap();
    let _bot = Running::start(&fake, dir.path());
    assert!(fake.wait_gateway(WAIT * 2, |s| s.readies >= 1).await.is_some(), "the bot connects");
    let alice = Who::alice();
    let open = slash_command("intel", vec![opt_str("department", "History")], &alice);
    fake.dispatch_interaction(&open).await.unwrap();
    let modal = fake.wait_for_callback(&open, WAIT).await.expect("a form").payload().unwrap().clone();
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    for i in 0..9 {
        let show = slash_command("entry", vec![subcommand("show", vec![opt_int("id", i)])], &alice);
        fake.dispatch_interaction(&show).await.unwrap();
        assert!(fake.wait_for_callback(&show, WAIT).await.is_some());
    }
    let submit = modal_submit(&custom_id, &[("note", "Seminar on the archive, Tuesday")], &alice);
    fake.dispatch_interaction(&submit).await.unwrap();
    let refused = fake.wait_for_callback(&submit, WAIT).await.expect("an answer");
    let t = text(refused.payload().unwrap());
    assert!(t.contains("slow down") && t.contains("Seminar on the archive, Tuesday"), "{t}");
}
