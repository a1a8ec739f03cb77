//! Each server's locale.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::millis;
use super::PostgresStore;
use crate::domain::ids::GuildId;
use crate::store::{ids, GuildLocaleStore, StoreResult};

#[async_trait]
impl GuildLocaleStore for PostgresStore {
    async fn save_guild_locale(&self, guild: GuildId, locale: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO guild_locales (guild_id, locale, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (guild_id) DO UPDATE SET locale = EXCLUDED.locale, updated_at = EXCLUDED.updated_at",
        )
        .bind(ids::guild(guild))
        .bind(locale)
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn guild_locale(&self, guild: GuildId) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT locale FROM guild_locales WHERE guild_id = $1")
            .bind(ids::guild(guild))
            .fetch_optional(&self.pool)
            .await?)
    }
}
