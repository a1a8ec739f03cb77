//! PostgreSQL's column types, native for times, dates and id arrays. Rows are read into the
//! `FromRow` structs here, which hand their columns to the backend-neutral records of
//! `store::rows`; the domain values are made there, as for SQLite.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgRow;
use sqlx::Row;

use crate::domain::entry::Entry;
use crate::store::ids;
use crate::store::rows::{
    self, DigestRunRecord, DigestSettingsRecord, EntryRecord, LastContactRecord, LastHeardRecord,
    PartnerRecord, ReminderRunRecord,
};
use crate::store::{PartnerSummary, StoreResult};

pub(super) use crate::store::rows::{cleared_text, join_tags};

/// The columns of an entry, in `EntryRow` order; `search` (the tsvector) is never read back.
/// An entry's links are read with it: its other departments, and its partners' ids and names,
/// each in the order given. The look-ups run only for an entry that has links: `bucket_links`,
/// written with the link rows (`links`), is empty exactly when it has none. Run for every row, they
/// doubled the digest's read of a week (14.7 to 29.6 ms p99 at 1M, docs/benchmarks.md), though
/// most entries link to nothing.
pub(super) const ENTRY_COLUMNS: &str =
    "id, guild_id, author_id, author_name, department, channel, informal, \
     note, tags, occurred_at, created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, \
     follow_up_done_at, source, redactions, share, expired_at, \
     CASE WHEN bucket_links = '{}' THEN '{}'::text[] ELSE ARRAY(SELECT d.department FROM entry_departments d \
       WHERE d.entry_id = entries.id ORDER BY d.position) END AS also_departments, \
     CASE WHEN bucket_links = '{}' THEN '{}'::bigint[] ELSE ARRAY(SELECT ep.partner_id FROM entry_partners ep \
       WHERE ep.entry_id = entries.id ORDER BY ep.position) END AS partner_ids, \
     CASE WHEN bucket_links = '{}' THEN '{}'::text[] ELSE ARRAY(SELECT p.name FROM entry_partners ep \
       JOIN partners p ON p.id = ep.partner_id WHERE ep.entry_id = entries.id ORDER BY ep.position) END \
       AS partner_names";

/// The names of `ENTRY_COLUMNS`' columns, in order: `EntryRecord`'s fields. Rows are read by
/// position rather than by name: a walk decodes half a million rows for a year's report, and
/// looking 23 names up in each was a tenth of its time (docs/benchmarks.md, "A year's report").
/// A unit test reads the names out of `ENTRY_COLUMNS` and compares them with these, so the two
/// lists cannot drift apart; a column read as the wrong type fails to decode rather than
/// passing silently.
#[cfg(test)]
const ENTRY_COLUMN_NAMES: [&str; 23] = [
    "id",
    "guild_id",
    "author_id",
    "author_name",
    "department",
    "channel",
    "informal",
    "note",
    "tags",
    "occurred_at",
    "created_at",
    "updated_at",
    "follow_up_owner",
    "follow_up_due",
    "follow_up_status",
    "follow_up_done_at",
    "source",
    "redactions",
    "share",
    "expired_at",
    "also_departments",
    "partner_ids",
    "partner_names",
];

impl<'r> sqlx::FromRow<'r, PgRow> for EntryRecord {
    fn from_row(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        Ok(EntryRecord {
            id: row.try_get(0)?,
            guild_id: row.try_get(1)?,
            author_id: row.try_get(2)?,
            author_name: row.try_get(3)?,
            department: row.try_get(4)?,
            channel: row.try_get(5)?,
            informal: row.try_get(6)?,
            note: row.try_get(7)?,
            tags: row.try_get(8)?,
            occurred_at: row.try_get(9)?,
            created_at: row.try_get(10)?,
            updated_at: row.try_get(11)?,
            follow_up_owner: row.try_get(12)?,
            follow_up_due: row.try_get(13)?,
            follow_up_status: row.try_get(14)?,
            follow_up_done_at: row.try_get(15)?,
            source: row.try_get(16)?,
            redactions: i64::from(row.try_get::<i32, _>(17)?),
            share: row.try_get(18)?,
            expired_at: row.try_get(19)?,
            also_departments: row.try_get(20)?,
            partner_ids: row.try_get(21)?,
            partner_names: row.try_get(22)?,
        })
    }
}

