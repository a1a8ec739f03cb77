//! Digest claims: which (guild, period) is being posted or was posted.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::SqlitePool;

use super::rows;
use crate::domain::ids::GuildId;
use crate::store::{ids, Backoff, DigestRun, StoreResult};

pub(super) async fn claim(
    pool: &SqlitePool,
    guild: GuildId,
    period_start: NaiveDate,
    now: DateTime<Utc>,
    lease: Duration,
    backoff: Backoff,
) -> StoreResult<bool> {
    // One statement, so two processes racing for the same period cannot both win: the insert
    // wins for the first; a retake wins only if the digest is unsent and the claim has lapsed.
    let done = sqlx::query(
        "INSERT INTO digest_runs (guild_id, period_start, claimed_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (guild_id, period_start) DO UPDATE \
         SET claimed_at = excluded.claimed_at, attempts = digest_runs.attempts + 1 \
         WHERE digest_runs.sent_at IS NULL AND digest_runs.claimed_at <= ?4 \
         AND (?5 OR digest_runs.retry_at IS NULL OR digest_runs.retry_at <= ?3)",
    )
    .bind(ids::guild(guild))
    .bind(rows::due_text(period_start))
    .bind(rows::millis(now))
    .bind(rows::millis(now - lease))
    .bind(backoff == Backoff::Skip)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn record_parts(
    pool: &SqlitePool,
    guild: GuildId,
    period_start: NaiveDate,
    message_ids: &[u64],
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE digest_runs SET message_ids = ? WHERE guild_id = ? AND period_start = ? AND sent_at IS NULL",
    )
    .bind(join_ids(message_ids))
    .bind(ids::guild(guild))
    .bind(rows::due_text(period_start))
    .execute(pool)
    .await?;
    Ok(())
}

/// Message ids as stored: space-separated decimal, since they exceed i64 and are never queried.
fn join_ids(message_ids: &[u64]) -> String {
    message_ids.iter().map(u64::to_string).collect::<Vec<_>>().join(" ")
}

pub(super) async fn mark_sent(
    pool: &SqlitePool,
    guild: GuildId,
    period_start: NaiveDate,
    message_ids: &[u64],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE digest_runs SET sent_at = ?, message_ids = ?, last_error = NULL \
         WHERE guild_id = ? AND period_start = ?",
    )
    .bind(rows::millis(now))
    .bind(join_ids(message_ids))
    .bind(ids::guild(guild))
    .bind(rows::due_text(period_start))
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn release(
    pool: &SqlitePool,
    guild: GuildId,
    period_start: NaiveDate,
    error: &str,
    retry_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE digest_runs SET claimed_at = 0, last_error = ?, retry_at = ? \
         WHERE guild_id = ? AND period_start = ? AND sent_at IS NULL",
    )
    .bind(error)
    .bind(rows::millis(retry_at))
    .bind(ids::guild(guild))
    .bind(rows::due_text(period_start))
    .execute(pool)
    .await?;
    Ok(())
}

type RunRow = (i64, i64, Option<i64>, Option<String>, Option<String>, Option<i64>);

pub(super) async fn get(
    pool: &SqlitePool,
    guild: GuildId,
    period_start: NaiveDate,
) -> StoreResult<Option<DigestRun>> {
    let row: Option<RunRow> = sqlx::query_as(
        "SELECT claimed_at, attempts, sent_at, message_ids, last_error, retry_at FROM digest_runs \
         WHERE guild_id = ? AND period_start = ?",
    )
    .bind(ids::guild(guild))
    .bind(rows::due_text(period_start))
    .fetch_optional(pool)
    .await?;
    let Some((claimed_at, attempts, sent_at, message_ids, last_error, retry_at)) = row else {
        return Ok(None);
    };
    let time = |ms: i64| rows::from_millis(0, "digest run time", ms);
    Ok(Some(DigestRun {
        period_start,
        claimed_at: if claimed_at == 0 { None } else { Some(time(claimed_at)?) },
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        sent_at: sent_at.map(time).transpose()?,
        message_ids: message_ids
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|s| s.parse().ok())
            .collect(),
        last_error,
        retry_at: retry_at.map(time).transpose()?,
    }))
}
