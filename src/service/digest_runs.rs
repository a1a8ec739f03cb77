//! Posting due digests exactly once: `run_due(now)` walks the guilds whose digest is on, claims
//! each guild's latest due period in the database, posts it, and marks it sent. `post_now` is the
//! same for one guild, when an admin asks.
//!
//! Claim first, post second, mark third. A crash between claim and post leaves a claim that
//! lapses after [`LEASE`], and the next run posts; a crash between post and mark can post twice
//! once the lease lapses (at least once, never silently skipped). A digest of several messages
//! records each one as it goes out, so a retry after a failure part-way resumes after the last
//! message posted instead of posting the earlier ones again. Only the latest due period is ever
//! attempted, so a bot that was down for weeks posts one digest, not one per week missed.

use chrono::{DateTime, Duration, Utc};

use super::digest::{gather, Reading};
use super::poster::{File, PostError, Poster};
use super::retry::backoff;
use super::settings::{current, schedule};
use super::{ServiceError, ServiceResult};
use crate::config::Config;
use crate::digest::{build, render_chart, render_messages, Occurrence, CHART_FILE};
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::GuildId;
use crate::message::TimeStyle;
use crate::store::{Backoff, Store};

/// How long a claim keeps other runs (and processes) off a period while it is being posted.
pub const LEASE: Duration = Duration::minutes(10);
/// A digest posted this long after its time says it is late.
const LATE_AFTER: Duration = Duration::hours(1);

/// What one run did for one guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `messages` were posted in this run, after `resumed_after` posted by an earlier attempt.
    Posted { guild: GuildId, messages: usize, resumed_after: usize, late: bool },
    /// Nothing to post (a quiet week the guild does not want); the period is marked done.
    Skipped { guild: GuildId },
    /// Another run holds the claim, or the period was already posted.
    AlreadyTaken { guild: GuildId },
    /// The post failed; the claim was given back for a later run.
    Failed { guild: GuildId, error: String },
    /// Discord refused the channel for good: the digest is turned off and admins are told.
    Stopped { guild: GuildId, error: String },
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
        let occurrence = schedule(&settings).latest_due(now);
        match run_one(store, config, poster, &settings, &occurrence, Backoff::Honour, now).await {
            Ok(outcome) => outcomes.push(outcome),
            // One guild's failure never stops another's digest: logged, and the next guild goes on;
            // the lapsed claim lets a later run try this one again.
            Err(e) => tracing::error!(
                guild = %settings.guild,
                error = %e,
                "the digest run failed for this guild; other guilds go on"
            ),
        }
    }
    Ok(outcomes)
}

/// What `post_now` found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostNow {
    /// The period was posted before (by the schedule or an earlier request).
    AlreadyPosted {
        label: String,
        channel: u64,
        message_ids: Vec<u64>,
        sent_at: DateTime<Utc>,
    },
    Ran {
        label: String,
        channel: u64,
        outcome: Outcome,
    },
}

/// Posts a guild's current period (the one its schedule last made due) now, through the same
/// claim as the scheduler, so it is never posted twice; an earlier failure's backoff is not
/// waited out, since someone asked. Works while the digest is off, as long as it has a channel.
pub async fn post_now(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    guild: GuildId,
    now: DateTime<Utc>,
) -> ServiceResult<PostNow> {
    let (settings, _) = current(store, &config.digest, config.rules.timezone, guild).await?;
    if settings.channel == 0 {
        return Err(ServiceError::invalid(
            "There is no digest channel yet: choose one with `/settings digest channel:`.",
        ));
    }
    let occurrence = schedule(&settings).latest_due(now);
    let label = occurrence.digest_period_in(super::locales::dates(store, guild).await).label;
    if let Some(run) = store.digest_run(guild, occurrence.period_start).await? {
        if let Some(sent_at) = run.sent_at {
            return Ok(PostNow::AlreadyPosted {
                label,
                channel: settings.channel,
                message_ids: run.message_ids,
                sent_at,
            });
        }
    }
    let outcome = run_one(store, config, poster, &settings, &occurrence, Backoff::Skip, now).await?;
    Ok(PostNow::Ran { label, channel: settings.channel, outcome })
}

