//! Retention: clearing expired entries' text. The generated `search` column, and the GIN index
//! over its words, follow the cleared note in the same statement.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::millis;
use super::PostgresStore;
use crate::domain::ids::GuildId;
use crate::domain::terms::TERMS_VERSION;
use crate::store::{ids, RetentionStore, StoreResult};

/// The entries of $1 past the cutoff $2, as `RetentionStore` describes; read through the partial
/// index `entries_unexpired_created`.
const PAST_PERIOD: &str = "guild_id = $1 AND expired_at IS NULL AND created_at < $2 \
     AND (follow_up_status IS NULL \
          OR (follow_up_status = 'done' AND (follow_up_done_at IS NULL OR follow_up_done_at < $2)))";

/// What a guild that keeps impact stories past the period adds to [`PAST_PERIOD`].
const NOT_IMPACT: &str = " AND NOT EXISTS (SELECT 1 FROM impact_stories s WHERE s.entry_id = entries.id)";

/// The stories of the guild $1's cleared entries: deleted with their text where the guild does
/// not keep them.
const EXPIRED_STORIES: &str = "DELETE FROM impact_stories WHERE guild_id = $1 \
     AND entry_id IN (SELECT id FROM entries WHERE guild_id = $1 AND expired_at IS NOT NULL)";

#[async_trait]
impl RetentionStore for PostgresStore {
    async fn guilds_with_unexpired_before(&self, before: DateTime<Utc>) -> StoreResult<Vec<GuildId>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT DISTINCT guild_id FROM entries WHERE expired_at IS NULL AND created_at < $1 ORDER BY guild_id",
        )
        .bind(millis(before))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(g,)| GuildId(ids::from_sql(g))).collect())
    }

    async fn expire_entries(
        &self,
        guild: GuildId,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
        dry_run: bool,
        keep_impact: bool,
    ) -> StoreResult<u64> {
        let rule = if keep_impact { format!("{PAST_PERIOD}{NOT_IMPACT}") } else { PAST_PERIOD.to_string() };
        if dry_run {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT count(*) FROM entries WHERE {rule}"))
                .bind(ids::guild(guild))
                .bind(millis(cutoff))
                .fetch_one(&self.pool)
                .await?;
            return Ok(u64::try_from(n).unwrap_or(0));
        }
        // One transaction: a story never outlives its entry's text in a guild that does not keep it.
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(&format!(
            "UPDATE entries SET note = '', source = NULL, author_name = '', expired_at = $3, \
             terms = NULL, terms_version = $4 WHERE {rule}"
        ))
        .bind(ids::guild(guild))
        .bind(millis(cutoff))
        .bind(millis(now))
        // A cleared note holds no terms (`store::indexed_terms`); the trigger deletes its rows.
        .bind(TERMS_VERSION)
        .execute(&mut *tx)
        .await?;
        if !keep_impact {
            sqlx::query(EXPIRED_STORIES).bind(ids::guild(guild)).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}
