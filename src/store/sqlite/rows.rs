//! SQLite's column types: times as unix milliseconds, dates as `YYYY-MM-DD` text, message ids as
//! space-separated text. Rows are read into the `FromRow` structs here, which turn those columns
//! into the backend-neutral records of `store::rows`; the domain values are made there.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::entry::{Entry, FollowUp};
use crate::domain::partner::Partner;
use crate::store::ids;
use crate::store::rows::{
    self, DigestRunRecord, DigestSettingsRecord, EntryRecord, LastContactRecord, LastHeardRecord,
    PartnerRecord, ReminderRunRecord,
};
use crate::store::{LastContact, PartnerSummary, StoreError, StoreResult};

pub(super) use crate::store::rows::{cleared_text, join_tags};

/// An entry's links, read with it: its other departments, and its partners as `id<RS>name`, each
/// list joined by the unit separator. Neither character can be in a stored key or name, which
/// went through `text::visible`. `$e` is how the query names the entries table.
///
/// Only an entry with links (its `link_facets` not empty) runs the look-ups: SQLite computes the
/// columns of every row a query sorts, before its LIMIT, so a listing of a thousand matches ran
/// two thousand of them (a tag listing went from 0.7 to 30 ms p99 at 1M, measured).
macro_rules! link_columns {
    ($e:literal) => {
        concat!(
            "CASE WHEN ",
            $e,
            ".link_facets = '' THEN NULL ELSE \
              (SELECT group_concat(department, char(31) ORDER BY position) FROM entry_departments \
               WHERE entry_id = ",
            $e,
            ".id) END AS also_departments, CASE WHEN ",
            $e,
            ".link_facets = '' THEN NULL ELSE \
              (SELECT group_concat(ep.partner_id || char(30) || p.name, char(31) ORDER BY ep.position) \
               FROM entry_partners ep JOIN partners p ON p.id = ep.partner_id WHERE ep.entry_id = ",
            $e,
            ".id) END AS partners"
        )
    };
}

/// The columns of an entry, in `EntryRow` order. `facets` is left out on purpose: it is computed on
/// every read and nobody outside the index needs it.
pub(super) const ENTRY_COLUMNS: &str = concat!(
    "id, guild_id, author_id, author_name, department, channel, informal, \
     note, tags, occurred_at, created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, \
     follow_up_done_at, source, redactions, share, expired_at, ",
    link_columns!("entries")
);

/// The same columns qualified with the alias `e`, for joins.
pub(super) const E_ENTRY_COLUMNS: &str = concat!(
    "e.id, e.guild_id, e.author_id, e.author_name, e.department, \
     e.channel, e.informal, e.note, e.tags, e.occurred_at, e.created_at, e.updated_at, e.follow_up_owner, \
     e.follow_up_due, e.follow_up_status, e.follow_up_done_at, e.source, e.redactions, e.share, e.expired_at, ",
    link_columns!("e")
);

/// The columns of [`ENTRY_COLUMNS`] by name, in `EntryRow` order, as one JSON array: a walk's
/// page is read as one value (see `entries::walk_page`).
pub(super) const ENTRY_JSON: &str = "json_array(id, guild_id, author_id, author_name, department, channel, \
     informal, note, tags, occurred_at, created_at, updated_at, follow_up_owner, follow_up_due, \
     follow_up_status, follow_up_done_at, source, redactions, share, expired_at, also_departments, partners)";

/// Read from columns, or from an [`ENTRY_JSON`] array (serde reads a struct from a sequence in
/// field order).
#[derive(Debug, sqlx::FromRow, serde::Deserialize)]
pub(super) struct EntryRow {
    pub id: i64,
    pub guild_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub department: String,
    pub channel: String,
    /// 0 or 1 in JSON, as SQLite stores it.
    #[serde(deserialize_with = "stored_bool")]
    pub informal: bool,
    pub note: String,
    pub tags: String,
    pub occurred_at: i64,
    pub created_at: i64,
    pub updated_at: Option<i64>,
    pub follow_up_owner: Option<i64>,
    pub follow_up_due: Option<String>,
    pub follow_up_status: Option<String>,
    pub follow_up_done_at: Option<i64>,
    pub source: Option<String>,
    pub redactions: i64,
    pub share: String,
    pub expired_at: Option<i64>,
    pub also_departments: Option<String>,
    pub partners: Option<String>,
}

