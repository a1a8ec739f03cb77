//! The scheduler's loop: started once from `liaison run` (never from READY, which fires again on
//! every reconnect), it asks every minute which digests and follow-up reminders are due, and
//! which departed servers' data is to be deleted. All the
//! deciding is in `digest_runs::run_due` and `reminders::run_due`, functions of `now` that tests
//! drive directly.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::config::Config;
use crate::service::poster::Poster;
use crate::service::privacy::departures;
use crate::service::{digest_runs, reminders};
use crate::store::Store;

const EVERY: Duration = Duration::from_secs(60);

/// Runs until the task is aborted.
pub async fn run_forever(store: Arc<dyn Store>, config: Arc<Config>, poster: Arc<dyn Poster>) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = Utc::now();
        if let Err(e) = digest_runs::run_due(store.as_ref(), &config, poster.as_ref(), now).await {
            tracing::warn!(error = %e, "digest run failed; trying again in a minute");
        }
        if let Err(e) = reminders::run_due(store.as_ref(), &config, poster.as_ref(), now).await {
            tracing::warn!(error = %e, "reminder run failed; trying again in a minute");
        }
        match departures::run_due(store.as_ref(), now).await {
            Ok(forgotten) => {
                for (guild, entries) in forgotten {
                    tracing::info!(guild = %guild, entries, "a server the bot left long enough ago was forgotten");
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "deleting departed servers failed; trying again in a minute")
            }
        }
    }
}
