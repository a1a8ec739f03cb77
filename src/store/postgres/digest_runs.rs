//! Digest claims: which (guild, period) is being posted or was posted.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::PgPool;

use super::rows::millis;
use crate::domain::ids::GuildId;
use crate::store::{ids, Backoff, DigestRun, StoreResult};

pub(super) async fn claim(
    pool: &PgPool,
    guild: GuildId,
    period_start: NaiveDate,
    now: DateTime<Utc>,
    lease: Duration,
    backoff: Backoff,
) -> StoreResult<bool> {
    // One statement, so two processes racing for the same period cannot both win: the insert wins
    // for the first; the second waits for it on the row and then re-checks the WHERE against the
    // row as committed, so a retake wins only if the digest is unsent and the claim has lapsed.
    let done = sqlx::query(
        "INSERT INTO digest_runs (guild_id, period_start, claimed_at) VALUES ($1, $2, $3) \
         ON CONFLICT (guild_id, period_start) DO UPDATE \
         SET claimed_at = excluded.claimed_at, attempts = digest_runs.attempts + 1 \
         WHERE digest_runs.sent_at IS NULL \
         AND (digest_runs.claimed_at IS NULL OR digest_runs.claimed_at <= $4) \
         AND ($5 OR digest_runs.retry_at IS NULL OR digest_runs.retry_at <= $3)",
    )
    .bind(ids::guild(guild))
    .bind(period_start)
    .bind(millis(now))
    .bind(millis(now - lease))
    .bind(backoff == Backoff::Skip)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn sql_ids(message_ids: &[u64]) -> Vec<i64> {
    message_ids.iter().map(|&id| ids::to_sql(id)).collect()
}

pub(super) async fn record_parts(
    pool: &PgPool,
    guild: GuildId,
    period_start: NaiveDate,
    message_ids: &[u64],
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE digest_runs SET message_ids = $1 WHERE guild_id = $2 AND period_start = $3 AND sent_at IS NULL",
    )
    .bind(sql_ids(message_ids))
    .bind(ids::guild(guild))
    .bind(period_start)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn mark_sent(
    pool: &PgPool,
    guild: GuildId,
    period_start: NaiveDate,
    message_ids: &[u64],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE digest_runs SET sent_at = $1, message_ids = $2, last_error = NULL \
         WHERE guild_id = $3 AND period_start = $4",
    )
    .bind(millis(now))
    .bind(sql_ids(message_ids))
    .bind(ids::guild(guild))
    .bind(period_start)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn release(
    pool: &PgPool,
    guild: GuildId,
    period_start: NaiveDate,
    error: &str,
    retry_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE digest_runs SET claimed_at = NULL, last_error = $1, retry_at = $2 \
         WHERE guild_id = $3 AND period_start = $4 AND sent_at IS NULL",
    )
    .bind(error)
    .bind(millis(retry_at))
    .bind(ids::guild(guild))
    .bind(period_start)
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RunRow {
    claimed_at: Option<DateTime<Utc>>,
    attempts: i32,
    sent_at: Option<DateTime<Utc>>,
    message_ids: Option<Vec<i64>>,
    last_error: Option<String>,
    retry_at: Option<DateTime<Utc>>,
}

pub(super) async fn get(
    pool: &PgPool,
    guild: GuildId,
    period_start: NaiveDate,
) -> StoreResult<Option<DigestRun>> {
    let row: Option<RunRow> = sqlx::query_as(
        "SELECT claimed_at, attempts, sent_at, message_ids, last_error, retry_at FROM digest_runs \
         WHERE guild_id = $1 AND period_start = $2",
    )
    .bind(ids::guild(guild))
    .bind(period_start)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| DigestRun {
        period_start,
        claimed_at: r.claimed_at,
        attempts: u32::try_from(r.attempts).unwrap_or(0),
        sent_at: r.sent_at,
        message_ids: r.message_ids.unwrap_or_default().into_iter().map(ids::from_sql).collect(),
        last_error: r.last_error,
        retry_at: r.retry_at,
    }))
}
