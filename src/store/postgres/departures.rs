//! Guilds the bot was removed from, and deleting a guild's data.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::millis;
use super::PostgresStore;
use crate::domain::ids::GuildId;
use crate::store::{ids, DepartureStore, StoreResult};

/// Every table holding a guild's data but `entries` (deleted last, its count returned) and the
/// privacy log (which keeps the record that the guild was forgotten). Names, not user text.
const GUILD_TABLES: &[&str] = &[
    "saved_searches",
    "entry_partners",
    "entry_departments",
    "partners",
    "department_liaisons",
    "department_settings",
    "hand_offs",
    "related_notices",
    "impact_stories",
    "impact_objectives",
    "impact_settings",
    "digest_runs",
    "digest_settings",
    "reminders",
    "capture_keys",
    "privacy_settings",
    "guild_departures",
    "entry_buckets",
    "entry_events",
    "tag_uses",
    "event_prompts",
    "event_organisers",
    "event_partners",
    "event_departments",
    "events",
    "guild_locales",
];

#[async_trait]
impl DepartureStore for PostgresStore {
    async fn schedule_departure(
        &self,
        guild: GuildId,
        left_at: DateTime<Utc>,
        delete_after: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO guild_departures (guild_id, left_at, delete_after) VALUES ($1, $2, $3) \
             ON CONFLICT (guild_id) DO NOTHING",
        )
        .bind(ids::guild(guild))
        .bind(millis(left_at))
        .bind(millis(delete_after))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn cancel_departure(&self, guild: GuildId) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM guild_departures WHERE guild_id = $1")
            .bind(ids::guild(guild))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn departure(&self, guild: GuildId) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(sqlx::query_scalar("SELECT delete_after FROM guild_departures WHERE guild_id = $1")
            .bind(ids::guild(guild))
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn departures_due(&self, now: DateTime<Utc>) -> StoreResult<Vec<GuildId>> {
        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT guild_id FROM guild_departures WHERE delete_after <= $1 ORDER BY guild_id",
        )
        .bind(millis(now))
        .fetch_all(&self.pool)
        .await?;
        Ok(due.into_iter().map(|g| GuildId(ids::from_sql(g))).collect())
    }

    async fn forget_guild(&self, guild: GuildId) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await?;
        for table in GUILD_TABLES {
            sqlx::query(&format!("DELETE FROM {table} WHERE guild_id = $1"))
                .bind(ids::guild(guild))
                .execute(&mut *tx)
                .await?;
        }
        let entries = sqlx::query("DELETE FROM entries WHERE guild_id = $1")
            .bind(ids::guild(guild))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(entries)
    }
}
