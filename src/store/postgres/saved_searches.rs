//! Saved searches: what a paging button needs to run its search again.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use super::rows::millis;
use crate::domain::ids::{GuildId, UserId};
use crate::store::{ids, StoreResult};

/// Saved searches are pruned once this old; buttons older than that say the search expired.
const KEEP: Duration = Duration::days(30);

pub(super) async fn save(
    pool: &PgPool,
    guild: GuildId,
    user: UserId,
    payload: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM saved_searches WHERE created_at < $1").bind(at - KEEP).execute(&mut *tx).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO saved_searches (guild_id, user_id, request, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(ids::guild(guild))
    .bind(ids::user(user))
    .bind(payload)
    .bind(millis(at))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn load(
    pool: &PgPool,
    guild: GuildId,
    id: i64,
) -> StoreResult<Option<(String, DateTime<Utc>)>> {
    let row: Option<(String, DateTime<Utc>)> =
        sqlx::query_as("SELECT request, created_at FROM saved_searches WHERE id = $1 AND guild_id = $2")
            .bind(id)
            .bind(ids::guild(guild))
            .fetch_optional(pool)
            .await?;
    Ok(row)
}
