//! Starting, registering and stopping the bot over the gateway.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{Command, Context, Event, GatewayIntents, RawEventHandler};
use serenity::http::{Http, HttpBuilder};

use super::app::App;
use super::commands;
use super::errors::{describe, status};
use super::interaction;
use super::shards::ShardRange;
use super::throttle::Throttle;
use crate::domain::ids::GuildId;
use crate::service::locales;
use crate::service::privacy::departures;

/// How long shutdown waits for interactions already being answered.
const DRAIN: Duration = Duration::from_secs(10);

/// What the bot needs from the environment. The token is never logged or printed.
#[derive(Clone)]
pub struct BotSettings {
    token: String,
    /// Another base URL for every REST call and the gateway look-up (tests, a REST proxy).
    pub api_url: Option<String>,
    /// Register commands to this guild (instant) instead of globally.
    pub register_guild: Option<u64>,
    /// The gateway shards this process runs; all of them (one, for a bot this size) when `None`.
    pub shards: Option<ShardRange>,
}

impl std::fmt::Debug for BotSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BotSettings")
            .field("token", &"(hidden)")
            .field("api_url", &self.api_url)
            .field("register_guild", &self.register_guild)
            .field("shards", &self.shards)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("{0}")]
    Settings(String),
    #[error("Discord refused DISCORD_TOKEN ({0}); copy the bot token again from the developer portal (Bot > Reset Token)")]
    BadToken(String),
    #[error("could not reach Discord: {0}")]
    Discord(String),
}

impl BotSettings {
    /// Reads the token (`DISCORD_TOKEN`, else the credential systemd passes), `DISCORD_API_URL`
    /// and `LIAISON_GUILD_ID`.
    pub fn from_env() -> Result<Self, BotError> {
        let var =
            |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let token = discord_token(var("DISCORD_TOKEN"), var("CREDENTIALS_DIRECTORY").map(Into::into))?;
        let register_guild = match var("LIAISON_GUILD_ID") {
            // No Discord id is 0 (serenity's ids cannot hold it, and would panic).
            Some(g) => Some(g.parse::<u64>().ok().filter(|&id| id != 0).ok_or_else(|| {
                BotError::Settings(format!(
                    "LIAISON_GUILD_ID \"{g}\" is not a Discord server id (turn on Developer Mode, right-click the server, Copy Server ID)"
                ))
            })?),
            None => None,
        };
        let api_url = var("DISCORD_API_URL").map(|u| u.trim_end_matches('/').to_string());
        if let Some(url) = &api_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(BotError::Settings(format!(
                    "DISCORD_API_URL \"{url}\" must start with http:// or https://"
                )));
            }
        }
        Ok(BotSettings {
            token: token.trim_start_matches("Bot ").to_string(),
            api_url,
            register_guild,
            shards: None,
        })
    }

    pub fn new(token: &str, api_url: Option<String>, register_guild: Option<u64>) -> Self {
        BotSettings { token: token.to_string(), api_url, register_guild, shards: None }
    }

    pub fn with_shards(self, shards: Option<ShardRange>) -> Self {
        BotSettings { shards, ..self }
    }

    /// serenity's HTTP client. Pointed elsewhere, every request goes to `{api_url}/api/v10/...`;
    /// serenity honours that only with its rate limiter off, which is fine for a test double and
    /// a proxy that does its own limiting. Against Discord itself the rate limiter stays on.
    pub fn http(&self) -> Http {
        match &self.api_url {
            Some(url) => HttpBuilder::new(&self.token).proxy(url).ratelimiter_disabled(true).build(),
            None => HttpBuilder::new(&self.token).build(),
        }
    }
}

/// The name of the credential holding the token, as a unit's `LoadCredential=` passes it (see
/// deploy/liaison.service): systemd puts it in `$CREDENTIALS_DIRECTORY`, readable by the service
/// alone, so the token is in neither the unit nor the environment of other processes.
pub const TOKEN_CREDENTIAL: &str = "discord-token";