/// PostgreSQL's column types for an entry are the record's own, so rows are read straight into it.
pub(super) type EntryRow = EntryRecord;

/// The rows that can be read, as entries; see [`rows::readable`].
pub(super) fn into_entries(rows: Vec<EntryRow>) -> Vec<Entry> {
    rows::readable(rows, EntryRecord::into_entry)
}

/// The columns of a digest run, in `DigestRunRow` order.
pub(super) const DIGEST_RUN_COLUMNS: &str =
    "period_start, claimed_at, attempts, sent_at, message_ids, last_error, retry_at";

#[derive(Debug, sqlx::FromRow)]
pub(super) struct DigestRunRow {
    period_start: NaiveDate,
    /// NULL once a claim was given back.
    claimed_at: Option<DateTime<Utc>>,
    attempts: i32,
    sent_at: Option<DateTime<Utc>>,
    message_ids: Option<Vec<i64>>,
    last_error: Option<String>,
    retry_at: Option<DateTime<Utc>>,
}

impl DigestRunRow {
    pub fn into_record(self) -> DigestRunRecord {
        DigestRunRecord {
            period_start: self.period_start,
            claimed_at: self.claimed_at,
            attempts: i64::from(self.attempts),
            sent_at: self.sent_at,
            message_ids: self.message_ids.unwrap_or_default().into_iter().map(ids::from_sql).collect(),
            last_error: self.last_error,
            retry_at: self.retry_at,
        }
    }
}

/// Message ids as stored: u64 as i64, losslessly (see `store::ids`).
pub(super) fn sql_ids(message_ids: &[u64]) -> Vec<i64> {
    message_ids.iter().map(|&id| ids::to_sql(id)).collect()
}

/// The columns of a reminder, in `ReminderRow` order.
pub(super) const REMINDER_COLUMNS: &str = "guild_id, entry_id, due_on, claimed_at, attempts, finished_at, \
     message_id, undeliverable, last_error, retry_at";

#[derive(Debug, sqlx::FromRow)]
pub(super) struct ReminderRow {
    guild_id: i64,
    entry_id: i64,
    due_on: NaiveDate,
    /// NULL once a claim was given back.
    claimed_at: Option<DateTime<Utc>>,
    attempts: i32,
    finished_at: Option<DateTime<Utc>>,
    message_id: Option<i64>,
    undeliverable: bool,
    last_error: Option<String>,
    retry_at: Option<DateTime<Utc>>,
}

impl ReminderRow {
    pub fn into_record(self) -> ReminderRunRecord {
        ReminderRunRecord {
            guild_id: self.guild_id,
            entry_id: self.entry_id,
            due_on: self.due_on,
            claimed_at: self.claimed_at,
            attempts: i64::from(self.attempts),
            finished_at: self.finished_at,
            message_id: self.message_id,
            undeliverable: self.undeliverable,
            last_error: self.last_error,
            retry_at: self.retry_at,
        }
    }
}

/// The columns of a guild's digest settings, in `SettingsRow` order.
pub(super) const SETTINGS_COLUMNS: &str =
    "guild_id, channel_id, weekday, minute_of_day, timezone, enabled, post_empty_weeks, problem";

#[derive(Debug, sqlx::FromRow)]
pub(super) struct SettingsRow {
    guild_id: i64,
    channel_id: i64,
    weekday: i16,
    minute_of_day: i16,
    timezone: String,
    enabled: bool,
    post_empty_weeks: bool,
    problem: Option<String>,
}

