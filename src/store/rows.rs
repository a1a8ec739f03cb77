//! Stored rows to domain values, written once for both backends. Each backend decodes its own
//! column types (SQLite's unix milliseconds and date text, PostgreSQL's native types) into the
//! records here; everything else a row must satisfy is checked here, so the two backends cannot
//! come to differ in what a row means.
//!
//! What is stored is canonical (it passed the domain's rules when written), so notes and tags are
//! taken as stored, never parsed again: a rule that changed since, or a parser that is not
//! idempotent, must not make an acknowledged entry unreadable. What can still fail (a time out of
//! range, a broken follow-up, a row edited by hand) becomes `StoreError::Corrupt`, logged by id;
//! listings skip such a row ([`readable`]) so that one bad row never takes a listing down.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};

use super::{ids, DigestRun, LastContact, ReminderEnd, ReminderKey, ReminderRun, StoreError, StoreResult};
use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKey;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::entry::{Author, Entry, FollowUp, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::partner::{
    Partner, PartnerId, PartnerKind, PartnerLink, PartnerName, PartnerProfile, PartnerStatus,
};
use crate::domain::privacy::{
    PrivacyAction, PrivacyActionKind, PrivacySettings, Share, EXPIRED_AUTHOR, EXPIRED_TEXT,
};
use crate::domain::stats::{Count, LastHeard};
use crate::domain::tag::Tag;

/// An entry's columns, each in the backend-neutral type its backend decoded it to. PostgreSQL's
/// native types are these (but for `redactions`, an int4 there), so it reads rows straight into
/// this record (by position: `store::postgres::rows`); SQLite decodes its own column types first.
#[derive(Debug)]
pub(crate) struct EntryRecord {
    pub id: i64,
    pub guild_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub department: String,
    pub channel: String,
    pub informal: bool,
    pub note: String,
    pub tags: String,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub follow_up_owner: Option<i64>,
    pub follow_up_due: Option<NaiveDate>,
    pub follow_up_status: Option<String>,
    pub follow_up_done_at: Option<DateTime<Utc>>,
    pub source: Option<String>,
    pub redactions: i64,
    pub share: String,
    pub expired_at: Option<DateTime<Utc>>,
    /// The other departments, in the order given.
    pub also_departments: Vec<String>,
    /// The partners' ids and names, in the order given, side by side.
    pub partner_ids: Vec<i64>,
    pub partner_names: Vec<String>,
}

impl EntryRecord {
    pub fn into_entry(self) -> StoreResult<Entry> {
        let id = self.id;
        let corrupt = |reason: String| StoreError::Corrupt { id, reason };
        let follow_up = self.follow_up().map_err(logged)?;
        let redactions = u32::try_from(self.redactions)
            .map_err(|_| logged(corrupt(format!("redactions: {} is out of range", self.redactions))))?;
        let share = Share::parse(&self.share)
            .ok_or_else(|| logged(corrupt(format!("share \"{}\" is not team or private", self.share))))?;
        // Retention cleared the text: every reader (Discord, CLI, digest, export) is shown the
        // placeholders from here, and the write paths store them as cleared again
        // ([`cleared_text`]).
        let (author_name, note, source) = match self.expired_at {
            Some(_) => (EXPIRED_AUTHOR.to_string(), Note::from_stored(EXPIRED_TEXT.to_string()), None),
            None => (self.author_name, Note::from_stored(self.note), self.source),
        };
        if self.partner_ids.len() != self.partner_names.len() {
            return Err(logged(corrupt("partner ids and names differ in number".to_string())));
        }
        let partners = self
            .partner_ids
            .into_iter()
            .zip(self.partner_names)
            .map(|(id, name)| PartnerLink { id: PartnerId(id), name: PartnerName::from_stored(name) })
            .collect();
        Ok(Entry {
            id: EntryId(id),
            guild: GuildId(ids::from_sql(self.guild_id)),
            author: Author { id: UserId(ids::from_sql(self.author_id)), name: author_name },
            department: DepartmentKey::from_stored(self.department),
            also_departments: self.also_departments.into_iter().map(DepartmentKey::from_stored).collect(),
            partners,
            channel: ChannelKey::from_stored(self.channel),
            informal: self.informal,
            note,
            tags: stored_tags(&self.tags),
            occurred_at: self.occurred_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            follow_up,
            source,
            redactions,
            share,
            expired_at: self.expired_at,
        })
    }

    fn follow_up(&self) -> StoreResult<Option<FollowUp>> {
        let corrupt = |reason: String| StoreError::Corrupt { id: self.id, reason };
        match (self.follow_up_owner, self.follow_up_due, &self.follow_up_status) {
            (None, None, None) => Ok(None),
            (Some(owner), Some(due), Some(status)) => {
                let status = FollowUpStatus::parse(status)
                    .ok_or_else(|| corrupt(format!("follow-up status \"{status}\"")))?;
                Ok(Some(FollowUp {
                    owner: UserId(ids::from_sql(owner)),
                    due,
                    status,
                    done_at: self.follow_up_done_at,
                }))
            }
            _ => Err(corrupt("a follow-up needs an owner, a due date and a status".to_string())),
        }
    }
}

fn stored_tags(stored: &str) -> Vec<Tag> {
    stored.split_whitespace().map(|t| Tag::from_stored(t.to_string())).collect()
}

/// Logs an entry that cannot be read, by its id and what is wrong with it (never its text), and
/// hands the error on: whoever asked for that entry is told it could not be read.
pub(crate) fn logged(e: StoreError) -> StoreError {
    if let StoreError::Corrupt { id, reason } = &e {
        tracing::error!(entry = id, reason = %reason, "an entry in the database cannot be read");
    }
    e
}

/// The entries of a listing that can be read. A row that cannot is left out, and logged by its id
/// when decoded, so that one bad row never takes down a listing, a search, a digest or a scheduler.
pub(crate) fn readable<R>(rows: Vec<R>, decode: impl Fn(R) -> StoreResult<Entry>) -> Vec<Entry> {
    rows.into_iter().filter_map(|row| decode(row).ok()).collect()
}

/// What an entry's note, author name and source are stored as: as they are, or cleared (empty,
/// empty, none) once retention expired it. Reading puts the placeholders back, so an expired
/// entry exported and imported is stored exactly as before, and the full-text index never holds
/// the placeholder's words.
pub(crate) fn cleared_text(e: &Entry) -> (&str, &str, Option<&str>) {
    match e.expired_at {
        Some(_) => ("", "", None),
        None => (e.note.as_str(), e.author.name.as_str(), e.source.as_deref()),
    }
}

/// Tags as stored: normalised tags contain no whitespace, so one space separates them.
pub(crate) fn join_tags(tags: &[Tag]) -> String {
    tags.iter().map(Tag::as_str).collect::<Vec<_>>().join(" ")
}

/// A claim count as a u32. No claim makes a count outside it; one written by hand that is (too
/// large, or negative) reads as the most there can be, on either backend.
fn attempts(stored: i64) -> u32 {
    u32::try_from(stored).unwrap_or(u32::MAX)
}

/// A digest run's columns; a claim given back reads as `claimed_at: None` whatever the backend
/// stores for it.
#[derive(Debug)]
pub(crate) struct DigestRunRecord {
    pub period_start: NaiveDate,
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub message_ids: Vec<u64>,
    pub last_error: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
}

impl DigestRunRecord {
    pub fn into_digest_run(self) -> DigestRun {
        DigestRun {
            period_start: self.period_start,
            claimed_at: self.claimed_at,
            attempts: attempts(self.attempts),
            sent_at: self.sent_at,
            message_ids: self.message_ids,
            last_error: self.last_error,
            retry_at: self.retry_at,
        }
    }
}

/// A reminder's columns, as [`DigestRunRecord`] for a digest.
#[derive(Debug)]
pub(crate) struct ReminderRunRecord {
    pub guild_id: i64,
    pub entry_id: i64,
    pub due_on: NaiveDate,
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    pub finished_at: Option<DateTime<Utc>>,
    pub message_id: Option<i64>,
    pub undeliverable: bool,
    pub last_error: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
}

impl ReminderRunRecord {
    pub fn into_reminder_run(self) -> StoreResult<ReminderRun> {
        let end = match (self.finished_at, self.undeliverable, self.message_id) {
            (None, _, _) => None,
            (Some(_), true, _) => {
                Some(ReminderEnd::Undeliverable { error: self.last_error.clone().unwrap_or_default() })
            }
            (Some(_), false, Some(id)) => Some(ReminderEnd::Delivered { message_id: ids::from_sql(id) }),
            (Some(_), false, None) => {
                return Err(StoreError::Corrupt {
                    id: self.entry_id,
                    reason: "a delivered reminder without its message".into(),
                })
            }
        };
        Ok(ReminderRun {
            key: ReminderKey {
                guild: GuildId(ids::from_sql(self.guild_id)),
                entry: EntryId(self.entry_id),
                due: self.due_on,
            },
            claimed_at: self.claimed_at,
            attempts: attempts(self.attempts),
            finished_at: self.finished_at,
            end,
            last_error: self.last_error,
            retry_at: self.retry_at,
        })
    }
}

/// A guild's digest settings as stored: the weekday counted from Monday, the time in minutes.
#[derive(Debug)]
pub(crate) struct DigestSettingsRecord {
    pub guild_id: i64,
    pub channel_id: i64,
    pub weekday: i64,
    pub minute_of_day: i64,
    pub timezone: String,
    pub enabled: bool,
    pub post_empty_weeks: bool,
    pub problem: Option<String>,
}

impl DigestSettingsRecord {
    pub fn into_settings(self) -> StoreResult<DigestSettings> {
        let corrupt = |reason: String| StoreError::Corrupt { id: self.guild_id, reason };
        let weekday = u8::try_from(self.weekday)
            .ok()
            .and_then(|d| Weekday::try_from(d).ok())
            .ok_or_else(|| corrupt(format!("digest weekday {}", self.weekday)))?;
        let time = u32::try_from(self.minute_of_day)
            .ok()
            .and_then(|m| NaiveTime::from_hms_opt(m / 60, m % 60, 0))
            .ok_or_else(|| corrupt(format!("digest minute {}", self.minute_of_day)))?;
        let timezone =
            self.timezone.parse().map_err(|_| corrupt(format!("digest timezone {}", self.timezone)))?;
        Ok(DigestSettings {
            guild: GuildId(ids::from_sql(self.guild_id)),
            channel: ids::from_sql(self.channel_id),
            weekday,
            time,
            timezone,
            enabled: self.enabled,
            post_empty_weeks: self.post_empty_weeks,
            problem: self.problem,
        })
    }
}

/// Logs a guild's digest settings that cannot be read (the scheduler then leaves that guild out).
pub(crate) fn settings_logged(e: StoreError) -> StoreError {
    if let StoreError::Corrupt { id, reason } = &e {
        tracing::error!(guild = id, reason = %reason, "a guild's digest settings cannot be read; its digest is left out");
    }
    e
}

/// When a department was last heard from.
#[derive(Debug)]
pub(crate) struct LastHeardRecord {
    pub department: String,
    pub at: DateTime<Utc>,
}

impl LastHeardRecord {
    pub fn into_last_heard(self) -> LastHeard {
        LastHeard { department: DepartmentKey::from_stored(self.department), at: self.at }
    }
}

/// One group of a count. Both backends return the same column types here (text, text and a
/// 64-bit count), so each decodes it directly.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CountRecord {
    pub key: String,
    pub label: String,
    pub n: i64,
}