/// `DISCORD_TOKEN` when set; else the `discord-token` file in the credentials directory.
pub fn discord_token(
    variable: Option<String>,
    credentials: Option<std::path::PathBuf>,
) -> Result<String, BotError> {
    if let Some(token) = variable {
        return Ok(token);
    }
    let Some(directory) = credentials else {
        return Err(BotError::Settings(
            "DISCORD_TOKEN is not set: put the bot's token (developer portal > your app > Bot) in that environment variable, or in a credentials file (see deploy/liaison.service)".into(),
        ));
    };
    let path = directory.join(TOKEN_CREDENTIAL);
    // The error names the file, never its contents.
    let text = std::fs::read_to_string(&path).map_err(|e| {
        BotError::Settings(format!(
            "DISCORD_TOKEN is not set and the credential {} cannot be read: {e}",
            path.display()
        ))
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(BotError::Settings(format!(
            "the credential {} is empty: put the bot's token in it",
            path.display()
        )));
    }
    Ok(token.to_string())
}

/// Looks up the application and registers every command with one bulk overwrite. Returns how
/// many were registered.
pub async fn register(http: &Http, guild: Option<u64>) -> Result<usize, BotError> {
    // serenity's `GuildId::new` panics on 0; `from_env` refuses it, and so does this, for any caller.
    let server = guild
        .map(|g| {
            let id = std::num::NonZeroU64::new(g).map(serenity::model::id::GuildId::from);
            id.ok_or_else(|| BotError::Settings("0 is not a Discord server id".into()))
        })
        .transpose()?;
    let app = http.get_current_application_info().await.map_err(discord_error)?;
    http.set_application_id(app.id);
    let definitions = commands::definitions();
    let count = definitions.len();
    match server {
        Some(g) => g.set_commands(http, definitions).await.map(|c| c.len()),
        None => Command::set_global_commands(http, definitions).await.map(|c| c.len()),
    }
    .map_err(discord_error)?;
    tracing::info!(count, guild, "registered commands");
    Ok(count)
}

fn discord_error(e: serenity::Error) -> BotError {
    match status(&e) {
        Some(401) => BotError::BadToken("401 Unauthorized".into()),
        _ => BotError::Discord(describe(&e)),
    }
}

/// Counts interactions being answered, so shutdown can let them finish.
#[derive(Default)]
struct InFlight(AtomicUsize);

struct Guard<'a>(&'a InFlight);

impl InFlight {
    fn enter(&self) -> Guard<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Guard(self)
    }

    async fn drained(&self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while self.0.load(Ordering::SeqCst) > 0 {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        true
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.0 .0.fetch_sub(1, Ordering::SeqCst);
    }
}

struct Handler {
    app: App,
    in_flight: Arc<InFlight>,
    throttle: Throttle,
}

#[serenity::async_trait]
impl RawEventHandler for Handler {
    async fn raw_event(&self, ctx: Context, event: Event) {
        match event {
            Event::InteractionCreate(e) => {
                let _guard = self.in_flight.enter();
                // serenity runs each event in its own task, so nothing else bounds how many are
                // worked on at once; past the limits an answer now beats one after Discord's 3 s.
                let admitted = match interaction::throttled_member(&e.interaction) {
                    Some(member) => self.throttle.admit(member, std::time::Instant::now()).await.map(Some),
                    None => Ok(None),
                };
                match admitted {
                    Ok(_permit) => interaction::handle(&self.app, &ctx.http, e.interaction).await,
                    Err(refusal) => interaction::turn_away(&ctx.http, &e.interaction, refusal).await,
                }
            }
            // Never register commands or start jobs here: READY fires again after every
            // re-identify.
            Event::Ready(r) => {
                tracing::info!(user = %r.ready.user.name, guilds = r.ready.guilds.len(), "connected")
            }
            // Removed from a server (not an outage, which says `unavailable`): its data waits out
            // the grace period. Added back, or simply there when the bot connects: kept.
            Event::GuildDelete(e) if !e.guild.unavailable => {
                let guild = GuildId(e.guild.id.get());
                match departures::left(
                    self.app.store.as_ref(),
                    &self.app.config.retention,
                    guild,
                    self.app.now(),
                )
                .await
                {
                    Ok(at) => {
                        tracing::info!(guild = %guild, delete_after = %at, "removed from a server; its data will be deleted then unless the bot is added back")
                    }
                    Err(e) => {
                        tracing::error!(guild = %guild, error = %e, "removed from a server, but its deletion could not be scheduled")
                    }
                }
            }
            Event::GuildCreate(e) => {
                let guild = GuildId(e.guild.id.get());
                remember_locale(&self.app, guild, &e.guild.preferred_locale).await;
                match departures::present(self.app.store.as_ref(), guild).await {
                    Ok(true) => tracing::info!(guild = %guild, "added back to a server: its data is kept"),
                    Ok(false) => {}
                    Err(e) => {
                        tracing::error!(guild = %guild, error = %e, "could not cancel a server's scheduled deletion")
                    }
                }
            }
            // An admin changed the server's language: later digests and reminders follow it.
            Event::GuildUpdate(e) => {
                remember_locale(&self.app, GuildId(e.guild.id.get()), &e.guild.preferred_locale).await
            }
            Event::Unknown(u) if u.kind == "INTERACTION_CREATE" => {
                let _guard = self.in_flight.enter();
                interaction::unreadable(&ctx.http, &u.value).await;
            }
            _ => {}
        }
    }
}

