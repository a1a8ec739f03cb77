//! Follow-ups: open ones listed soonest due first, and closing or reopening one.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

use super::rows::{self, bound, millis, EntryRow, ENTRY_COLUMNS};
use super::PostgresStore;
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::time_range::TimeRange;
use crate::store::{ids, FollowUpFilter, FollowUpStore, StoreResult};

#[async_trait]
impl FollowUpStore for PostgresStore {
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
            qb.push(" AND follow_up_due < ").push_bind(today);
        }
        qb.push(" ORDER BY follow_up_due, id");
        let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows::into_entries(rows))
    }

    async fn follow_ups_done(&self, guild: GuildId, range: TimeRange) -> StoreResult<Vec<Entry>> {
        // `follow_up_status = 'done'` spelled as a literal so that the partial index applies.
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE follow_up_status = 'done' AND guild_id = $1 \
             AND follow_up_done_at >= $2 AND follow_up_done_at < $3 ORDER BY follow_up_done_at, id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql)
            .bind(ids::guild(guild))
            .bind(bound(range.start))
            .bind(bound(range.end))
            .fetch_all(&self.pool)
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
            "UPDATE entries SET follow_up_status = $1, follow_up_done_at = $2 \
             WHERE id = $3 AND guild_id = $4 AND follow_up_status IS NOT NULL RETURNING {ENTRY_COLUMNS}"
        );
        let row: Option<EntryRow> = sqlx::query_as(&sql)
            .bind(status.as_str())
            .bind(at.map(millis))
            .bind(id.0)
            .bind(ids::guild(guild))
            .fetch_optional(&self.pool)
            .await?;
        row.map(EntryRow::into_entry).transpose()
    }

    async fn follow_ups_due(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Entry>> {
        // Across guilds on purpose: only the reminder scheduler asks, and it keeps each entry with
        // its own guild. `= 'open'` as a literal for the partial index `entries_open_due`.
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE follow_up_status = 'open' \
             AND follow_up_due >= $1 AND follow_up_due <= $2 ORDER BY follow_up_due, id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql).bind(from).bind(to).fetch_all(&self.pool).await?;
        Ok(rows::into_entries(rows))
    }
}
