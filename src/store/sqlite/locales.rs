//! Each server's locale.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::millis;
use super::SqliteStore;
use crate::domain::ids::GuildId;
use crate::store::{ids, GuildLocaleStore, StoreResult};

#[async_trait]
impl GuildLocaleStore for SqliteStore {
    async fn save_guild_locale(&self, guild: GuildId, locale: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO guild_locales (guild_id, locale, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (guild_id) DO UPDATE SET locale = excluded.locale, updated_at = excluded.updated_at",
        )
        .bind(ids::guild(guild))
        .bind(locale)
        .bind(millis(now))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn guild_locale(&self, guild: GuildId) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT locale FROM guild_locales WHERE guild_id = ?")
            .bind(ids::guild(guild))
            .fetch_optional(&self.reader)
            .await?)
    }
}
