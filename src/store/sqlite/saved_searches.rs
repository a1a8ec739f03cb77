//! Saved searches: what a paging button needs to run its search again.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::millis;
use super::SqliteStore;
use crate::domain::ids::{GuildId, UserId};
use crate::store::{ids, SavedSearchStore, StoreResult, KEEP_SAVED_SEARCHES};

#[derive(sqlx::FromRow)]
struct SavedRow {
    request: String,
    created_at: i64,
}

#[async_trait]
impl SavedSearchStore for SqliteStore {
    async fn save_search(
        &self,
        guild: GuildId,
        user: UserId,
        payload: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM saved_searches WHERE created_at < ?")
            .bind(millis(at - KEEP_SAVED_SEARCHES))
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO saved_searches (guild_id, user_id, request, created_at) VALUES (?, ?, ?, ?) \
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

    async fn saved_search(&self, guild: GuildId, id: i64) -> StoreResult<Option<(String, DateTime<Utc>)>> {
        let row: Option<SavedRow> =
            sqlx::query_as("SELECT request, created_at FROM saved_searches WHERE id = ? AND guild_id = ?")
                .bind(id)
                .bind(ids::guild(guild))
                .fetch_optional(&self.reader)
                .await?;
        // A time out of range reads as no saved search: the button then says it expired.
        Ok(row.and_then(|r| DateTime::from_timestamp_millis(r.created_at).map(|t| (r.request, t))))
    }

    async fn forget_search(&self, guild: GuildId, id: i64) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM saved_searches WHERE id = ? AND guild_id = ?")
            .bind(id)
            .bind(ids::guild(guild))
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
