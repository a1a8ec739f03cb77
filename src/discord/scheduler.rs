//! The digest scheduler's loop: started once from `liaison run` (never from READY, which fires
//! again on every reconnect), it asks `run_due` every minute. All the deciding is in `run_due`,
//! a function of `now` that tests drive directly.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serenity::http::Http;

use super::post::DiscordPoster;
use crate::config::Config;
use crate::service::digest_runs::run_due;
use crate::store::Store;

const EVERY: Duration = Duration::from_secs(60);

/// Runs until the task is aborted.
pub async fn run_forever(store: Arc<dyn Store>, config: Arc<Config>, http: Arc<Http>) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let poster = DiscordPoster(&http);
        if let Err(e) = run_due(store.as_ref(), &config, &poster, Utc::now()).await {
            tracing::warn!(error = %e, "digest run failed; trying again in a minute");
        }
    }
}
