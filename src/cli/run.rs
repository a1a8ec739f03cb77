//! `liaison run`: the bot, over Discord's gateway, until SIGINT or SIGTERM.

use std::sync::Arc;

use super::{CliError, CliResult};
use crate::config::Config;
use crate::discord::app::App;
use crate::discord::bot::{self, BotError, BotSettings};
use crate::discord::post::DiscordPoster;
use crate::discord::scheduler;
use crate::discord::shards::ShardRange;
use crate::domain::words;
use crate::service::poster::Poster;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run only these gateway shards, as 0-3 (inclusive) or 5: for several processes sharing one
    /// PostgreSQL database. Needs --total-shards.
    #[arg(long, value_name = "RANGE", requires = "total_shards")]
    shards: Option<String>,
    /// How many shards the bot has across all its processes.
    #[arg(long, value_name = "N", requires = "shards")]
    total_shards: Option<u32>,
}

pub async fn run(config: Config, database: &str, args: Args) -> CliResult {
    let shards = match (&args.shards, args.total_shards) {
        (Some(range), Some(total)) => Some(ShardRange::parse(range, total).map_err(CliError::User)?),
        _ => None,
    };
    let settings = BotSettings::from_env().map_err(bot_error)?.with_shards(shards);
    let store = super::open_store(database, &config.database).await?;
    let config = Arc::new(config);
    let http = Arc::new(settings.http());
    let poster: Arc<dyn Poster> = Arc::new(DiscordPoster(http.clone()));
    let app = App::new(store.clone(), config.clone(), poster.clone()).with_discord(http);
    tracing::info!(
        database = %crate::store::redacted(database),
        config = %config.source,
        "starting the bot"
    );
    // Started here, once per process, not from READY.
    let scheduler = tokio::spawn(scheduler::run_forever(store.clone(), config, poster));
    let indexer = tokio::spawn(scheduler::index_terms(store.clone()));
    let result = bot::run(app, &settings, bot::shutdown_signal()).await;
    scheduler.abort();
    indexer.abort();
    store.close().await;
    result.map_err(bot_error)?;
    eprintln!("liaison stopped");
    Ok(())
}

/// `liaison register`: only the command registration, then exit.
pub async fn register() -> CliResult {
    let settings = BotSettings::from_env().map_err(bot_error)?;
    let http = settings.http();
    let count = bot::register(&http, settings.register_guild).await.map_err(bot_error)?;
    match settings.register_guild {
        Some(g) => println!("registered {} to server {g}", words::count(count, "command", "commands")),
        None => println!(
            "registered {} globally (Discord may take up to an hour to show changes)",
            words::count(count, "command", "commands")
        ),
    }
    Ok(())
}

fn bot_error(e: BotError) -> CliError {
    match e {
        BotError::Settings(_) | BotError::BadToken(_) => CliError::User(e.to_string()),
        BotError::Discord(_) => CliError::Internal(anyhow::Error::new(e)),
    }
}