impl CountRecord {
    pub fn into_count(self) -> Count {
        // A label is empty only where retention cleared every one of an author's names (a
        // department or channel is never empty): shown as the placeholder, as on the entries.
        let label = if self.label.is_empty() { EXPIRED_AUTHOR.to_string() } else { self.label };
        Count { key: self.key, label, count: u64::try_from(self.n).unwrap_or(0) }
    }
}

/// A guild's privacy choices as either backend reads them (SQLite's 0/1 and PostgreSQL's
/// booleans both decode to `bool`; the period is widened to i64 first).
pub(crate) type PrivacySettingsRecord = (i64, Option<i64>, bool, bool, bool, bool);

pub(crate) fn privacy_settings(record: PrivacySettingsRecord) -> PrivacySettings {
    let (guild, note_days, excerpts, names, contributor_counts, hide_small_counts) = record;
    PrivacySettings {
        guild: GuildId(ids::from_sql(guild)),
        // A negative period (a hand edit) reads as none of the guild's own.
        note_days: note_days.and_then(|d| u32::try_from(d).ok()),
        excerpts,
        names,
        contributor_counts,
        hide_small_counts,
    }
}

/// A privacy log row, its time already decoded by its backend: (id, guild, at, by, action,
/// entries).
pub(crate) type PrivacyLogRecord = (i64, i64, DateTime<Utc>, String, String, i64);

