//! Telling the person it matters to: when a colleague captures an entry about the same thing as
//! an entry with an open follow-up, the follow-up's owner gets a DM ("Someone else heard about
//! this"), and the capturer is told who was told. At most one a day per follow-up, the day in the
//! guild's timezone (its digest settings' one, the config's by default): the day the owner reads
//! the DM on, and the one "today" in it means. Each notice is a claim row (see `reminders` and
//! `hand_offs`): recorded and sent at capture, sent again by the scheduler when that failed or
//! its sender died, finished for good when Discord refuses it (DMs closed). A private capture
//! tells nobody: its text is for its author and admins only.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::capture::Captured;
use super::claimed::{settle, Settled};
use super::poster::Poster;
pub use super::poster::{Heard, HeardOn};
use super::settings::current;
use super::ServiceResult;
use crate::config::Config;
use crate::domain::date_style::DateStyle;
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId, UserId, FORMER_MEMBER_ID};
use crate::domain::privacy::Share;
use crate::store::{RelatedNotice, RelatedNoticeEnd, RelatedNoticeKey, Store};

/// How long a claim keeps other runs off a notice while its DM is being sent.
pub const LEASE: Duration = Duration::minutes(10);

/// How long the scheduler keeps trying to send a notice whose DM failed: past that, "someone
/// else heard about this" is old news, and the digest has the entries.
pub const SEND_FOR: Duration = Duration::days(2);

/// A follow-up whose owner is to be told of a new entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub owner: UserId,
    /// The entry the follow-up is on.
    pub follow_up: EntryId,
}

/// How one notice went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Discord refused the DM for good (the owner's DMs are closed): not tried again.
    Undeliverable(String),
    /// Worth trying again: the claim was given back with a backoff, and the scheduler retries.
    Failed(String),
    /// The owner was told about this follow-up today already (or is being told): nothing sent.
    AlreadyTold,
    /// The follow-up was closed, or an entry deleted or made private, meanwhile: nothing sent.
    Gone,
}

/// One owner, and how telling them went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub owner: Owner,
    pub outcome: Outcome,
}

/// Who a capture tells: the owners of the open follow-ups on the entries it relates to, but never
/// the capturer, nor a member erased since; each follow-up once. Nobody for a private capture, or
/// when who else heard this could not be looked up.
pub fn owners(captured: &Captured) -> Vec<Owner> {
    let mut out: Vec<Owner> = Vec::new();
    for related in captured.related.iter().flatten() {
        if let Some(owner) = to_tell(&related.entry, &captured.entry) {
            if !out.iter().any(|o| o.follow_up == owner.follow_up) {
                out.push(owner);
            }
        }
    }
    out
}

/// The owner of `related`'s follow-up, when they are to be told of `heard`: the follow-up is
/// open and owned by someone other than who heard it (not a member erased since, nor nobody, as
/// an entry made outside Discord has it), and both entries are the team's, `heard`'s text still
/// kept. `related` lists only team entries: checked again, so that a private entry never becomes
/// the reason for a DM whatever the lookup does. The same rule at capture and, read again, when
/// the scheduler resends.
fn to_tell(related: &Entry, heard: &Entry) -> Option<Owner> {
    let f = related.follow_up.as_ref().filter(|f| f.status == FollowUpStatus::Open)?;
    let someone_else = f.owner != heard.author.id && f.owner != FORMER_MEMBER_ID && f.owner.0 != 0;
    let shared = related.share == Share::Team && heard.share == Share::Team && heard.expired_at.is_none();
    (someone_else && shared).then_some(Owner { owner: f.owner, follow_up: related.id })
}

