//! From the desk to the liaison librarian: an entry captured through a hand-off channel (the
//! enquiry desk's, by default), or with `hand_off:true`, goes by DM to the liaison librarians of
//! each department it names, with a Take it button. The first to take it becomes the follow-up's
//! owner. Each hand-off is a claim row (see `reminders`), so a DM goes out once across restarts
//! and processes; one that failed is sent again by the scheduler, and one Discord refused (DMs
//! closed) is listed in the digest instead.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::claimed::{settle, Settled};
use super::poster::Poster;
use super::settings::current;
use super::ServiceResult;
use crate::config::Config;
use crate::digest::{HandOffInput, WaitingHandOffInput};
use crate::domain::department::DepartmentKey;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::{HandOff, HandOffEnd, HandOffKey, HandOffTake, Store};

/// How long a claim keeps other runs off a hand-off while its DM is being sent.
pub const LEASE: Duration = Duration::minutes(10);

/// A hand-off nobody took within this long is listed in the digest.
pub const TAKE_WITHIN: Duration = Duration::days(3);

/// How long the scheduler keeps trying to send a hand-off whose DM failed: after that it is
/// listed in the digest as nobody took it.
pub const SEND_FOR: Duration = Duration::days(3);

/// Taking an entry on makes its follow-up due this many days later (in the guild's timezone),
/// unless it is already due later.
pub const DUE_IN_DAYS: i64 = 7;

/// How far back the digest looks for hand-offs still waiting to be taken.
pub const WAITING_LOOK_BACK: Duration = Duration::weeks(4);

/// A liaison librarian an entry is handed to, for one of its departments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub liaison: UserId,
    pub department: DepartmentKey,
}

/// How one hand-off's DM went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent(HandOffKey),
    /// Discord refused the DM for good; the digest lists the hand-off instead.
    Undeliverable {
        key: HandOffKey,
        error: String,
    },
    /// Worth trying again: the claim was given back with a backoff, and the scheduler retries.
    Failed {
        key: HandOffKey,
        error: String,
    },
    /// Another run holds the claim, or it was recorded before.
    AlreadyTaken(HandOffKey),
    /// The entry was deleted meanwhile: nothing sent.
    Gone(HandOffKey),
}

/// Whether a capture hands off: through one of the config's hand-off channels, or asked for.
pub fn hands_off(config: &Config, entry: &Entry, asked: bool) -> bool {
    asked || config.hand_off.hands_off(&entry.channel)
}

/// Who an entry goes to: the liaison librarians of each department it names (its own first),
/// but never the person who captured it; each once, for the first of their departments.
pub async fn recipients(store: &dyn Store, entry: &Entry) -> ServiceResult<Vec<Recipient>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for department in entry.departments() {
        for liaison in store.liaisons(entry.guild, department).await? {
            if liaison != entry.author.id && seen.insert(liaison) {
                out.push(Recipient { liaison, department: department.clone() });
            }
        }
    }
    Ok(out)
}

/// Hands a just-captured entry off when [`hands_off`] says so: records a hand-off per recipient
/// and sends each DM now. Who it went to, with how each DM went; empty when nobody looks after
/// its departments (or it does not hand off).
pub async fn hand_off(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    entry: &Entry,
    asked: bool,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<(Recipient, Outcome)>> {
    if !hands_off(config, entry, asked) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for recipient in recipients(store, entry).await? {
        let key = HandOffKey { guild: entry.guild, entry: entry.id, liaison: recipient.liaison };
        // Recorded already (the same entry handed off twice): its DM is that record's.
        let outcome = if store.offer_hand_off(&key, &recipient.department, now).await? {
            deliver(store, config, poster, key, entry, &recipient.department, now).await?
        } else {
            Outcome::AlreadyTaken(key)
        };
        out.push((recipient, outcome));
    }
    Ok(out)
}

/// Sends the DMs of hand-offs whose sending failed or whose sender died, in every guild: the
/// scheduler's minute tick. One hand-off's failure never stops another's.
pub async fn run_due(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    for key in store.unsent_hand_offs(now - SEND_FOR, now - LEASE, now).await? {
        match resend(store, config, poster, key, now).await {
            Ok(outcome) => outcomes.push(outcome),
            Err(e) => tracing::error!(
                guild = %key.guild,
                entry = %key.entry,
                error = %e,
                "a hand-off failed; other hand-offs go on"
            ),
        }
    }
    Ok(outcomes)
}

async fn resend(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    key: HandOffKey,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    if !store.claim_hand_off(&key, now, LEASE).await? {
        return Ok(Outcome::AlreadyTaken(key));
    }
    let Some(hand_off) = store.hand_off(&key).await? else { return Ok(Outcome::Gone(key)) };
    let Some(entry) = store.entry(key.guild, key.entry).await? else {
        // Deleted since: nobody is to take it on. Finished, so it is not tried again.
        let end = HandOffEnd::Undeliverable { error: "the entry was deleted".into() };
        store.finish_hand_off(&key, &end, now).await?;
        return Ok(Outcome::Gone(key));
    };
    deliver(store, config, poster, key, &entry, &hand_off.department, now).await
}

/// Sends one claimed hand-off's DM and records how it went.
async fn deliver(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    key: HandOffKey,
    entry: &Entry,
    department: &DepartmentKey,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    let name = config.rules.departments.display_name(department);
    let sent = poster.hand_off(key.liaison, entry, name).await;
    Ok(match settle(store, &key, sent, now).await? {
        Settled::Sent => Outcome::Sent(key),
        Settled::Undeliverable(error) => Outcome::Undeliverable { key, error },
        Settled::Failed(error) => Outcome::Failed { key, error },
    })
}

/// What pressing Take it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The follow-up is the taker's now, due on this date.
    Yours {
        entry: EntryId,
        due: NaiveDate,
    },
    AlreadyTaken(UserId),
    NotOffered,
}