/// Keeps the server's locale for the messages the bot sends unasked; a failure costs only the
/// date style, so it is logged and nothing else.
async fn remember_locale(app: &App, guild: GuildId, locale: &str) {
    if let Err(e) = locales::remember(app.store.as_ref(), guild, locale, app.now()).await {
        tracing::warn!(guild = %guild, error = %e, "could not keep the server's locale");
    }
}

/// Registers the commands once, connects, and answers interactions until `shutdown` resolves
/// (or the gateway fails); then lets in-flight interactions finish and returns.
pub async fn run(
    app: App,
    settings: &BotSettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), BotError> {
    let http = settings.http();
    register(&http, settings.register_guild).await?;
    let in_flight = Arc::new(InFlight::default());
    // Interactions need no intent; GUILDS (not privileged) tells the bot when it is removed from
    // a server or added back, which retention needs.
    let mut client = serenity::client::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .raw_event_handler(Handler {
            throttle: Throttle::new(&app.config.throttling),
            app,
            in_flight: in_flight.clone(),
        })
        .await
        .map_err(|e| BotError::Discord(describe(&e)))?;
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: closing the gateway");
        shards.shutdown_all().await;
    });
    let result = match settings.shards {
        // serenity reads this Range's end as inclusive ("up to and including"), unlike Rust's.
        Some(r) => {
            tracing::info!(shards = %r, "running a range of gateway shards");
            client.start_shard_range(r.first..r.last, r.total).await
        }
        None => client.start().await,
    };
    if !in_flight.drained(DRAIN).await {
        tracing::warn!("some interactions were still being answered at shutdown");
    }
    match result {
        Ok(()) => Ok(()),
        Err(serenity::Error::Gateway(serenity::gateway::GatewayError::InvalidAuthentication)) => {
            Err(BotError::BadToken("the gateway closed with 4004 Authentication failed".into()))
        }
        Err(e) => Err(BotError::Discord(describe(&e))),
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_comes_from_the_variable_first_then_the_credentials_directory() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join(TOKEN_CREDENTIAL), "from-the-file\n").unwrap();
        let credentials = Some(dir.path().to_path_buf());
        assert_eq!(
            discord_token(Some("from-the-variable".into()), credentials.clone()).unwrap(),
            "from-the-variable"
        );
        assert_eq!(discord_token(None, credentials).unwrap(), "from-the-file");
    }

    #[test]
    fn a_missing_token_or_credential_is_a_settings_error_naming_where_it_looked() {
        let err = discord_token(None, None).unwrap_err().to_string();
        assert!(err.contains("DISCORD_TOKEN is not set"), "{err}");
        let dir = tempfile::TempDir::new().unwrap();
        let err = discord_token(None, Some(dir.path().to_path_buf())).unwrap_err().to_string();
        assert!(err.contains(&dir.path().join(TOKEN_CREDENTIAL).display().to_string()), "{err}");
        std::fs::write(dir.path().join(TOKEN_CREDENTIAL), " \n").unwrap();
        let err = discord_token(None, Some(dir.path().to_path_buf())).unwrap_err().to_string();
        assert!(err.contains("is empty"), "{err}");
    }

    #[test]
    fn the_service_unit_passes_the_token_as_the_credential_the_bot_reads() {
        let unit = include_str!("../../deploy/liaison.service");
        let directives: Vec<&str> =
            unit.lines().map(str::trim).filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
        let credential = format!("LoadCredential={TOKEN_CREDENTIAL}:/etc/liaison/discord-token");
        assert!(directives.contains(&credential.as_str()), "{unit}");
        assert!(!directives.iter().any(|l| l.contains("DISCORD_TOKEN")), "the token is never in the unit");
    }
}