/// After a capture: records a notice per owner [`owners`] names, for today in the guild's
/// timezone, and sends each DM now. Who was told, with how each went.
pub async fn tell(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    captured: &Captured,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Told>> {
    let owners = owners(captured);
    if owners.is_empty() {
        return Ok(Vec::new());
    }
    let entry = &captured.entry;
    let tz = timezone(store, config, entry.guild).await?;
    let today = now.with_timezone(&tz).date_naive();
    let dates = super::locales::dates(store, entry.guild).await;
    let mut told = Vec::new();
    for owner in owners {
        let key = RelatedNoticeKey { guild: entry.guild, entry: owner.follow_up, day: today };
        let outcome = if store.offer_related_notice(&key, entry.id, now).await? {
            let heard = heard_of(config, entry, owner.follow_up, today, tz, dates);
            deliver(store, poster, &key, owner.owner, &heard, now).await?
        } else {
            Outcome::AlreadyTold
        };
        told.push(Told { owner, outcome });
    }
    Ok(told)
}

/// Sends the DMs of notices whose sending failed or whose sender died, in every guild: the
/// scheduler's minute tick. One notice's failure never stops another's.
pub async fn run_due(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<(RelatedNoticeKey, Outcome)>> {
    let mut outcomes = Vec::new();
    for key in store.unsent_related_notices(now - SEND_FOR, now - LEASE, now).await? {
        match resend(store, config, poster, key, now).await {
            Ok(outcome) => outcomes.push((key, outcome)),
            Err(e) => tracing::error!(
                guild = %key.guild,
                entry = %key.entry,
                error = %e,
                "a related notice failed; other notices go on"
            ),
        }
    }
    Ok(outcomes)
}

async fn resend(
    store: &dyn Store,
    config: &Config,
    poster: &dyn Poster,
    key: RelatedNoticeKey,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    if !store.claim_related_notice(&key, now, LEASE).await? {
        return Ok(Outcome::AlreadyTold);
    }
    let Some(notice) = store.related_notice(&key).await? else { return Ok(Outcome::Gone) };
    // Read again under the claim: the follow-up may have been closed or handed on, and the new
    // entry deleted or made private, since it was captured.
    let related = store.entry(key.guild, key.entry).await?;
    let heard = store.entry(key.guild, notice.heard).await?;
    let still = match (related, heard) {
        (Some(related), Some(heard)) => to_tell(&related, &heard).map(|owner| (owner, heard)),
        _ => None,
    };
    let Some((owner, heard)) = still else {
        let end = RelatedNoticeEnd::Undeliverable { error: "no longer to be told".into() };
        store.finish_related_notice(&key, &end, now).await?;
        return Ok(Outcome::Gone);
    };
    let tz = timezone(store, config, key.guild).await?;
    let dates = super::locales::dates(store, key.guild).await;
    let heard = heard_of(config, &heard, owner.follow_up, key.day, tz, dates);
    deliver(store, poster, &key, owner.owner, &heard, now).await
}

/// The notices Discord refused for `owner`'s still-open follow-ups, of new entries they may still
/// open, that they have not been told of; from now on they count as told. Said only in a private
/// reply: a shared channel never learns whose DMs are closed.
pub async fn take(
    store: &dyn Store,
    guild: GuildId,
    owner: UserId,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<RelatedNotice>> {
    Ok(store.take_related_notices(guild, owner, now).await?)
}

/// What the owner is told of `entry` for their follow-up on `follow_up`, on `day` (in `tz`).
fn heard_of(
    config: &Config,
    entry: &Entry,
    follow_up: EntryId,
    day: NaiveDate,
    tz: Tz,
    dates: DateStyle,
) -> Heard {
    let rules = &config.rules;
    let heard_day = entry.occurred_at.with_timezone(&tz).date_naive();
    let on = match (day - heard_day).num_days() {
        0 => HeardOn::Today,
        1 => HeardOn::Yesterday,
        _ => HeardOn::Day(heard_day),
    };
    Heard {
        entry: entry.clone(),
        follow_up,
        department: rules.departments.display_name(&entry.department).to_string(),
        channel: rules.channels.display_name(&entry.channel).to_string(),
        on,
        dates,
    }
}

/// Sends one claimed notice's DM to `owner` and records how it went.
async fn deliver(
    store: &dyn Store,
    poster: &dyn Poster,
    key: &RelatedNoticeKey,
    owner: UserId,
    heard: &Heard,
    now: DateTime<Utc>,
) -> ServiceResult<Outcome> {
    let sent = poster.related_notice(owner, heard).await;
    Ok(match settle(store, key, sent, now).await? {
        Settled::Sent => Outcome::Sent,
        Settled::Undeliverable(error) => Outcome::Undeliverable(error),
        Settled::Failed(error) => Outcome::Failed(error),
    })
}

/// The guild's timezone: its digest settings', else the config's.
async fn timezone(store: &dyn Store, config: &Config, guild: GuildId) -> ServiceResult<Tz> {
    let (settings, _) = current(store, &config.digest, config.rules.timezone, guild).await?;
    Ok(settings.timezone)
}

#[cfg(test)]
mod tests {
    //! Who a capture tells, decided from the capture alone.

    use std::path::Path;

    use chrono::TimeZone;

    use super::*;
    use crate::domain::entry::{Author, FollowUp};
    use crate::service::capture::{prepare, CaptureRequest, Related};

    fn entry(id: i64, author: u64, share: Share, follow_up: Option<FollowUp>) -> Entry {
        let text = include_str!("../../config/liaison.toml");
        let rules = crate::config::Config::parse(Path::new("config/liaison.toml"), text, None, None)
            .expect("the shipped config")
            .rules;
        let request = CaptureRequest {
            also_departments: Vec::new(),
            partners: Vec::new(),
            guild: GuildId(7),
            author: Author { id: UserId(author), name: format!("Member {author}") },
            department: rules.departments.resolve("History").expect("History").clone(),
            channel: None,
            note: "Three PhD students asked for EEBO training".into(),
            tags: None,
            when: None,
            follow_up: None,
            source: None,
            share,
        };
        let now = Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap();
        let mut e = Entry::from_new(EntryId(id), prepare(&rules, request, now).expect("valid"));
        e.follow_up = follow_up;
        e
    }

    fn open(owner: u64) -> Option<FollowUp> {
        Some(FollowUp::open(UserId(owner), NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date")))
    }

    fn captured(by: u64, share: Share, related: Option<Vec<Entry>>) -> Captured {
        let related =
            related.map(|r| r.into_iter().map(|entry| Related { entry, shared: Vec::new() }).collect());
        Captured { entry: entry(100, by, share, None), related }
    }

    const BOB: u64 = 2;

    #[test]
    fn the_owners_of_open_follow_ups_on_related_entries_are_told_each_follow_up_once() {
        let mut done = entry(3, 1, Share::Team, open(1));
        if let Some(f) = done.follow_up.as_mut() {
            f.status = FollowUpStatus::Done;
        }
        let related = vec![
            entry(1, 1, Share::Team, open(1)),
            entry(2, 1, Share::Team, None),
            done,
            // Handed to someone else: the owner is told, not the author.
            entry(4, 1, Share::Team, open(5)),
            entry(1, 1, Share::Team, open(1)),
        ];
        assert_eq!(
            owners(&captured(BOB, Share::Team, Some(related))),
            [
                Owner { owner: UserId(1), follow_up: EntryId(1) },
                Owner { owner: UserId(5), follow_up: EntryId(4) }
            ]
        );
    }

    #[test]
    fn nobody_is_told_of_a_private_capture_nor_the_capturer_nor_a_former_member() {
        let related = || vec![entry(1, 1, Share::Team, open(1))];
        assert!(owners(&captured(BOB, Share::Private, Some(related()))).is_empty(), "private");
        assert!(owners(&captured(BOB, Share::Team, None)).is_empty(), "the lookup failed");
        assert!(owners(&captured(1, Share::Team, Some(related()))).is_empty(), "their own follow-up");
        let erased = vec![entry(1, 1, Share::Team, open(FORMER_MEMBER_ID.0))];
        assert!(owners(&captured(BOB, Share::Team, Some(erased))).is_empty(), "erased since");
        let private = vec![entry(1, 1, Share::Private, open(1))];
        assert!(owners(&captured(BOB, Share::Team, Some(private))).is_empty(), "a private entry's");
    }
}
