//! The bot run as deploy/liaison.service runs it: from an empty state directory, with no config
//! file, the token in a credentials file and not in the environment; against the fake Discord.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

use support::bot::{TOKEN, WAIT};
use support::fake_discord::FakeDiscord;

const UNIT: &str = include_str!("../deploy/liaison.service");

/// The value of the unit's `key=` directive lines (comments left out), in order.
fn directives(key: &str) -> Vec<&'static str> {
    UNIT.lines().filter_map(|l| l.trim().strip_prefix(key)?.strip_prefix('=')).collect()
}

#[test]
fn the_unit_keeps_the_database_in_its_state_directory_and_runs_the_bot() {
    assert_eq!(directives("StateDirectory"), ["liaison"]);
    assert_eq!(directives("WorkingDirectory"), ["/var/lib/liaison"]);
    assert!(
        directives("Environment").contains(&"DATABASE_URL=sqlite:///var/lib/liaison/liaison.db"),
        "{UNIT}"
    );
    assert_eq!(directives("ExecStart"), ["/usr/local/bin/liaison run"]);
    for hardening in ["DynamicUser", "NoNewPrivileges", "ProtectHome", "PrivateTmp"] {
        assert_eq!(directives(hardening), ["yes"], "{hardening}");
    }
    assert_eq!(directives("ProtectSystem"), ["strict"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_starts_with_the_built_in_config_and_the_token_from_its_credential() {
    let fake = FakeDiscord::start(TOKEN).await;
    let state = TempDir::new().unwrap();
    let credentials = TempDir::new().unwrap();
    // As an editor leaves it: with a line break at the end.
    std::fs::write(credentials.path().join("discord-token"), format!("{TOKEN}\n")).unwrap();
    let log_path = credentials.path().join("stderr.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .current_dir(state.path())
        .env_remove("DISCORD_TOKEN")
        .env_remove("LIAISON_CONFIG")
        .env_remove("LIAISON_GUILD_ID")
        .env("CREDENTIALS_DIRECTORY", credentials.path())
        .env("DATABASE_URL", format!("sqlite://{}", state.path().join("liaison.db").display()))
        .env("DISCORD_API_URL", fake.api_base())
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "info")
        .arg("run")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let ready = fake.wait_gateway(WAIT, |s| s.readies >= 1).await;
    stop(&mut child);
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(ready.is_some(), "the bot identifies with the credential's token:\n{log}");
    assert!(log.contains("config=the built-in defaults"), "{log}");
    assert!(!log.contains(TOKEN), "{log}");
    assert!(state.path().join("liaison.db").exists());
    assert!(!state.path().join("config").exists());
}

/// SIGTERM, as systemd stops a service; killed if it is still running after a while.
fn stop(child: &mut std::process::Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}
