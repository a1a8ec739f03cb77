//! Rows to domain values and back. As in the SQLite backend, every stored value passes the domain's
//! rules again on the way out: a row edited by hand becomes `StoreError::Corrupt`, never a panic.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKey;
use crate::domain::entry::{Author, Entry, FollowUp, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::tag::Tag;
use crate::store::ids;
use crate::store::{StoreError, StoreResult};

/// The columns of an entry, in `EntryRow` order; `search` (the tsvector) is never read back.
pub(super) const ENTRY_COLUMNS: &str =
    "id, guild_id, author_id, author_name, department, channel, informal, \
     note, tags, occurred_at, created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, \
     follow_up_done_at, source, redactions";

#[derive(Debug, sqlx::FromRow)]
pub(super) struct EntryRow {
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
    pub redactions: i32,
}

impl EntryRow {
    pub fn into_entry(self) -> StoreResult<Entry> {
        let id = self.id;
        let corrupt = |reason: String| StoreError::Corrupt { id, reason };
        let note = Note::parse(&self.note).map_err(|e| corrupt(format!("note: {e}")))?;
        let tags = self
            .tags
            .split_whitespace()
            .map(|t| Tag::parse(t).map_err(|e| corrupt(format!("tag \"{t}\": {e}"))))
            .collect::<StoreResult<Vec<Tag>>>()?;
        let follow_up = self.follow_up()?;
        Ok(Entry {
            id: EntryId(id),
            guild: GuildId(ids::from_sql(self.guild_id)),
            author: Author { id: UserId(ids::from_sql(self.author_id)), name: self.author_name },
            department: DepartmentKey::from_stored(self.department),
            channel: ChannelKey::from_stored(self.channel),
            informal: self.informal,
            note,
            tags,
            occurred_at: self.occurred_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            follow_up,
            source: self.source,
            redactions: u32::try_from(self.redactions)
                .map_err(|_| corrupt(format!("redactions: {} is out of range", self.redactions)))?,
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

pub(super) fn into_entries(rows: Vec<EntryRow>) -> StoreResult<Vec<Entry>> {
    rows.into_iter().map(EntryRow::into_entry).collect()
}

/// Tags as stored: normalised tags contain no whitespace, so one space separates them.
pub(super) fn join_tags(tags: &[Tag]) -> String {
    tags.iter().map(Tag::as_str).collect::<Vec<_>>().join(" ")
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
