//! Desk-to-liaison hand-offs: their claims, and who took the entry on.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::rows::{due_text, from_millis, millis};
use super::SqliteStore;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::{ids, HandOff, HandOffKey, HandOffRecord, HandOffStore, HandOffTake, StoreResult};

const COLUMNS: &str = "entry_id, liaison_id, guild_id, department, created_at, claimed_at, attempts, \
     retry_at, finished_at, message_id, undeliverable, last_error, taken_by, taken_at";

#[derive(Debug, sqlx::FromRow)]
struct HandOffRow {
    entry_id: i64,
    liaison_id: i64,
    guild_id: i64,
    department: String,
    created_at: i64,
    /// 0 once a claim was given back, as a reminder's.
    claimed_at: i64,
    attempts: i64,
    retry_at: Option<i64>,
    finished_at: Option<i64>,
    message_id: Option<i64>,
    undeliverable: bool,
    last_error: Option<String>,
    taken_by: Option<i64>,
    taken_at: Option<i64>,
}

impl HandOffRow {
    fn into_hand_off(self) -> StoreResult<HandOff> {
        let entry = self.entry_id;
        let time = |ms: i64| from_millis(entry, "hand-off time", ms);
        let optional = |ms: Option<i64>| ms.map(time).transpose();
        HandOffRecord {
            entry_id: entry,
            liaison_id: self.liaison_id,
            guild_id: self.guild_id,
            department: self.department,
            created_at: time(self.created_at)?,
            claimed_at: optional(Some(self.claimed_at).filter(|&c| c != 0))?,
            attempts: self.attempts,
            retry_at: optional(self.retry_at)?,
            finished_at: optional(self.finished_at)?,
            message_id: self.message_id,
            undeliverable: self.undeliverable,
            last_error: self.last_error,
            taken_by: self.taken_by,
            taken_at: optional(self.taken_at)?,
        }
        .into_hand_off()
    }
}

#[async_trait]
impl HandOffStore for SqliteStore {
    async fn offer_hand_off(
        &self,
        key: &HandOffKey,
        department: &DepartmentKey,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO hand_offs (entry_id, liaison_id, guild_id, department, created_at, claimed_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (entry_id, liaison_id) DO NOTHING",
        )
        .bind(key.entry.0)
        .bind(ids::user(key.liaison))
        .bind(ids::guild(key.guild))
        .bind(department.as_str())
        .bind(millis(now))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn hand_off(&self, key: &HandOffKey) -> StoreResult<Option<HandOff>> {
        let row: Option<HandOffRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM hand_offs WHERE entry_id = ? AND liaison_id = ? AND guild_id = ?"
        ))
        .bind(key.entry.0)
        .bind(ids::user(key.liaison))
        .bind(ids::guild(key.guild))
        .fetch_optional(&self.reader)
        .await?;
        row.map(HandOffRow::into_hand_off).transpose()
    }

    async fn hand_offs_made(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<HandOff>> {
        let rows: Vec<HandOffRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM hand_offs WHERE guild_id = ? AND created_at >= ? AND created_at < ? \
             ORDER BY created_at, entry_id"
        ))
        .bind(ids::guild(guild))
        .bind(millis(start))
        .bind(millis(end))
        .fetch_all(&self.reader)
        .await?;
        let mut all = rows.into_iter().map(HandOffRow::into_hand_off).collect::<StoreResult<Vec<_>>>()?;
        // Liaison ids above i64::MAX are negative as stored, so SQL's order is not theirs.
        all.sort_by_key(|h| (h.created_at, h.key.entry, h.key.liaison));
        Ok(all)
    }

    async fn take_hand_off(
        &self,
        guild: GuildId,
        entry: EntryId,
        taker: UserId,
        due: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<HandOffTake> {
        // The single writer connection runs this transaction alone, so the check and the writes
        // cannot interleave with another press.
        let mut tx = self.writer.begin().await?;
        let rows: Vec<(i64, Option<i64>)> =
            sqlx::query_as("SELECT liaison_id, taken_by FROM hand_offs WHERE entry_id = ? AND guild_id = ?")
                .bind(entry.0)
                .bind(ids::guild(guild))
                .fetch_all(&mut *tx)
                .await?;
        if let Some(by) = rows.iter().find_map(|r| r.1) {
            return Ok(HandOffTake::AlreadyTaken(UserId(ids::from_sql(by))));
        }
        if !rows.iter().any(|r| r.0 == ids::user(taker)) {
            return Ok(HandOffTake::NotOffered);
        }
        let due = due_text(due);
        let changed = sqlx::query(
            "UPDATE entries SET follow_up_owner = ?1, \
             follow_up_due = CASE WHEN follow_up_status = 'open' AND follow_up_due > ?2 \
               THEN follow_up_due ELSE ?2 END, \
             follow_up_status = 'open', follow_up_done_at = NULL \
             WHERE id = ?3 AND guild_id = ?4",
        )
        .bind(ids::user(taker))
        .bind(&due)
        .bind(entry.0)
        .bind(ids::guild(guild))
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Ok(HandOffTake::NotOffered);
        }
        sqlx::query("UPDATE hand_offs SET taken_by = ?, taken_at = ? WHERE entry_id = ? AND guild_id = ?")
            .bind(ids::user(taker))
            .bind(millis(now))
            .bind(entry.0)
            .bind(ids::guild(guild))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(HandOffTake::Taken)
    }
}
