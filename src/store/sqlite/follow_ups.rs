//! Follow-ups: open ones listed soonest due first, and closing or reopening one.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

use super::rows::{self, EntryRow, ENTRY_COLUMNS};
use super::SqliteStore;
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::time_range::TimeRange;
use crate::store::{ids, FollowUpFilter, FollowUpStore, StoreResult};

#[async_trait]
impl FollowUpStore for SqliteStore {
    async fn open_follow_ups(&self, guild: GuildId, filter: &FollowUpFilter) -> StoreResult<Vec<Entry>> {
        // `follow_up_status = 'open'` spelled as a literal so that the partial index applies.
        let mut qb = QueryBuilder::new(format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE follow_up_status = 'open' AND guild_id = "
        ));
        qb.push_bind(ids::guild(guild));
        if let Some(owner) = filter.owner {
            qb.push(" AND follow_up_owner = ").push_bind(ids::user(owner));
        }
        if let Some(department) = &filter.department {
            // An entry about several departments is theirs to follow up too.
            super::entries::push_named_department(&mut qb, guild, department);
        }
        if let Some(today) = filter.overdue_on {
            qb.push(" AND follow_up_due < ").push_bind(rows::due_text(today));
        }
        qb.push(" ORDER BY follow_up_due, id");
        let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(&self.reader).await?;
        Ok(rows::into_entries(rows))
    }

    async fn follow_ups_done(&self, guild: GuildId, range: TimeRange) -> StoreResult<Vec<Entry>> {
        // `follow_up_status = 'done'` spelled as a literal so that the partial index applies.
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE follow_up_status = 'done' AND guild_id = ? \
             AND follow_up_done_at >= ? AND follow_up_done_at < ? ORDER BY follow_up_done_at, id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql)
            .bind(ids::guild(guild))
            .bind(rows::millis(range.start))
            .bind(rows::millis(range.end))
            .fetch_all(&self.reader)
            .await?;
        Ok(rows::into_entries(rows))
    }

    async fn set_follow_up_done(
        &self,
        guild: GuildId,
        id: EntryId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<Entry>> {
        let status = if at.is_some() { FollowUpStatus::Done } else { FollowUpStatus::Open };
        let sql = format!(
            "UPDATE entries SET follow_up_status = ?, follow_up_done_at = ? \
             WHERE id = ? AND guild_id = ? AND follow_up_status IS NOT NULL RETURNING {ENTRY_COLUMNS}"
        );
        // fetch_all: see `insert_entry` on RETURNING and the WAL.
        let rows: Vec<EntryRow> = sqlx::query_as(&sql)
            .bind(status.as_str())
            .bind(at.map(rows::millis))
            .bind(id.0)
            .bind(ids::guild(guild))
            .fetch_all(&self.writer)
            .await?;
        rows.into_iter().next().map(EntryRow::into_entry).transpose()
    }

    async fn follow_ups_due(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Entry>> {
        // Across guilds on purpose: only the reminder scheduler asks, and it keeps each entry with
        // its own guild. `= 'open'` as a literal for the partial index `entries_open_due`.
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE follow_up_status = 'open' \
             AND follow_up_due >= ? AND follow_up_due <= ? ORDER BY follow_up_due, id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql)
            .bind(rows::due_text(from))
            .bind(rows::due_text(to))
            .fetch_all(&self.reader)
            .await?;
        Ok(rows::into_entries(rows))
    }
}
