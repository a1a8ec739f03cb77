//! The scheduler's loop: started once from `liaison run` (never from READY, which fires again on
//! every reconnect), it asks every minute which digests and follow-up reminders are due, which
//! desk hand-offs are to be sent again, which post-event prompts are due (`event_prompts::run_due`),
//! and which departed servers' data is to be deleted, and
//! runs the retention pass at start-up and then once a day (UTC). All the deciding is in
//! `digest_runs::run_due`, `reminders::run_due`, `hand_offs::run_due`,
//! `privacy::departures::run_due` and `privacy::retention::expire`, functions of `now` that tests
//! drive directly.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::Config;
use crate::service::poster::Poster;
use crate::service::privacy::departures;
use crate::service::privacy::retention::{self, GuildPass};
use crate::service::{digest_runs, event_prompts, hand_offs, reminders, terms};
use crate::store::Store;

const EVERY: Duration = Duration::from_secs(60);

/// Indexes the terms of entries written before the index existed, or by an older version of it
/// (`service::terms`), beside the bot: started once from `liaison run`, it returns when none is
/// left. Until then older entries are simply not yet found as related; nothing waits for it.
pub async fn index_terms(store: Arc<dyn Store>) {
    match terms::index_stale(store.as_ref(), &mut |_| {}).await {
        Ok(0) => {}
        Ok(indexed) => tracing::info!(entries = indexed, "indexed the terms of older entries"),
        // The next start carries on where this one stopped: each batch committed on its own.
        Err(e) => {
            tracing::warn!(error = %e, "indexing the terms of older entries failed; the next start goes on")
        }
    }
}

/// Runs until the task is aborted.
pub async fn run_forever(store: Arc<dyn Store>, config: Arc<Config>, poster: Arc<dyn Poster>) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The UTC date the retention pass last ran on in this process; none yet, so the first tick
    // runs it. The pass is idempotent, so other processes running it too is harmless.
    let mut retention_ran: Option<NaiveDate> = None;
    loop {
        tick.tick().await;
        let now = Utc::now();
        if retention_ran != Some(now.date_naive()) && expire(store.as_ref(), &config, now).await {
            retention_ran = Some(now.date_naive());
        }
        if let Err(e) = digest_runs::run_due(store.as_ref(), &config, poster.as_ref(), now).await {
            tracing::warn!(error = %e, "digest run failed; trying again in a minute");
        }
        if let Err(e) = reminders::run_due(store.as_ref(), &config, poster.as_ref(), now).await {
            tracing::warn!(error = %e, "reminder run failed; trying again in a minute");
        }
        // Hand-offs are sent when the entry is captured; this sends again those that failed, or
        // whose sender stopped before it could.
        if let Err(e) = hand_offs::run_due(store.as_ref(), &config, poster.as_ref(), now).await {
            tracing::warn!(error = %e, "hand-off run failed; trying again in a minute");
        }
        // The day after an event ends, at the guild's digest time: what happens after it?
        if let Err(e) = event_prompts::run_due(store.as_ref(), &config, poster.as_ref(), now).await {
            tracing::warn!(error = %e, "post-event prompt run failed; trying again in a minute");
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

/// The daily retention pass; the log gets the counts, never text. False when it could not start
/// (the database unreachable, say), to be tried again at the next tick; a server whose own pass
/// failed waits for tomorrow's, as the others are done.
async fn expire(store: &dyn Store, config: &Config, now: DateTime<Utc>) -> bool {
    match retention::expire(store, &config.retention, now, false, BY).await {
        Ok(passes) => {
            let cleared: u64 = passes
                .iter()
                .map(|p| match p {
                    GuildPass::Cleared { entries, .. } => *entries,
                    GuildPass::Failed { .. } => 0,
                })
                .sum();
            let servers = passes.iter().filter(|p| matches!(p, GuildPass::Cleared { .. })).count();
            tracing::info!(entries = cleared, servers, "retention pass: text cleared past its period");
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, "retention pass failed; trying again in a minute");
            false
        }
    }
}

/// Who the privacy log says ran the daily pass.
const BY: &str = "the bot (daily retention pass)";
