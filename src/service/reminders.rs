//! Follow-up reminders: on a follow-up's due date, from the guild's digest time of day in its
//! timezone, a private message to the owner. Claimed like a digest (see `digest_runs`), once per
//! entry and due date, so a restart or a second process never reminds twice. A reminder Discord
//! refuses (the owner's DMs are closed) is kept as undeliverable, and the next digest says so.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::claimed::{settle, Settled};
use super::poster::Poster;
use super::settings::current;
use super::ServiceResult;
use crate::config::Config;
use crate::digest::{local_instant, Schedule};
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::ids::{GuildId, FORMER_MEMBER_ID};
use crate::store::{ReminderKey, Store};

/// How long a claim keeps other runs off a reminder while it is being sent.
pub const LEASE: Duration = Duration::minutes(10);

/// What one run did for one reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent(ReminderKey),
    /// Discord refused the DM for good; the next digest carries a line instead.
    Undeliverable {
        key: ReminderKey,
        error: String,
    },
    /// Worth trying again: the claim was given back with a backoff.
    Failed {
        key: ReminderKey,
        error: String,
    },
    /// Closed or moved between the listing and the claim: nothing sent.
    NoLongerDue(ReminderKey),
    /// Another run holds the claim.
    AlreadyTaken(ReminderKey),
}

pub async fn run_due(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Outcome>> {
    // Every timezone's date is within a day of UTC's; which of these are due today is decided
    // per guild below.
    let utc_today = now.date_naive();
    let candidates =
        store.follow_ups_due(utc_today - Duration::days(1), utc_today + Duration::days(1)).await?;
    let mut schedules: HashMap<GuildId, Schedule> = HashMap::new();
    let mut outcomes = Vec::new();
    for entry in candidates {
        match remind_if_due(store, config, poster, &mut schedules, &entry, now).await {
            Ok(outcome) => outcomes.extend(outcome),
            // One guild's failure (its settings unreadable, say) never stops another's reminders:
            // logged, and the next reminder goes on.
            Err(e) => tracing::error!(
                guild = %entry.guild,
                entry = %entry.id,
                error = %e,
                "a follow-up reminder failed; other reminders go on"
            ),
        }
    }
    Ok(outcomes)
}

/// One candidate: reminded when its guild's time of day on its due date has come, else `None`.
async fn remind_if_due(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    schedules: &mut HashMap<GuildId, Schedule>,
    entry: &Entry,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Outcome>> {
    // A follow-up of a member erased since has nobody to remind.
    let Some(due) = entry.follow_up.as_ref().filter(|f| f.owner != FORMER_MEMBER_ID).map(|f| f.due) else {
        return Ok(None);
    };
    let schedule = match schedules.get(&entry.guild) {
        Some(s) => *s,
        None => {
            let (s, _) = current(store, &config.digest, config.rules.timezone, entry.guild).await?;
            let schedule = Schedule { weekday: s.weekday, time: s.time, timezone: s.timezone };
            *schedules.entry(entry.guild).or_insert(schedule)
        }
    };
    // On the due date itself, not after: from then on the digest lists it as overdue.
    let today = now.with_timezone(&schedule.timezone).date_naive();
    if due != today || now < local_instant(&schedule.timezone, due, schedule.time) {
        return Ok(None);
    }
    let key = ReminderKey { guild: entry.guild, entry: entry.id, due };
    // A read first, so that a reminder already sent costs no write on every tick of the day.
    if store.reminder(&key).await?.is_some_and(|r| r.finished_at.is_some()) {
        return Ok(None);
    }
    remind(store, config, poster, key, now).await.map(Some)
}

async fn remind(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    key: ReminderKey,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    if !store.claim_reminder(&key, now, LEASE).await? {
        return Ok(Outcome::AlreadyTaken(key));
    }
    // Read again under the claim: never remind of a follow-up done (or moved) meanwhile.
    let entry = store.entry(key.guild, key.entry).await?;
    let Some(entry) = entry.filter(|e| still_due(e, &key)) else {
        store.release_reminder(&key, "no longer open on this due date", now).await?;
        return Ok(Outcome::NoLongerDue(key));
    };
    let department = config.rules.departments.display_name(&entry.department);
    let dates = super::locales::dates(store, key.guild).await;
    let sent = poster.remind(&entry, department, dates).await;
    Ok(match settle(store, &key, sent, now).await? {
        Settled::Sent => Outcome::Sent(key),
        Settled::Undeliverable(error) => Outcome::Undeliverable { key, error },
        Settled::Failed(error) => Outcome::Failed { key, error },
    })
}

fn still_due(entry: &Entry, key: &ReminderKey) -> bool {
    entry.follow_up.as_ref().is_some_and(|f| f.status == FollowUpStatus::Open && f.due == key.due)
}