fn stored_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match <u8 as serde::Deserialize>::deserialize(d)? {
        0 => Ok(false),
        1 => Ok(true),
        n => Err(serde::de::Error::custom(format!("{n} is not a stored boolean"))),
    }
}

impl EntryRow {
    pub fn into_entry(self) -> StoreResult<Entry> {
        self.into_record().map_err(rows::logged)?.into_entry()
    }

    fn into_record(self) -> StoreResult<EntryRecord> {
        let id = self.id;
        let (mut partner_ids, mut partner_names) = (Vec::new(), Vec::new());
        for link in split_units(self.partners.as_deref()) {
            let parsed = link.split_once('\u{1e}').and_then(|(p, name)| Some((p.parse::<i64>().ok()?, name)));
            let (partner, name) = parsed.ok_or_else(|| StoreError::Corrupt {
                id,
                reason: "a partner link does not read".to_string(),
            })?;
            partner_ids.push(partner);
            partner_names.push(name.to_string());
        }
        Ok(EntryRecord {
            id,
            guild_id: self.guild_id,
            author_id: self.author_id,
            author_name: self.author_name,
            department: self.department,
            channel: self.channel,
            informal: self.informal,
            note: self.note,
            tags: self.tags,
            occurred_at: from_millis(id, "occurred_at", self.occurred_at)?,
            created_at: from_millis(id, "created_at", self.created_at)?,
            updated_at: self.updated_at.map(|t| from_millis(id, "updated_at", t)).transpose()?,
            follow_up_owner: self.follow_up_owner,
            follow_up_due: self
                .follow_up_due
                .map(|due| from_due_text(id, "follow-up due date", &due))
                .transpose()?,
            follow_up_status: self.follow_up_status,
            follow_up_done_at: self
                .follow_up_done_at
                .map(|t| from_millis(id, "follow_up_done_at", t))
                .transpose()?,
            source: self.source,
            share: self.share,
            expired_at: self.expired_at.map(|t| from_millis(id, "expired_at", t)).transpose()?,
            redactions: self.redactions,
            also_departments: split_units(self.also_departments.as_deref()).map(str::to_string).collect(),
            partner_ids,
            partner_names,
        })
    }
}

/// The items of a list `group_concat` joined with the unit separator; none for NULL.
fn split_units(list: Option<&str>) -> impl Iterator<Item = &str> {
    list.into_iter().flat_map(|l| l.split('\u{1f}'))
}

/// The rows that can be read, as entries; see [`rows::readable`].
pub(super) fn into_entries(rows: Vec<EntryRow>) -> Vec<Entry> {
    rows::readable(rows, EntryRow::into_entry)
}

/// The columns of a digest run, in `DigestRunRow` order.
pub(super) const DIGEST_RUN_COLUMNS: &str =
    "period_start, claimed_at, attempts, sent_at, message_ids, last_error, retry_at";

#[derive(Debug, sqlx::FromRow)]
pub(super) struct DigestRunRow {
    period_start: String,
    /// 0 once a claim was given back: the column is NOT NULL (migration 4).
    claimed_at: i64,
    attempts: i64,
    sent_at: Option<i64>,
    message_ids: Option<String>,
    last_error: Option<String>,
    retry_at: Option<i64>,
}

impl DigestRunRow {
    pub fn into_record(self) -> StoreResult<DigestRunRecord> {
        let time = |ms: i64| from_millis(0, "digest run time", ms);
        Ok(DigestRunRecord {
            period_start: from_due_text(0, "digest period", &self.period_start)?,
            claimed_at: released_or(self.claimed_at, time)?,
            attempts: self.attempts,
            sent_at: self.sent_at.map(time).transpose()?,
            message_ids: self
                .message_ids
                .unwrap_or_default()
                .split_whitespace()
                .filter_map(|s| s.parse().ok())
                .collect(),
            last_error: self.last_error,
            retry_at: self.retry_at.map(time).transpose()?,
        })
    }
}

