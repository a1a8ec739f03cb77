//! Follow-up reminder claims: which (guild, entry, due date) was reminded, or is being.

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::rows::{millis, ReminderRow, REMINDER_COLUMNS};
use super::PostgresStore;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::{ids, ReminderKey, ReminderRun, ReminderStore, StoreResult};

#[async_trait]
impl ReminderStore for PostgresStore {
    async fn claim_reminder(
        &self,
        key: &ReminderKey,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<bool> {
        // The same single-statement claim as a digest's: see `claim_digest`.
        let done = sqlx::query(
            "INSERT INTO reminders (guild_id, entry_id, due_on, claimed_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (guild_id, entry_id, due_on) DO UPDATE \
             SET claimed_at = excluded.claimed_at, attempts = reminders.attempts + 1 \
             WHERE reminders.finished_at IS NULL \
             AND (reminders.claimed_at IS NULL OR reminders.claimed_at <= $5) \
             AND (reminders.retry_at IS NULL OR reminders.retry_at <= $4)",
        )
        .bind(ids::guild(key.guild))
        .bind(key.entry.0)
        .bind(key.due)
        .bind(millis(now))
        .bind(millis(now - lease))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn reminder(&self, key: &ReminderKey) -> StoreResult<Option<ReminderRun>> {
        let row: Option<ReminderRow> = sqlx::query_as(&format!(
            "SELECT {REMINDER_COLUMNS} FROM reminders WHERE guild_id = $1 AND entry_id = $2 AND due_on = $3"
        ))
        .bind(ids::guild(key.guild))
        .bind(key.entry.0)
        .bind(key.due)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.into_record().into_reminder_run()).transpose()
    }

    async fn undelivered_reminders(
        &self,
        guild: GuildId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ReminderRun>> {
        let rows: Vec<ReminderRow> = sqlx::query_as(&format!(
            "SELECT {REMINDER_COLUMNS} FROM reminders WHERE undeliverable AND guild_id = $1 \
             AND due_on >= $2 AND due_on <= $3 ORDER BY due_on, entry_id"
        ))
        .bind(ids::guild(guild))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_record().into_reminder_run()).collect()
    }

    async fn take_reminder_notices(
        &self,
        guild: GuildId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ReminderKey>> {
        // One statement: a row another command marked meanwhile no longer matches, so each
        // refusal is told once.
        let taken: Vec<(i64, NaiveDate)> = sqlx::query_as(
            "UPDATE reminders SET owner_told_at = $3 \
             WHERE undeliverable AND owner_told_at IS NULL AND guild_id = $1 \
             AND EXISTS (SELECT 1 FROM entries e WHERE e.id = reminders.entry_id \
             AND e.guild_id = reminders.guild_id AND e.follow_up_owner = $2 \
             AND e.follow_up_status = 'open' AND e.follow_up_due = reminders.due_on) \
             RETURNING entry_id, due_on",
        )
        .bind(ids::guild(guild))
        .bind(ids::user(owner))
        .bind(millis(now))
        .fetch_all(&self.pool)
        .await?;
        let mut keys: Vec<ReminderKey> =
            taken.into_iter().map(|(entry, due)| ReminderKey { guild, entry: EntryId(entry), due }).collect();
        // RETURNING gives no order.
        keys.sort_by_key(|k| (k.due, k.entry));
        Ok(keys)
    }
}
