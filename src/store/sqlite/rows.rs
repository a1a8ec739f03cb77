//! Rows to domain values and back. Every stored value passes the domain's rules again on the way
//! out: a row edited by hand becomes `StoreError::Corrupt`, never a panic or a silently odd entry.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKey;
use crate::domain::entry::{Author, Entry, FollowUp, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::tag::Tag;
use crate::store::ids;
use crate::store::{StoreError, StoreResult};

/// The columns of an entry, in `EntryRow` order. `facets` is left out on purpose: it is computed on
/// every read and nobody outside the index needs it.
pub(super) const ENTRY_COLUMNS: &str =
    "id, guild_id, author_id, author_name, department, channel, informal, \
     note, tags, occurred_at, created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, \
     follow_up_done_at, source, redactions";

/// The same columns qualified with the alias `e`, for joins.
pub(super) const E_ENTRY_COLUMNS: &str = "e.id, e.guild_id, e.author_id, e.author_name, e.department, \
     e.channel, e.informal, e.note, e.tags, e.occurred_at, e.created_at, e.updated_at, e.follow_up_owner, \
     e.follow_up_due, e.follow_up_status, e.follow_up_done_at, e.source, e.redactions";

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
    pub occurred_at: i64,
    pub created_at: i64,
    pub updated_at: Option<i64>,
    pub follow_up_owner: Option<i64>,
    pub follow_up_due: Option<String>,
    pub follow_up_status: Option<String>,
    pub follow_up_done_at: Option<i64>,
    pub source: Option<String>,
    pub redactions: i64,
}

impl EntryRow {
    pub fn into_entry(self) -> StoreResult<Entry> {
        let id = self.id;
        let corrupt = |reason: String| StoreError::Corrupt { id, reason };
        let note = Note::parse(&self.note).map_err(|e| corrupt(format!("note: {e}")))?;
        let tags = parse_tags(&self.tags).map_err(corrupt)?;
        let follow_up = self.follow_up(id)?;
        Ok(Entry {
            id: EntryId(id),
            guild: GuildId(ids::from_sql(self.guild_id)),
            author: Author { id: UserId(ids::from_sql(self.author_id)), name: self.author_name },
            department: DepartmentKey::from_stored(self.department),
            channel: ChannelKey::from_stored(self.channel),
            informal: self.informal,
            note,
            tags,
            occurred_at: from_millis(id, "occurred_at", self.occurred_at)?,
            created_at: from_millis(id, "created_at", self.created_at)?,
            updated_at: self.updated_at.map(|t| from_millis(id, "updated_at", t)).transpose()?,
            follow_up,
            source: self.source,
            redactions: u32::try_from(self.redactions)
                .map_err(|_| corrupt(format!("redactions: {} is out of range", self.redactions)))?,
        })
    }

    fn follow_up(&self, id: i64) -> StoreResult<Option<FollowUp>> {
        let corrupt = |reason: String| StoreError::Corrupt { id, reason };
        match (self.follow_up_owner, &self.follow_up_due, &self.follow_up_status) {
            (None, None, None) => Ok(None),
            (Some(owner), Some(due), Some(status)) => {
                let due = from_due_text(id, "follow-up due date", due)?;
                let status = FollowUpStatus::parse(status)
                    .ok_or_else(|| corrupt(format!("follow-up status \"{status}\"")))?;
                let done_at =
                    self.follow_up_done_at.map(|t| from_millis(id, "follow_up_done_at", t)).transpose()?;
                Ok(Some(FollowUp { owner: UserId(ids::from_sql(owner)), due, status, done_at }))
            }
            _ => Err(corrupt("a follow-up needs an owner, a due date and a status".to_string())),
        }
    }
}

pub(super) fn into_entries(rows: Vec<EntryRow>) -> StoreResult<Vec<Entry>> {
    rows.into_iter().map(EntryRow::into_entry).collect()
}

fn parse_tags(stored: &str) -> Result<Vec<Tag>, String> {
    stored.split_whitespace().map(|t| Tag::parse(t).map_err(|e| format!("tag \"{t}\": {e}"))).collect()
}

/// Tags as stored: normalised tags contain no whitespace, so one space separates them.
pub(super) fn join_tags(tags: &[Tag]) -> String {
    tags.iter().map(Tag::as_str).collect::<Vec<_>>().join(" ")
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