/// Message ids as stored: space-separated decimal, since they exceed i64 and are never queried.
pub(super) fn join_ids(message_ids: &[u64]) -> String {
    message_ids.iter().map(u64::to_string).collect::<Vec<_>>().join(" ")
}

/// The columns of a reminder, in `ReminderRow` order.
pub(super) const REMINDER_COLUMNS: &str = "guild_id, entry_id, due_on, claimed_at, attempts, finished_at, \
     message_id, undeliverable, last_error, retry_at";

#[derive(Debug, sqlx::FromRow)]
pub(super) struct ReminderRow {
    guild_id: i64,
    entry_id: i64,
    due_on: String,
    /// 0 once a claim was given back, as a digest run's.
    claimed_at: i64,
    attempts: i64,
    finished_at: Option<i64>,
    message_id: Option<i64>,
    undeliverable: bool,
    last_error: Option<String>,
    retry_at: Option<i64>,
}

impl ReminderRow {
    pub fn into_record(self) -> StoreResult<ReminderRunRecord> {
        let entry = self.entry_id;
        let time = |ms: i64| from_millis(entry, "reminder time", ms);
        Ok(ReminderRunRecord {
            guild_id: self.guild_id,
            entry_id: entry,
            due_on: from_due_text(entry, "reminder due date", &self.due_on)?,
            claimed_at: released_or(self.claimed_at, time)?,
            attempts: self.attempts,
            finished_at: self.finished_at.map(time).transpose()?,
            message_id: self.message_id,
            undeliverable: self.undeliverable,
            last_error: self.last_error,
            retry_at: self.retry_at.map(time).transpose()?,
        })
    }
}

/// A claim time, where 0 stands for "given back" (SQLite's claim columns are NOT NULL, and a
/// shipped migration is never edited), as PostgreSQL's NULL does.
fn released_or(
    claimed_at: i64,
    time: impl Fn(i64) -> StoreResult<DateTime<Utc>>,
) -> StoreResult<Option<DateTime<Utc>>> {
    if claimed_at == 0 {
        Ok(None)
    } else {
        time(claimed_at).map(Some)
    }
}

/// The columns of a guild's digest settings, in `SettingsRow` order.
pub(super) const SETTINGS_COLUMNS: &str =
    "guild_id, channel_id, weekday, minute_of_day, timezone, enabled, post_empty_weeks, problem";

#[derive(Debug, sqlx::FromRow)]
pub(super) struct SettingsRow {
    guild_id: i64,
    channel_id: i64,
    weekday: i64,
    minute_of_day: i64,
    timezone: String,
    enabled: i64,
    post_empty_weeks: i64,
    problem: Option<String>,
}

