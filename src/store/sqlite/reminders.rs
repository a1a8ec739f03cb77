//! Follow-up reminder claims: which (guild, entry, due date) was reminded, or is being.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::SqlitePool;

use super::rows;
use crate::domain::ids::{EntryId, GuildId};
use crate::store::{ids, ReminderEnd, ReminderKey, ReminderRun, StoreError, StoreResult};

pub(super) async fn claim(
    pool: &SqlitePool,
    key: &ReminderKey,
    now: DateTime<Utc>,
    lease: Duration,
) -> StoreResult<bool> {
    // The same single-statement claim as a digest's: see `digest_runs::claim`.
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
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn finish(
    pool: &SqlitePool,
    key: &ReminderKey,
    end: &ReminderEnd,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (message_id, undeliverable, error) = match end {
        ReminderEnd::Delivered { message_id } => (Some(ids::to_sql(*message_id)), false, None),
        ReminderEnd::Undeliverable { error } => (None, true, Some(error.as_str())),
    };
    sqlx::query(
        "UPDATE reminders SET finished_at = ?, message_id = ?, undeliverable = ?, last_error = ? \
         WHERE guild_id = ? AND entry_id = ? AND due_on = ?",
    )
    .bind(rows::millis(now))
    .bind(message_id)
    .bind(undeliverable)
    .bind(error)
    .bind(ids::guild(key.guild))
    .bind(key.entry.0)
    .bind(rows::due_text(key.due))
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn release(
    pool: &SqlitePool,
    key: &ReminderKey,
    error: &str,
    retry_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE reminders SET claimed_at = 0, last_error = ?, retry_at = ? \
         WHERE guild_id = ? AND entry_id = ? AND due_on = ? AND finished_at IS NULL",
    )
    .bind(error)
    .bind(rows::millis(retry_at))
    .bind(ids::guild(key.guild))
    .bind(key.entry.0)
    .bind(rows::due_text(key.due))
    .execute(pool)
    .await?;
    Ok(())
}

const COLUMNS: &str =
    "guild_id, entry_id, due_on, attempts, finished_at, message_id, undeliverable, last_error, retry_at";

type RunRow = (i64, i64, String, i64, Option<i64>, Option<i64>, bool, Option<String>, Option<i64>);

pub(super) async fn get(pool: &SqlitePool, key: &ReminderKey) -> StoreResult<Option<ReminderRun>> {
    let row: Option<RunRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reminders WHERE guild_id = ? AND entry_id = ? AND due_on = ?"
    ))
    .bind(ids::guild(key.guild))
    .bind(key.entry.0)
    .bind(rows::due_text(key.due))
    .fetch_optional(pool)
    .await?;
    row.map(into_run).transpose()
}

pub(super) async fn undelivered(
    pool: &SqlitePool,
    guild: GuildId,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<ReminderRun>> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reminders WHERE undeliverable = 1 AND guild_id = ? \
         AND due_on >= ? AND due_on <= ? ORDER BY due_on, entry_id"
    ))
    .bind(ids::guild(guild))
    .bind(rows::due_text(from))
    .bind(rows::due_text(to))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(into_run).collect()
}

fn into_run(row: RunRow) -> StoreResult<ReminderRun> {
    let (guild, entry, due, attempts, finished_at, message_id, undeliverable, last_error, retry_at) = row;
    let corrupt = |reason: String| StoreError::Corrupt { id: entry, reason };
    let time = |ms: i64| rows::from_millis(entry, "reminder time", ms);
    let due = rows::from_due_text(entry, "reminder due date", &due)?;
    let end = match (finished_at, undeliverable, message_id) {
        (None, _, _) => None,
        (Some(_), true, _) => {
            Some(ReminderEnd::Undeliverable { error: last_error.clone().unwrap_or_default() })
        }
        (Some(_), false, Some(id)) => Some(ReminderEnd::Delivered { message_id: ids::from_sql(id) }),
        (Some(_), false, None) => return Err(corrupt("a delivered reminder without its message".into())),
    };
    Ok(ReminderRun {
        key: ReminderKey { guild: GuildId(ids::from_sql(guild)), entry: EntryId(entry), due },
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        finished_at: finished_at.map(time).transpose()?,
        end,
        last_error,
        retry_at: retry_at.map(time).transpose()?,
    })
}
