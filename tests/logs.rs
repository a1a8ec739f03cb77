//! What the bot's log may hold: references, never content or secrets. The real binary runs
//! `liaison run` at `RUST_LOG=trace` against the fake Discord, through a capture, a search, a
//! refused form and a message serenity cannot read; then its whole stderr is searched for the
//! bot token, every interaction token, the notes and the database password, as text and in the
//! encodings a dependency's trace output uses for raw bytes (hex, and `Vec<u8>`'s debug list).

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::{ConnectOptions, Connection, Executor};
use tempfile::TempDir;

use support::bot::{modal_input, note_in, shipped_config, text, TOKEN, WAIT};
use support::fake_discord::FakeDiscord;
use support::payloads::*;

/// Distinctive enough that no log line has it by chance.
const CAPTURED_NOTE: &str = "Quokkaville wombat seminar wants Zanzibar archive training";
const REFUSED_NOTE: &str = "Marmalade heron notes from the Tuesday desk shift";
const SEARCH_TERMS: &str = "Zanzibar";
const UNREADABLE_MESSAGE: &str = "Okapi lantern request from the law library";

/// A database password with every character that ends a URL's credentials early.
const PASSWORD: &str = "pa/ss?w@rd#x";
const PASSWORD_ENCODED: &str = "pa%2Fss%3Fw%40rd%23x";

/// The bot binary, logging everything to a file, until stopped.
struct Running {
    child: Child,
    log: std::path::PathBuf,
}

impl Running {
    fn start(fake: &FakeDiscord, dir: &Path, database_url: &str) -> Running {
        let log = dir.join("stderr.log");
        let stderr = std::fs::File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_liaison"))
            .current_dir(dir)
            .env("RUST_LOG", "trace")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", fake.api_base())
            .env("DATABASE_URL", database_url)
            .env_remove("LIAISON_GUILD_ID")
            .env_remove("NO_COLOR")
            .args(["--config", &shipped_config().display().to_string(), "run"])
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        Running { child, log }
    }

    /// Stops the bot as an operator would (SIGTERM), so that shutdown is logged too.
    fn stop(mut self) -> String {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        String::from_utf8_lossy(&std::fs::read(&self.log).unwrap()).into_owned()
    }
}

/// Dispatches an interaction and returns the bot's callback.
async fn send(fake: &FakeDiscord, interaction: &Value) -> Value {
    fake.dispatch_interaction(interaction).await.unwrap();
    let callback = fake.wait_for_callback(interaction, WAIT).await.expect("a callback");
    callback.payload().expect("a JSON callback").clone()
}

/// A capture, a search and a refused form; returns the interaction tokens used.
async fn scenario(fake: &FakeDiscord) -> Vec<String> {
    let mut tokens = Vec::new();
    let capture = slash_command("intel", note_in("History", CAPTURED_NOTE), &Who::alice());
    let saved = send(fake, &capture).await;
    assert!(text(&saved).contains("Saved entry #1"), "{saved}");
    tokens.push(interaction_token(&capture).to_string());

    let search = slash_command("search", vec![opt_str("query", SEARCH_TERMS)], &Who::bob());
    let found = send(fake, &search).await;
    assert!(text(&found).contains("Quokkaville"), "the search finds the note: {found}");
    tokens.push(interaction_token(&search).to_string());

    let open = slash_command("intel", vec![opt_str("department", "History")], &Who::alice());
    let modal = send(fake, &open).await;
    assert_eq!(modal["type"], 9, "a form: {modal}");
    assert_eq!(modal_input(&modal, "note")["style"], 2);
    tokens.push(interaction_token(&open).to_string());
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let submit =
        modal_submit(&custom_id, &[("note", REFUSED_NOTE), ("when", "the other day")], &Who::alice());
    let refused = send(fake, &submit).await;
    let t = text(&refused);
    assert!(t.contains("not a date I understand") && t.contains(REFUSED_NOTE), "handed back: {t}");
    tokens.push(interaction_token(&submit).to_string());

    // A message serenity cannot read (a component type from the future): its text and token
    // reach liaison only as raw JSON.
    let mut message = user_message(&Who::bob(), UNREADABLE_MESSAGE);
    message["components"] = json!([{"type": 1, "components": [{"type": 99, "id": 1}]}]);
    let unreadable = message_command("Save as intel", message, &Who::alice());
    let apology = send(fake, &unreadable).await;
    assert!(text(&apology).contains("couldn't read"), "{apology}");
    tokens.push(interaction_token(&unreadable).to_string());
    tokens
}

/// `secret` as text and as the byte dumps a dependency's trace output would show.
fn forms(secret: &str) -> Vec<String> {
    let bytes = secret.as_bytes();
    vec![
        secret.to_string(),
        bytes.iter().map(|b| format!("{b:02x}")).collect(),
        bytes.iter().map(|b| format!("{b:02X}")).collect(),
        bytes.iter().map(u8::to_string).collect::<Vec<_>>().join(", "),
    ]
}

