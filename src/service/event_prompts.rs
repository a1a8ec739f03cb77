//! Post-event prompts: the day after an event ends, at the guild's digest time of day, each
//! organiser is asked by DM what happens after it (a follow-up, what they heard, or nothing).
//! Sent through claims like reminders' and hand-offs': once per (event, organiser) across
//! restarts and processes; never to an organiser who already added a follow-up to the event.

use chrono::{DateTime, Days, Duration, NaiveDate, TimeZone, Utc};

use super::capture::{prepare, CaptureRequest};
use super::claimed::{settle, Settled};
use super::defaults;
use super::poster::Poster;
use super::settings::current;
use super::{ServiceError, ServiceResult};
use crate::config::Config;
use crate::domain::department::Department;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::entry::{Author, Entry};
use crate::domain::event::{Event, EventId};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::store::{CaptureKey, EventPromptEnd, EventPromptKey, Inserted, Store};

/// How long a claim is held before another process may take it over.
pub const LEASE: Duration = Duration::minutes(10);

/// How long after its time a prompt is still sent (the bot was down, Discord failed): after
/// that, the question is stale.
pub const SEND_FOR: Duration = Duration::days(2);

/// What happened to one organiser's prompt in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent(EventPromptKey),
    /// Discord refused the DM for good (DMs closed): recorded, not tried again.
    Undeliverable {
        key: EventPromptKey,
        error: String,
    },
    /// Not sent this time; given back with a backoff.
    Failed {
        key: EventPromptKey,
        error: String,
    },
    /// The organiser already added a follow-up to the event: no prompt.
    AlreadyDecided(EventPromptKey),
}

/// When an event's prompts are due: the day after its last day, at the guild's digest time, in
/// the guild's timezone (the earlier of a doubled hour; the hour after a skipped one).
pub fn due_at(settings: &DigestSettings, ends_on: NaiveDate) -> Option<DateTime<Utc>> {
    let day = ends_on.checked_add_days(Days::new(1))?;
    let local = day.and_time(settings.time);
    let zone = settings.timezone;
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(local + Duration::hours(1))).earliest())
        .map(|t| t.with_timezone(&Utc))
}

/// Sends the prompts due at `now`, and again those whose sending failed or whose sender stopped.
/// A failure for one event is logged and the others go on.
pub async fn run_due(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    // Every zone's "yesterday" lies within a day of UTC's; SEND_FOR reaches two days further.
    let today = now.date_naive();
    let first = today.checked_sub_days(Days::new(4)).unwrap_or(today);
    let last = today.checked_add_days(Days::new(1)).unwrap_or(today);
    for event in store.all_events_ended(first, last).await? {
        match prompt_event(store, config, poster, &event, now).await {
            Ok(mut sent) => outcomes.append(&mut sent),
            Err(e) => tracing::error!(
                guild = %event.guild,
                event = %event.id,
                error = %e,
                "post-event prompts failed; other events go on"
            ),
        }
    }
    for key in store.unsent_event_prompts(now - SEND_FOR, now - LEASE, now).await? {
        match resend(store, poster, key, now).await {
            Ok(Some(outcome)) => outcomes.push(outcome),
            Ok(None) => {}
            Err(e) => {
                tracing::error!(guild = %key.guild, event = %key.event, error = %e, "a post-event prompt failed")
            }
        }
    }
    Ok(outcomes)
}

/// Whether a prompt due `at` is sent at `now`: from its time, for [`SEND_FOR`].
fn sending(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at <= now && now < at + SEND_FOR
}

/// Why a moved event's prompt is recorded finished without a DM from this database.
pub const MOVED: &str = "the event was moved from another database after its prompt was due there";

/// For an event just moved here from another database, which had its prompts to send and whose
/// record of them does not move: each organiser's prompt that `run_due` would send now (due, and
/// not yet stale) is recorded as finished, undelivered from here, so the organisers are not asked
/// a second time; so is the prompt of each organiser in `decided`, who pressed Nothing needed
/// there, and their answer with it (the digest stops listing the event as undecided). Prompts
/// still to come are left to `run_due`. Running it again records nothing new.
pub async fn settle_moved(
    store: &dyn Store,
    config: &Config,
    event: &Event,
    decided: &[UserId],
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let (settings, _) = current(store, &config.digest, config.rules.timezone, event.guild).await?;
    // Before its time the prompt is this database's to send; after SEND_FOR nobody sends it.
    let due = due_at(&settings, event.dates.ends_on()).is_some_and(|at| sending(at, now));
    for &organiser in event.organisers.iter().filter(|o| o.0 != 0) {
        let answered = decided.contains(&organiser);
        if !due && !answered {
            continue;
        }
        let key = EventPromptKey { guild: event.guild, event: event.id, organiser };
        if store.offer_event_prompt(&key, now).await? {
            let end = EventPromptEnd::Undeliverable { error: MOVED.into() };
            store.finish_event_prompt(&key, &end, now).await?;
        }
        if answered {
            store.nothing_needed(&key, now).await?;
        }
    }
    Ok(())
}