/// `taker` takes the handed-off entry on: its follow-up becomes theirs, due in
/// [`DUE_IN_DAYS`] days in the guild's timezone (or later, if it was already due later). The first
/// press wins.
pub async fn take(
    store: &dyn Store,
    config: &Config,
    guild: GuildId,
    entry: EntryId,
    taker: UserId,
    now: DateTime<Utc>,
) -> ServiceResult<Taken> {
    let (settings, _) = current(store, &config.digest, config.rules.timezone, guild).await?;
    let due = now.with_timezone(&settings.timezone).date_naive() + Duration::days(DUE_IN_DAYS);
    Ok(match store.take_hand_off(guild, entry, taker, due, now).await? {
        HandOffTake::Taken => {
            let due =
                store.entry(guild, entry).await?.and_then(|e| e.follow_up.map(|f| f.due)).unwrap_or(due);
            Taken::Yours { entry, due }
        }
        HandOffTake::AlreadyTaken(by) => Taken::AlreadyTaken(by),
        HandOffTake::NotOffered => Taken::NotOffered,
    })
}

/// The digest's numbers and list: entries handed off in `[start, end)` and how many of them were
/// taken up; and, from the last [`WAITING_LOOK_BACK`], entries nobody took within
/// [`TAKE_WITHIN`], or whose DMs reached nobody, oldest first.
pub async fn report(
    store: &dyn Store,
    guild: GuildId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ServiceResult<HandOffInput> {
    let period = by_entry(store.hand_offs_made(guild, start, end).await?);
    let made = period.len() as u64;
    let taken = period.values().filter(|h| h.iter().any(|h| h.taken.is_some())).count() as u64;
    let recent = by_entry(store.hand_offs_made(guild, now - WAITING_LOOK_BACK, now).await?);
    let mut waiting: Vec<WaitingHandOffInput> = recent
        .into_values()
        .filter(|h| h.iter().all(|h| h.taken.is_none()))
        .filter_map(|h| {
            let first = h.first()?;
            let unreached = h.iter().all(|h| matches!(h.end, Some(HandOffEnd::Undeliverable { .. })));
            (unreached || first.created_at <= now - TAKE_WITHIN).then(|| WaitingHandOffInput {
                entry: first.key.entry,
                department: first.department.clone(),
                made_at: first.created_at,
                unreached,
            })
        })
        .collect();
    // Entries deleted since need nobody to take them on.
    let ids: Vec<EntryId> = waiting.iter().map(|w| w.entry).collect();
    let existing: HashSet<EntryId> = store.existing_ids(&ids).await?.into_iter().collect();
    waiting.retain(|w| existing.contains(&w.entry));
    waiting.sort_by_key(|w| (w.made_at, w.entry));
    Ok(HandOffInput { made, taken, waiting })
}

fn by_entry(hand_offs: Vec<HandOff>) -> BTreeMap<EntryId, Vec<HandOff>> {
    let mut map: BTreeMap<EntryId, Vec<HandOff>> = BTreeMap::new();
    for h in hand_offs {
        map.entry(h.key.entry).or_default().push(h);
    }
    map
}