impl SettingsRow {
    pub fn into_record(self) -> DigestSettingsRecord {
        DigestSettingsRecord {
            guild_id: self.guild_id,
            channel_id: self.channel_id,
            weekday: i64::from(self.weekday),
            minute_of_day: i64::from(self.minute_of_day),
            timezone: self.timezone,
            enabled: self.enabled,
            post_empty_weeks: self.post_empty_weeks,
            problem: self.problem,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(super) struct LastHeardRow {
    department: String,
    at: DateTime<Utc>,
}

impl LastHeardRow {
    pub fn into_record(self) -> LastHeardRecord {
        LastHeardRecord { department: self.department, at: self.at }
    }
}

/// Times are kept to the millisecond, as the SQLite backend keeps them (and Discord gives them), so
/// that an entry reads back the same from either.
pub(super) fn millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

/// A range bound as PostgreSQL can hold it: its timestamps start in 4713 BC, chrono's long before
/// (both end after chrono's last year, 262142). Every stored time lies after the clamp, so a
/// clamped bound selects the same rows.
pub(super) fn bound(t: DateTime<Utc>) -> DateTime<Utc> {
    match NaiveDate::from_ymd_opt(-4700, 1, 1) {
        Some(lowest) => millis(t.max(lowest.and_time(chrono::NaiveTime::MIN).and_utc())),
        None => millis(t),
    }
}

/// The columns of a partner, in `PartnerRecord` order, from a table or subquery aliased `p` that
/// has the partners table's columns: its departments and owners by position.
pub(super) const PARTNER_COLUMNS: &str = "p.id, p.guild_id, p.kind, p.name, p.notes, p.link, p.status, \
     p.created_by, p.created_at, p.updated_at, \
     ARRAY(SELECT d.department::text FROM partner_departments d WHERE d.partner_id = p.id \
       ORDER BY d.position) AS departments, \
     ARRAY(SELECT o.user_id FROM partner_owners o WHERE o.partner_id = p.id ORDER BY o.position) AS owners";

/// PostgreSQL's column types for a partner are the record's own.
pub(super) type PartnerRow = PartnerRecord;

/// A partner with what a listing shows beside it: `PARTNER_COLUMNS`, then `entries`, `last_entry`,
/// `last_at` and `last_channel`.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct PartnerSummaryRow {
    #[sqlx(flatten)]
    partner: PartnerRecord,
    entries: i64,
    last_entry: Option<i64>,
    last_at: Option<DateTime<Utc>>,
    last_channel: Option<String>,
}

impl PartnerSummaryRow {
    pub fn into_summary(self) -> StoreResult<PartnerSummary> {
        let last = LastContactRecord { entry: self.last_entry, at: self.last_at, channel: self.last_channel };
        Ok(PartnerSummary {
            partner: self.partner.into_partner()?,
            last_contact: last.into_last_contact(),
            entries: rows::count(self.entries),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name each column of a `SELECT` list is read back under: its alias, or the column.
    fn output_names(columns: &str) -> Vec<String> {
        let mut names = Vec::new();
        let (mut depth, mut start) = (0i32, 0usize);
        let bytes = columns.as_bytes();
        for i in 0..=bytes.len() {
            match bytes.get(i) {
                Some(b'(') => depth += 1,
                Some(b')') => depth -= 1,
                Some(b',') if depth > 0 => {}
                Some(b',') | None => {
                    let column = columns[start..i].trim();
                    let name = column.rsplit(char::is_whitespace).next().unwrap_or(column);
                    names.push(name.to_string());
                    start = i + 1;
                }
                _ => {}
            }
        }
        names
    }

    #[test]
    fn entry_rows_are_read_in_the_order_the_columns_are_selected() {
        assert_eq!(output_names(ENTRY_COLUMNS), ENTRY_COLUMN_NAMES);
    }
}