pub(crate) fn privacy_action(record: PrivacyLogRecord) -> StoreResult<PrivacyAction> {
    let (id, guild, at, by, action, entries) = record;
    Ok(PrivacyAction {
        guild: GuildId(ids::from_sql(guild)),
        at,
        by,
        kind: PrivacyActionKind::parse(&action)
            .ok_or_else(|| StoreError::Corrupt { id, reason: format!("privacy action \"{action}\"") })?,
        entries: u64::try_from(entries).unwrap_or(0),
    })
}

/// A partner's columns, with its departments and owners in their stored order, each in the
/// backend-neutral type its backend decoded it to (PostgreSQL reads straight into it).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PartnerRecord {
    pub id: i64,
    pub guild_id: i64,
    pub kind: String,
    pub name: String,
    pub notes: String,
    pub link: Option<String>,
    pub status: String,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    /// By position.
    pub departments: Vec<String>,
    /// By position: the owner first.
    pub owners: Vec<i64>,
}

impl PartnerRecord {
    /// The partner; kind and status are the only columns a hand edit can make unreadable (the
    /// schema's CHECKs keep them right otherwise).
    pub fn into_partner(self) -> StoreResult<Partner> {
        let id = self.id;
        let corrupt = |reason: String| partner_corrupt(id, reason);
        let kind = PartnerKind::parse(&self.kind)
            .ok_or_else(|| corrupt(format!("partner kind \"{}\"", self.kind)))?;
        let status = PartnerStatus::parse(&self.status)
            .ok_or_else(|| corrupt(format!("partner status \"{}\"", self.status)))?;
        Ok(Partner {
            id: PartnerId(id),
            guild: GuildId(ids::from_sql(self.guild_id)),
            profile: PartnerProfile {
                kind,
                name: PartnerName::from_stored(self.name),
                departments: self.departments.into_iter().map(DepartmentKey::from_stored).collect(),
                owners: self.owners.into_iter().map(|u| UserId(ids::from_sql(u))).collect(),
                notes: self.notes,
                link: self.link,
                status,
            },
            created_by: UserId(ids::from_sql(self.created_by)),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The partners of a listing that can be read: one that cannot is left out (and logged), as an
/// entry is from a listing.
pub(crate) fn readable_partners<R>(rows: Vec<R>, decode: impl Fn(R) -> StoreResult<Partner>) -> Vec<Partner> {
    rows.into_iter().filter_map(|row| decode(row).ok()).collect()
}

/// A partner's last contact as read beside it: all three columns or none.
#[derive(Debug)]
pub(crate) struct LastContactRecord {
    pub entry: Option<i64>,
    pub at: Option<DateTime<Utc>>,
    pub channel: Option<String>,
}

impl LastContactRecord {
    pub fn into_last_contact(self) -> Option<LastContact> {
        match (self.entry, self.at, self.channel) {
            (Some(entry), Some(at), Some(channel)) => {
                Some(LastContact { at, channel: ChannelKey::from_stored(channel), entry: EntryId(entry) })
            }
            _ => None,
        }
    }
}

/// A partner as an entry or a listing names it, from its id and name columns.
pub(crate) fn partner_link(id: i64, name: String) -> PartnerLink {
    PartnerLink { id: PartnerId(id), name: PartnerName::from_stored(name) }
}

/// Logs a partner that cannot be read, by its id and what is wrong (never its name or notes), and
/// hands the error on, as [`logged`] does for an entry.
pub(crate) fn partner_corrupt(id: i64, reason: String) -> StoreError {
    tracing::error!(partner = id, reason = %reason, "a partner in the database cannot be read");
    StoreError::Corrupt { id, reason }
}

/// An entry count as u64 (a count is never negative).
pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