async fn prompt_event(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    event: &Event,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Outcome>> {
    let (settings, _) = current(store, &config.digest, config.rules.timezone, event.guild).await?;
    let Some(at) = due_at(&settings, event.dates.ends_on()) else { return Ok(Vec::new()) };
    if !sending(at, now) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    // No Discord user has id 0 (an erased member's): nobody to ask.
    for &organiser in event.organisers.iter().filter(|o| o.0 != 0) {
        let key = EventPromptKey { guild: event.guild, event: event.id, organiser };
        // Made already (sent, refused or being sent): this pass runs every minute for two days,
        // so it reads before it writes.
        if store.event_prompt(&key).await?.is_some() {
            continue;
        }
        if store.has_event_follow_up(event.guild, event.id, organiser).await? {
            out.push(Outcome::AlreadyDecided(key));
            continue;
        }
        // Made meanwhile by another process: the retry pass has it.
        if store.offer_event_prompt(&key, now).await? {
            out.push(deliver(store, poster, key, event, now).await?);
        }
    }
    Ok(out)
}

async fn resend(
    store: &dyn Store,
    poster: &dyn Poster,
    key: EventPromptKey,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Outcome>> {
    if !store.claim_event_prompt(&key, now, LEASE).await? {
        return Ok(None);
    }
    let Some(event) = store.event(key.guild, key.event).await? else {
        let end = EventPromptEnd::Undeliverable { error: "the event was deleted".into() };
        store.finish_event_prompt(&key, &end, now).await?;
        return Ok(None);
    };
    Ok(Some(deliver(store, poster, key, &event, now).await?))
}

async fn deliver(
    store: &dyn Store,
    poster: &dyn Poster,
    key: EventPromptKey,
    event: &Event,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    let dates = super::locales::dates(store, key.guild).await;
    let sent = poster.event_prompt(key.organiser, event, dates).await;
    Ok(match settle(store, &key, sent, now).await? {
        Settled::Sent => Outcome::Sent(key),
        Settled::Undeliverable(error) => Outcome::Undeliverable { key, error },
        Settled::Failed(error) => Outcome::Failed { key, error },
    })
}

/// The event, for one of its organisers; `Invalid` for anyone else (the prompt went to them alone).
pub async fn organised(
    store: &dyn Store,
    guild: GuildId,
    event: EventId,
    user: UserId,
) -> ServiceResult<Event> {
    match store.event(guild, event).await? {
        Some(e) if e.is_organiser(user) => Ok(e),
        Some(_) => Err(ServiceError::invalid("Only the event's organisers can answer this.")),
        None => Err(ServiceError::invalid("That event is gone.")),
    }
}

/// Nothing needed: recorded for the organiser (the digest stops listing the event as undecided).
pub async fn nothing_needed(
    store: &dyn Store,
    guild: GuildId,
    event: EventId,
    user: UserId,
    now: DateTime<Utc>,
) -> ServiceResult<Event> {
    let found = organised(store, guild, event, user).await?;
    let key = EventPromptKey { guild, event, organiser: user };
    if !store.nothing_needed(&key, now).await? {
        return Err(ServiceError::invalid(
            "You were not asked about this event, so there is nothing to answer.",
        ));
    }
    Ok(found)
}

/// A follow-up decided after an event, as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpInput {
    pub what: String,
    pub owner: UserId,
    /// A due date phrase.
    pub due: String,
    pub department: Department,
}

/// Adds a follow-up after an event: an entry by the organiser, through the `event` channel where
/// the guild has one, with the follow-up, linked to the event.
pub async fn add_follow_up(
    store: &dyn Store,
    rules: &Rules,
    (guild, event): (GuildId, EventId),
    organiser: Author,
    input: FollowUpInput,
    (once, now): (Option<CaptureKey>, DateTime<Utc>),
) -> ServiceResult<FollowUpSaved> {
    let found = organised(store, guild, event, organiser.id).await?;
    if input.due.trim().is_empty() {
        return Err(ServiceError::invalid("a follow-up needs a date it is due by"));
    }
    let channel = Some(defaults::channel_for(rules, true, None).0);
    let request = CaptureRequest {
        guild,
        author: organiser,
        department: input.department,
        also_departments: Vec::new(),
        partners: found.partners.clone(),
        channel,
        note: input.what,
        tags: None,
        when: Some(found.dates.ends_on().format("%Y-%m-%d").to_string()),
        follow_up: Some(input.due),
        source: None,
        share: Share::Team,
    };
    let mut entry = prepare(rules, request, now)?;
    if let Some(f) = entry.follow_up.as_mut() {
        f.owner = input.owner;
    }
    // A form submitted twice (a double click, a client retry) saves once.
    let saved = match once {
        Some(key) => match store.insert_entry_once(&entry, key).await? {
            Inserted::New(saved) => *saved,
            Inserted::Already(id) => {
                store.link_entry_event(guild, id, event).await?;
                return Ok(FollowUpSaved::Already(id));
            }
        },
        None => store.insert_entry(&entry).await?,
    };
    if !store.link_entry_event(guild, saved.id, event).await? {
        tracing::warn!(guild = %guild, event = %event, entry = %saved.id, "a follow-up's event went before it was linked");
    }
    Ok(FollowUpSaved::New(Box::new(saved)))
}

/// What a follow-up form's submit came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpSaved {
    New(Box<Entry>),
    /// Submitted before, and saved as this entry; nothing was written this time.
    Already(EntryId),
}
