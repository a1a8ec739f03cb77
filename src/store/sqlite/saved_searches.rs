//! Saved searches: what a paging button needs to run its search again.

use chrono::{DateTime, Duration, Utc};
use sqlx::SqlitePool;

use crate::domain::ids::{GuildId, UserId};
use crate::store::{ids, StoreResult};

/// Saved searches are pruned once this old; buttons older than that say the search expired.
const KEEP: Duration = Duration::days(30);

pub async fn save(
    pool: &SqlitePool,
    guild: GuildId,
    user: UserId,
    payload: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM saved_searches WHERE created_at < ?")
        .bind((at - KEEP).timestamp_millis())
        .execute(&mut *tx)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO saved_searches (guild_id, user_id, request, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(ids::guild(guild))
    .bind(ids::user(user))
    .bind(payload)
    .bind(at.timestamp_millis())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn load(
    pool: &SqlitePool,
    guild: GuildId,
    id: i64,
) -> StoreResult<Option<(String, DateTime<Utc>)>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT request, created_at FROM saved_searches WHERE id = ? AND guild_id = ?")
            .bind(id)
            .bind(ids::guild(guild))
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(request, at)| DateTime::from_timestamp_millis(at).map(|t| (request, t))))
}