fn assert_absent(log: &str, what: &str, secret: &str) {
    for form in forms(secret) {
        if let Some(at) = log.find(&form) {
            let start = log[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = log[at..].find('\n').map_or(log.len(), |i| at + i);
            let line: String = log[start..end].chars().take(600).collect();
            panic!("the log holds {what} ({form:?}) in:\n{line}");
        }
    }
}

fn assert_clean(log: &str, tokens: &[String], password: Option<&str>) {
    // The log is not empty: the bot logged at trace, and its own lines are there.
    assert!(log.contains("TRACE") || log.contains("DEBUG"), "nothing below INFO was logged:\n{log}");
    assert!(log.contains("outcome=\"refused\""), "the refusal is logged:\n{log}");
    assert!(log.contains("not a date I understand"), "with its reason:\n{log}");
    assert!(log.contains("sqlx::query"), "sqlx's statements are logged, and were searched too:\n{log}");
    assert_absent(log, "the bot token", TOKEN);
    for token in tokens {
        assert_absent(log, "an interaction token", token);
    }
    assert_absent(log, "the captured note", CAPTURED_NOTE);
    assert_absent(log, "part of the captured note", "Quokkaville");
    assert_absent(log, "the refused note", REFUSED_NOTE);
    assert_absent(log, "part of the refused note", "Marmalade heron");
    assert_absent(log, "an unreadable message's text", "Okapi lantern");
    if let Some(password) = password {
        assert_absent(log, "the database password", password);
        assert_absent(log, "the database password", PASSWORD_ENCODED);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_trace_the_log_holds_no_token_and_no_note() {
    let fake = FakeDiscord::start(TOKEN).await;
    let dir = TempDir::new().unwrap();
    let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
    let bot = Running::start(&fake, dir.path(), &url);
    let ready = fake.wait_gateway(WAIT, |s| s.readies >= 1).await;
    let tokens = if ready.is_some() { scenario(&fake).await } else { Vec::new() };
    let log = bot.stop();
    assert!(ready.is_some(), "the bot connects:\n{log}");
    assert_clean(&log, &tokens, None);
}

/// The same on PostgreSQL, with a password in the URL (the test server trusts loopback, so it
/// is never checked, only carried).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(liaison_postgres_tests), ignore = "needs a PostgreSQL server: set TEST_DATABASE_URL")]
async fn at_trace_the_log_holds_no_database_password() {
    let server = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let admin = sqlx::postgres::PgConnectOptions::from_str(&server).expect("TEST_DATABASE_URL parses");
    let name = format!("liaison_logs_{}", std::process::id());
    let mut conn = admin.connect().await.expect("reach TEST_DATABASE_URL");
    // The name is ours, never user text; identifiers cannot be bound.
    conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    let user = admin.get_username().to_string();
    let url =
        format!("postgres://{user}:{PASSWORD_ENCODED}@{}:{}/{name}", admin.get_host(), admin.get_port());

    let fake = FakeDiscord::start(TOKEN).await;
    let dir = TempDir::new().unwrap();
    let bot = Running::start(&fake, dir.path(), &url);
    let ready = fake.wait_gateway(WAIT, |s| s.readies >= 1).await;
    let tokens = if ready.is_some() { scenario(&fake).await } else { Vec::new() };
    let log = bot.stop();
    conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.unwrap();
    conn.close().await.ok();
    assert!(ready.is_some(), "the bot connects:\n{log}");
    assert!(
        log.contains(&format!("@{}:{}/{name}", admin.get_host(), admin.get_port())),
        "the URL is logged, redacted"
    );
    assert_clean(&log, &tokens, Some(PASSWORD));
}

/// A password typed into the URL raw, unencoded: the URL does not parse, and the error that says
/// so names the database without it.
#[test]
fn a_raw_password_is_not_in_the_error_for_a_url_that_does_not_parse() {
    let dir = TempDir::new().unwrap();
    for command in [&["migrate"][..], &["run"][..]] {
        let output = Command::new(env!("CARGO_BIN_EXE_liaison"))
            .current_dir(dir.path())
            .env("RUST_LOG", "trace")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", "http://127.0.0.1:9")
            .env("DATABASE_URL", format!("postgres://liaison:{PASSWORD}@127.0.0.1:9/liaison"))
            .env_remove("LIAISON_GUILD_ID")
            .args(["--config", &shipped_config().display().to_string()])
            .args(command)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{command:?} cannot open that database");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("opening the database postgres://liaison:***@"), "{command:?}: {stderr}");
        assert_absent(&stderr, "the database password", PASSWORD);
        assert_absent(&stderr, "part of the database password", "pa/ss");
        assert_absent(&stderr, "part of the database password", "rd#x");
    }
}