async fn run_one(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    s: &DigestSettings,
    occurrence: &Occurrence,
    backoff: Backoff,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    let guild = s.guild;
    let period_start = occurrence.period_start;
    if !store.claim_digest(guild, period_start, now, LEASE, backoff).await? {
        return Ok(Outcome::AlreadyTaken { guild });
    }
    let mut posted = store.digest_run(guild, period_start).await?.map(|r| r.message_ids).unwrap_or_default();
    let resumed_after = posted.len();
    let late = now - occurrence.due_at > LATE_AFTER;
    let dates = super::locales::dates(store, guild).await;
    let mut period = occurrence.digest_period_in(dates);
    if late {
        period.label.push_str(" (posted late)");
    }
    let input =
        gather(store, config, Reading { dates, ..Reading::for_guild(config, s) }, guild, period, now).await?;
    let Some(digest) = build(&input) else {
        store.mark_digest_sent(guild, period_start, &posted, now).await?;
        return Ok(Outcome::Skipped { guild });
    };
    // The chart goes with the first message: none to draw when that one is already out.
    let mut chart = if resumed_after == 0 && digest.has_chart() {
        match render_chart(&digest) {
            Ok(png) => Some(File { name: CHART_FILE.to_string(), bytes: png }),
            Err(e) => {
                tracing::warn!(%guild, error = %e, "digest chart failed; posting without it");
                None
            }
        }
    } else {
        None
    };
    let markup = poster.markup();
    let mut messages = render_messages(&digest, markup, chart.as_ref().map(|f| f.name.as_str()));
    if late && resumed_after == 0 {
        if let Some(first) = messages.first_mut() {
            let due = markup.time(occurrence.due_at, TimeStyle::DateTime);
            first.content = format!("This digest is late: it was due {due}.");
        }
    }
    let total = messages.len();
    for message in messages.into_iter().skip(resumed_after) {
        match poster.post(s.channel, message, chart.take()).await {
            Ok(id) => {
                posted.push(id);
                if posted.len() < total {
                    store.record_digest_parts(guild, period_start, &posted).await?;
                }
            }
            Err(e) => return failed(store, poster, s, occurrence, e, now).await,
        }
    }
    store.mark_digest_sent(guild, period_start, &posted, now).await?;
    let messages = posted.len().saturating_sub(resumed_after);
    tracing::info!(%guild, period = %period_start, messages, resumed_after, late, "digest posted");
    Ok(Outcome::Posted { guild, messages, resumed_after, late })
}

/// Gives the claim back with a backoff; a channel Discord refuses for good turns the digest off.
async fn failed(
    store: &dyn Store,
    poster: &dyn Poster,
    s: &DigestSettings,
    occurrence: &Occurrence,
    PostError { message, permanent }: PostError,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    let guild = s.guild;
    let attempts = store.digest_run(guild, occurrence.period_start).await?.map_or(1, |r| r.attempts);
    store.release_digest(guild, occurrence.period_start, &message, now + backoff(attempts)).await?;
    if permanent {
        let problem = format!(
            "The digest could not be posted in {}: {message}. It is off until an admin chooses a channel again.",
            poster.markup().channel(s.channel)
        );
        // Only if the settings still name the refused channel: an admin may have chosen another
        // (or changed the time) while the post was failing, and that change stands.
        if store.stop_digest(guild, s.channel, &problem, now).await? {
            tracing::error!(%guild, channel = s.channel, error = %message, "digest channel refused; digest turned off");
        } else {
            tracing::warn!(%guild, channel = s.channel, error = %message, "digest channel refused; the settings changed meanwhile, left as they are");
        }
        return Ok(Outcome::Stopped { guild, error: message });
    }
    tracing::warn!(%guild, period = %occurrence.period_start, error = %message, "digest not posted; will retry");
    Ok(Outcome::Failed { guild, error: message })
}
