//! Posting due digests exactly once: `run_due(now)` walks the guilds whose digest is on, claims
//! each guild's latest due period in the database, posts it, and marks it sent.
//!
//! Claim first, post second, mark third. A crash between claim and post leaves a claim that
//! lapses after [`LEASE`], and the next run posts; a crash between post and mark can post twice
//! once the lease lapses (at least once, never silently skipped). Only the latest due period is
//! ever attempted, so a bot that was down for weeks posts one digest, not one per week missed.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use super::digest::{gather, Reading};
use super::ServiceResult;
use crate::config::Config;
use crate::digest::{build, render_chart, render_discord, Schedule, CHART_FILE};
use crate::discord::reply::Message;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::GuildId;
use crate::store::Store;

/// How long a claim keeps other runs (and processes) off a period while it is being posted.
pub const LEASE: Duration = Duration::minutes(10);
/// The longest wait between retries of a failed post.
const MAX_BACKOFF: Duration = Duration::hours(1);
/// A digest posted this long after its time says it is late.
const LATE_AFTER: Duration = Duration::hours(1);

/// Where digests go. The bot posts through Discord; tests may count posts.
#[async_trait]
pub trait Poster: Send + Sync {
    /// Posts the messages in order (the chart, if any, with the first) and returns their ids.
    async fn post(
        &self,
        channel: u64,
        messages: Vec<Message>,
        chart: Option<(String, Vec<u8>)>,
    ) -> Result<Vec<u64>, PostError>;
}

/// Why a post failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostError {
    pub message: String,
    /// The channel is gone or forbids the bot: retrying cannot help until an admin acts.
    pub permanent: bool,
}

/// What one run did for one guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Posted {
        guild: GuildId,
        messages: usize,
        late: bool,
    },
    /// Nothing to post (a quiet week the guild does not want); the period is marked done.
    Skipped {
        guild: GuildId,
    },
    /// Another run holds the claim, or the period was already posted.
    AlreadyTaken {
        guild: GuildId,
    },
    /// The post failed; the claim was given back for a later run.
    Failed {
        guild: GuildId,
        error: String,
    },
    /// Discord refused the channel for good: the digest is turned off and admins are told.
    Stopped {
        guild: GuildId,
        error: String,
    },
}

pub async fn run_due(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    for settings in store.enabled_digests().await? {
        if settings.channel == 0 {
            continue;
        }
        outcomes.push(run_one(store, config, poster, &settings, now).await?);
    }
    Ok(outcomes)
}

async fn run_one(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    s: &DigestSettings,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    let guild = s.guild;
    let occurrence = Schedule { weekday: s.weekday, time: s.time, timezone: s.timezone }.latest_due(now);
    if !store.claim_digest(guild, occurrence.period_start, now, LEASE, crate::store::Backoff::Honour).await? {
        return Ok(Outcome::AlreadyTaken { guild });
    }
    let late = now - occurrence.due_at > LATE_AFTER;
    let mut period = occurrence.digest_period();
    if late {
        period.label.push_str(" (posted late)");
    }
    let input = gather(store, config, Reading::for_guild(config, s), guild, period, now).await?;
    let Some(digest) = build(&input) else {
        store.mark_digest_sent(guild, occurrence.period_start, &[], now).await?;
        return Ok(Outcome::Skipped { guild });
    };
    let chart = if digest.has_chart() {
        match render_chart(&digest) {
            Ok(png) => Some((CHART_FILE.to_string(), png)),
            Err(e) => {
                tracing::warn!(%guild, error = %e, "digest chart failed; posting without it");
                None
            }
        }
    } else {
        None
    };
    let mut messages = render_discord(&digest);
    if chart.is_none() {
        for e in messages.iter_mut().flat_map(|m| m.embeds.iter_mut()) {
            e.image = None;
        }
    }
    let count = messages.len();
    match poster.post(s.channel, messages, chart).await {
        Ok(ids) => {
            store.mark_digest_sent(guild, occurrence.period_start, &ids, now).await?;
            tracing::info!(%guild, period = %occurrence.period_start, messages = count, late, "digest posted");
            Ok(Outcome::Posted { guild, messages: count, late })
        }
        Err(PostError { message, permanent }) => {
            // Backoff: one minute after the first failure, doubling, at most an hour.
            let attempts = store.digest_run(guild, occurrence.period_start).await?.map_or(1, |r| r.attempts);
            let backoff = Duration::minutes(1 << attempts.saturating_sub(1).min(6)).min(MAX_BACKOFF);
            store.release_digest(guild, occurrence.period_start, &message, now + backoff).await?;
            if permanent {
                let problem = format!("The digest could not be posted in <#{}>: {message}. It is off until an admin chooses a channel again.", s.channel);
                let stopped = DigestSettings { enabled: false, problem: Some(problem), ..s.clone() };
                store.save_digest_settings(&stopped, now).await?;
                tracing::error!(%guild, channel = s.channel, error = %message, "digest channel refused; digest turned off");
                return Ok(Outcome::Stopped { guild, error: message });
            }
            tracing::warn!(%guild, period = %occurrence.period_start, error = %message, "digest not posted; will retry");
            Ok(Outcome::Failed { guild, error: message })
        }
    }
}
