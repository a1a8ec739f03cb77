//! Follow-up reminder claims: which (guild, entry, due date) was reminded, or is being.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::PgPool;

use super::rows::millis;
use crate::domain::ids::{EntryId, GuildId};
use crate::store::{ids, ReminderEnd, ReminderKey, ReminderRun, StoreError, StoreResult};

pub(super) async fn claim(
    pool: &PgPool,
    key: &ReminderKey,
    now: DateTime<Utc>,
    lease: Duration,
) -> StoreResult<bool> {
    // The same single-statement claim as a digest's: see `digest_runs::claim`.
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
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn finish(
    pool: &PgPool,
    key: &ReminderKey,
    end: &ReminderEnd,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (message_id, undeliverable, error) = match end {
        ReminderEnd::Delivered { message_id } => (Some(ids::to_sql(*message_id)), false, None),
        ReminderEnd::Undeliverable { error } => (None, true, Some(error.as_str())),
    };
    sqlx::query(
        "UPDATE reminders SET finished_at = $1, message_id = $2, undeliverable = $3, last_error = $4 \
         WHERE guild_id = $5 AND entry_id = $6 AND due_on = $7",
    )
    .bind(millis(now))
    .bind(message_id)
    .bind(undeliverable)
    .bind(error)
    .bind(ids::guild(key.guild))
    .bind(key.entry.0)
    .bind(key.due)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn release(
    pool: &PgPool,
    key: &ReminderKey,
    error: &str,
    retry_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE reminders SET claimed_at = NULL, last_error = $1, retry_at = $2 \
         WHERE guild_id = $3 AND entry_id = $4 AND due_on = $5 AND finished_at IS NULL",
    )
    .bind(error)
    .bind(millis(retry_at))
    .bind(ids::guild(key.guild))
    .bind(key.entry.0)
    .bind(key.due)
    .execute(pool)
    .await?;
    Ok(())
}

const COLUMNS: &str =
    "guild_id, entry_id, due_on, attempts, finished_at, message_id, undeliverable, last_error, retry_at";

#[derive(sqlx::FromRow)]
struct RunRow {
    guild_id: i64,
    entry_id: i64,
    due_on: NaiveDate,
    attempts: i32,
    finished_at: Option<DateTime<Utc>>,
    message_id: Option<i64>,
    undeliverable: bool,
    last_error: Option<String>,
    retry_at: Option<DateTime<Utc>>,
}

pub(super) async fn get(pool: &PgPool, key: &ReminderKey) -> StoreResult<Option<ReminderRun>> {
    let row: Option<RunRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reminders WHERE guild_id = $1 AND entry_id = $2 AND due_on = $3"
    ))
    .bind(ids::guild(key.guild))
    .bind(key.entry.0)
    .bind(key.due)
    .fetch_optional(pool)
    .await?;
    row.map(into_run).transpose()
}

pub(super) async fn undelivered(
    pool: &PgPool,
    guild: GuildId,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<ReminderRun>> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reminders WHERE undeliverable AND guild_id = $1 \
         AND due_on >= $2 AND due_on <= $3 ORDER BY due_on, entry_id"
    ))
    .bind(ids::guild(guild))
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(into_run).collect()
}

fn into_run(r: RunRow) -> StoreResult<ReminderRun> {
    let end = match (r.finished_at, r.undeliverable, r.message_id) {
        (None, _, _) => None,
        (Some(_), true, _) => {
            Some(ReminderEnd::Undeliverable { error: r.last_error.clone().unwrap_or_default() })
        }
        (Some(_), false, Some(id)) => Some(ReminderEnd::Delivered { message_id: ids::from_sql(id) }),
        (Some(_), false, None) => {
            return Err(StoreError::Corrupt {
                id: r.entry_id,
                reason: "a delivered reminder without its message".into(),
            })
        }
    };
    Ok(ReminderRun {
        key: ReminderKey {
            guild: GuildId(ids::from_sql(r.guild_id)),
            entry: EntryId(r.entry_id),
            due: r.due_on,
        },
        attempts: u32::try_from(r.attempts).unwrap_or(0),
        finished_at: r.finished_at,
        end,
        last_error: r.last_error,
        retry_at: r.retry_at,
    })
}
