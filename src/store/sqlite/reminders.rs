//! Follow-up reminder claims: which (guild, entry, due date) was reminded, or is being.

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::rows::{self, ReminderRow, REMINDER_COLUMNS};
use super::SqliteStore;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::{ids, ReminderKey, ReminderRun, ReminderStore, StoreResult};

#[async_trait]
impl ReminderStore for SqliteStore {
    async fn claim_reminder(
        &self,
        key: &ReminderKey,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<bool> {
        // The same single-statement claim as a digest's: see `claim_digest`.
        let done = sqlx::query(
            "INSERT INTO reminders (guild_id, entry_id, due_on, claimed_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (guild_id, entry_id, due_on) DO UPDATE \
             SET claimed_at = excluded.claimed_at, attempts = reminders.attempts + 1 \
             WHERE reminders.finished_at IS NULL AND reminders.claimed_at <= ?5 \
             AND (reminders.retry_at IS NULL OR reminders.retry_at <= ?4)",
        )
        .bind(ids::guild(key.guild))
        .bind(key.entry.0)
        .bind(rows::due_text(key.due))
        .bind(rows::millis(now))
        .bind(rows::millis(now - lease))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn reminder(&self, key: &ReminderKey) -> StoreResult<Option<ReminderRun>> {
        let row: Option<ReminderRow> = sqlx::query_as(&format!(
            "SELECT {REMINDER_COLUMNS} FROM reminders WHERE guild_id = ? AND entry_id = ? AND due_on = ?"
        ))
        .bind(ids::guild(key.guild))
        .bind(key.entry.0)
        .bind(rows::due_text(key.due))
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| r.into_record()?.into_reminder_run()).transpose()
    }

    async fn undelivered_reminders(
        &self,
        guild: GuildId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ReminderRun>> {
        let rows: Vec<ReminderRow> = sqlx::query_as(&format!(
            "SELECT {REMINDER_COLUMNS} FROM reminders WHERE undeliverable = 1 AND guild_id = ? \
             AND due_on >= ? AND due_on <= ? ORDER BY due_on, entry_id"
        ))
        .bind(ids::guild(guild))
        .bind(rows::due_text(from))
        .bind(rows::due_text(to))
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(|r| r.into_record()?.into_reminder_run()).collect()
    }

    async fn take_reminder_notices(
        &self,
        guild: GuildId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ReminderKey>> {
        // Every command asks, and nearly always there is nothing: a read on the reader pool
        // first, so that the single writer is only taken when someone is to be told.
        const UNTOLD: &str = "undeliverable = 1 AND owner_told_at IS NULL AND guild_id = ?1 \
             AND EXISTS (SELECT 1 FROM entries e WHERE e.id = reminders.entry_id \
             AND e.guild_id = reminders.guild_id AND e.follow_up_owner = ?2 \
             AND e.follow_up_status = 'open' AND e.follow_up_due = reminders.due_on)";
        let any: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM reminders WHERE {UNTOLD} LIMIT 1"))
            .bind(ids::guild(guild))
            .bind(ids::user(owner))
            .fetch_optional(&self.reader)
            .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let taken: Vec<(i64, String)> = sqlx::query_as(&format!(
            "UPDATE reminders SET owner_told_at = ?3 WHERE {UNTOLD} RETURNING entry_id, due_on"
        ))
        .bind(ids::guild(guild))
        .bind(ids::user(owner))
        .bind(rows::millis(now))
        .fetch_all(&self.writer)
        .await?;
        let mut keys = taken
            .into_iter()
            .map(|(entry, due)| {
                let due = rows::from_due_text(entry, "reminder due date", &due)?;
                Ok(ReminderKey { guild, entry: EntryId(entry), due })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // RETURNING gives no order.
        keys.sort_by_key(|k| (k.due, k.entry));
        Ok(keys)
    }
}
