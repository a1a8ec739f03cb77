//! `liaison run`: the bot, over Discord's gateway, until SIGINT or SIGTERM.

use std::sync::Arc;

use super::{CliError, CliResult};
use crate::config::Config;
use crate::discord::app::App;
use crate::discord::bot::{self, BotError, BotSettings};
use crate::discord::scheduler;

pub async fn run(config: Config, database: &str) -> CliResult {
    let settings = BotSettings::from_env().map_err(bot_error)?;
    let store = super::open_store(database, &config.database).await?;
    let config = Arc::new(config);
    let app = App::new(store.clone(), config.clone());
    tracing::info!(database = %crate::store::redacted(database), "starting the bot");
    // Started here, once per process, not from READY.
    let scheduler = tokio::spawn(scheduler::run_forever(store.clone(), config, Arc::new(settings.http())));
    let result = bot::run(app, &settings, bot::shutdown_signal()).await;
    scheduler.abort();
    store.close().await;
    result.map_err(bot_error)?;
    eprintln!("liaison stopped");
    Ok(())
}

/// `liaison register`: only the command registration, then exit.
pub async fn register(config: Config) -> CliResult {
    let settings = BotSettings::from_env().map_err(bot_error)?;
    let http = settings.http();
    let count = bot::register(&http, &config, settings.register_guild).await.map_err(bot_error)?;
    match settings.register_guild {
        Some(g) => println!("registered {count} commands to server {g}"),
        None => {
            println!("registered {count} commands globally (Discord may take up to an hour to show changes)")
        }
    }
    Ok(())
}

fn bot_error(e: BotError) -> CliError {
    match e {
        BotError::Settings(_) | BotError::BadToken(_) => CliError::User(e.to_string()),
        BotError::Discord(_) => CliError::Internal(anyhow::Error::new(e)),
    }
}