impl SettingsRow {
    pub fn into_record(self) -> DigestSettingsRecord {
        DigestSettingsRecord {
            guild_id: self.guild_id,
            channel_id: self.channel_id,
            weekday: self.weekday,
            minute_of_day: self.minute_of_day,
            timezone: self.timezone,
            enabled: self.enabled == 1,
            post_empty_weeks: self.post_empty_weeks == 1,
            problem: self.problem,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(super) struct LastHeardRow {
    department: String,
    at: i64,
    /// The entry `at` comes from, to name in an error.
    id: i64,
}

impl LastHeardRow {
    pub fn into_record(self) -> StoreResult<LastHeardRecord> {
        let at = DateTime::from_timestamp_millis(self.at).ok_or_else(|| StoreError::Corrupt {
            id: self.id,
            reason: format!("department {}: occurred_at {} is not a valid time", self.department, self.at),
        })?;
        Ok(LastHeardRecord { department: self.department, at })
    }
}

/// Milliseconds: what Discord timestamps carry. Anything finer is dropped when stored.
pub(super) fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(super) fn from_millis(id: i64, column: &str, v: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(v)
        .ok_or_else(|| StoreError::Corrupt { id, reason: format!("{column}: {v} is not a valid time") })
}

pub(super) fn due_text(due: NaiveDate) -> String {
    due.format("%Y-%m-%d").to_string()
}

/// A date stored by [`due_text`], read back.
pub(super) fn from_due_text(id: i64, column: &str, text: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt { id, reason: format!("{column} \"{text}\": {e}") })
}

/// The follow-up columns (owner, due, status, done_at) of an entry, all `None` without one.
pub(super) fn follow_up_columns(
    f: Option<&FollowUp>,
) -> (Option<i64>, Option<String>, Option<&'static str>, Option<i64>) {
    match f {
        None => (None, None, None, None),
        Some(f) => {
            (Some(ids::user(f.owner)), Some(due_text(f.due)), Some(f.status.as_str()), f.done_at.map(millis))
        }
    }
}

/// The columns of a partner, in `PartnerRow` order, from a table or subquery aliased `p` that has
/// the partners table's columns: its departments joined by the unit separator and its owners by
/// spaces, each by position.
pub(super) const PARTNER_COLUMNS: &str = "p.id, p.guild_id, p.kind, p.name, p.notes, p.link, p.status, \
     p.created_by, p.created_at, p.updated_at, \
     (SELECT group_concat(department, char(31) ORDER BY position) FROM partner_departments \
      WHERE partner_id = p.id) AS departments, \
     (SELECT group_concat(user_id, ' ' ORDER BY position) FROM partner_owners \
      WHERE partner_id = p.id) AS owners";

#[derive(Debug, sqlx::FromRow)]
pub(super) struct PartnerRow {
    id: i64,
    guild_id: i64,
    kind: String,
    name: String,
    notes: String,
    link: Option<String>,
    status: String,
    created_by: i64,
    created_at: i64,
    updated_at: Option<i64>,
    departments: Option<String>,
    owners: Option<String>,
}

impl PartnerRow {
    pub fn into_partner(self) -> StoreResult<Partner> {
        let id = self.id;
        let owners = self
            .owners
            .unwrap_or_default()
            .split_whitespace()
            .map(|u| {
                u.parse::<i64>().map_err(|_| rows::partner_corrupt(id, format!("partner owner \"{u}\"")))
            })
            .collect::<StoreResult<Vec<i64>>>()?;
        PartnerRecord {
            id,
            guild_id: self.guild_id,
            kind: self.kind,
            name: self.name,
            notes: self.notes,
            link: self.link,
            status: self.status,
            created_by: self.created_by,
            created_at: partner_time(id, "created_at", self.created_at)?,
            updated_at: self.updated_at.map(|t| partner_time(id, "updated_at", t)).transpose()?,
            departments: split_units(self.departments.as_deref()).map(str::to_string).collect(),
            owners,
        }
        .into_partner()
    }
}

fn partner_time(id: i64, column: &str, v: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(v)
        .ok_or_else(|| rows::partner_corrupt(id, format!("partner {column}: {v} is not a valid time")))
}

/// The most recent entry about a partner: `(entry id, occurred_at, channel)`.
pub(super) type LastContactRow = (i64, i64, String);

pub(super) fn last_contact((entry, at, channel): LastContactRow) -> StoreResult<LastContact> {
    let at = from_millis(entry, "occurred_at", at)?;
    let record = LastContactRecord { entry: Some(entry), at: Some(at), channel: Some(channel) };
    record.into_last_contact().ok_or_else(|| StoreError::Corrupt { id: entry, reason: "last contact".into() })
}

/// A partner with what a listing shows beside it: `PARTNER_COLUMNS`, then `entries`, `last_entry`,
/// `last_at` and `last_channel`.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct PartnerSummaryRow {
    #[sqlx(flatten)]
    partner: PartnerRow,
    entries: i64,
    last_entry: Option<i64>,
    last_at: Option<i64>,
    last_channel: Option<String>,
}

impl PartnerSummaryRow {
    pub fn into_summary(self) -> StoreResult<PartnerSummary> {
        let id = self.partner.id;
        let last = LastContactRecord {
            entry: self.last_entry,
            at: self.last_at.map(|t| from_millis(id, "last contact", t)).transpose()?,
            channel: self.last_channel,
        };
        Ok(PartnerSummary {
            partner: self.partner.into_partner()?,
            last_contact: last.into_last_contact(),
            entries: rows::count(self.entries),
        })
    }
}
