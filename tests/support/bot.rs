//! The bot under test: liaison's own `bot::run` with the real serenity client, against the fake
//! Discord, on a real SQLite database in a temp dir; and helpers to read its callbacks.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use liaison::config::Config;
use liaison::discord::app::App;
use liaison::discord::bot::{self, BotError, BotSettings};
use liaison::discord::post::DiscordPoster;
use liaison::domain::ids::{EntryId, GuildId as OurGuild};
use liaison::store::{self, Store};

use super::fake_discord::{FakeDiscord, GUILD_ID};
use super::payloads::opt_str;

pub const TOKEN: &str = "test-token.abc";
pub const WAIT: Duration = Duration::from_secs(5);

pub fn shipped_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml")
}

pub struct Bot {
    pub fake: FakeDiscord,
    pub store: Arc<dyn Store>,
    pub config: Config,
    pub register_guild: Option<u64>,
    pub dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), BotError>>>,
}

impl Bot {
    /// The bot with the shipped config, registering its commands globally. Tests seed data
    /// through one member faster than the per-member rate limit allows, so it is lifted here;
    /// `tests/flood.rs` tests the limit with the shipped config.
    pub async fn start() -> Bot {
        let mut config = Config::load(&shipped_config()).unwrap();
        config.throttling.rate_limit = u32::MAX;
        Bot::start_with(config, None).await
    }

    pub async fn start_with(config: Config, register_guild: Option<u64>) -> Bot {
        let fake = FakeDiscord::start(TOKEN).await;
        let dir = TempDir::new().unwrap();
        let store = open(dir.path()).await;
        let mut bot = Bot { fake, store, config, register_guild, dir, stop: None, task: None };
        bot.launch().await;
        bot
    }

    /// Starts (or restarts) the bot process part on the same database and fake.
    pub async fn launch(&mut self) {
        let settings = BotSettings::new(TOKEN, Some(self.fake.api_base()), self.register_guild);
        let http = Arc::new(settings.http());
        let poster = Arc::new(DiscordPoster(http.clone()));
        let app = App::new(self.store.clone(), Arc::new(self.config.clone()), poster).with_discord(http);
        let (tx, rx) = oneshot::channel::<()>();
        let readies = self.fake.gateway_stats().readies;
        self.task = Some(tokio::spawn(async move {
            bot::run(app, &settings, async move {
                let _ = rx.await;
            })
            .await
        }));
        self.stop = Some(tx);
        let fake = &self.fake;
        fake.wait_gateway(WAIT, |s| s.readies > readies).await.expect("the bot connects and gets READY");
    }

    pub async fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let result = tokio::time::timeout(Duration::from_secs(10), task).await.expect("the bot stops");
            result.unwrap().expect("the bot stops cleanly");
        }
    }

    /// Dispatches an interaction and returns the callback body the bot sent.
    pub async fn send(&self, interaction: &Value) -> Value {
        self.fake.dispatch_interaction(interaction).await.unwrap();
        let callback = self.fake.wait_for_callback(interaction, WAIT).await.expect("a callback");
        assert!(
            callback.status < 300,
            "callback refused by the fake: {} {:?}",
            callback.status,
            callback.body
        );
        callback.payload().expect("a JSON callback").clone()
    }

    pub async fn entry(&self, id: i64) -> Option<liaison::domain::entry::Entry> {
        self.store.entry(OurGuild(GUILD_ID), EntryId(id)).await.unwrap()
    }
}

pub async fn open(dir: &Path) -> Arc<dyn Store> {
    store::connect(&format!("sqlite://{}", dir.join("liaison.db").display())).await.unwrap()
}

/// The text of a message callback: content plus every embed part, for `contains` checks.
pub fn text(callback: &Value) -> String {
    let data = &callback["data"];
    let mut out = data["content"].as_str().unwrap_or("").to_string();
    for e in data["embeds"].as_array().into_iter().flatten() {
        for key in ["title", "description"] {
            out.push('\n');
            out.push_str(e[key].as_str().unwrap_or(""));
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "\n{}: {}",
                f["name"].as_str().unwrap_or(""),
                f["value"].as_str().unwrap_or("")
            ));
        }
        out.push('\n');
        out.push_str(e["footer"]["text"].as_str().unwrap_or(""));
    }
    out
}

pub fn is_ephemeral(callback: &Value) -> bool {
    callback["data"]["flags"].as_u64().unwrap_or(0) & 64 == 64
}

pub fn buttons(callback: &Value) -> Vec<(String, String, bool)> {
    callback["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|b| {
            (
                b["label"].as_str().unwrap_or("").to_string(),
                b["custom_id"].as_str().unwrap_or("").to_string(),
                b["disabled"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

pub fn mentions_suppressed(callback: &Value) {
    let am = &callback["data"]["allowed_mentions"];
    assert_eq!(am["parse"], json!([]), "allowed_mentions must be empty: {callback}");
    assert!(am["users"].as_array().is_none_or(|u| u.is_empty()));
    assert!(am["roles"].as_array().is_none_or(|r| r.is_empty()));
}

pub fn modal_input(callback: &Value, custom_id: &str) -> Value {
    callback["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["custom_id"] == custom_id)
        .unwrap_or_else(|| panic!("no input {custom_id} in {callback}"))
}

/// The options of `/intel` with a department and a note only.
pub fn note_in(department: &str, note: &str) -> Vec<Value> {
    vec![opt_str("department", department), opt_str("note", note)]
}
