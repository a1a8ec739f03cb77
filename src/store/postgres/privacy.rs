//! Privacy settings and the privacy log.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use super::rows::millis;
use super::PostgresStore;
use crate::domain::ids::GuildId;
use crate::domain::privacy::{PrivacyAction, PrivacySettings};
use crate::store::rows::{self, PrivacyLogRecord, PrivacySettingsRecord};
use crate::store::{ids, PrivacyStore, StoreResult};

#[async_trait]
impl PrivacyStore for PostgresStore {
    async fn privacy_settings(&self, guild: GuildId) -> StoreResult<Option<PrivacySettings>> {
        let row: Option<PrivacySettingsRecord> = sqlx::query_as(
            "SELECT guild_id, note_days::bigint, excerpts, names, contributor_counts, hide_small_counts \
             FROM privacy_settings WHERE guild_id = $1",
        )
        .bind(ids::guild(guild))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(rows::privacy_settings))
    }

    async fn save_privacy_settings(&self, s: &PrivacySettings, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO privacy_settings (guild_id, note_days, excerpts, names, contributor_counts, \
             hide_small_counts, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (guild_id) DO UPDATE SET note_days = excluded.note_days, excerpts = excluded.excerpts, \
             names = excluded.names, contributor_counts = excluded.contributor_counts, \
             hide_small_counts = excluded.hide_small_counts, updated_at = excluded.updated_at",
        )
        .bind(ids::guild(s.guild))
        .bind(s.note_days.map(|d| i32::try_from(d).unwrap_or(i32::MAX)))
        .bind(s.excerpts)
        .bind(s.names)
        .bind(s.contributor_counts)
        .bind(s.hide_small_counts)
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn record_privacy_action(&self, a: &PrivacyAction) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO privacy_log (guild_id, at, by_whom, action, entries) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(ids::guild(a.guild))
        .bind(millis(a.at))
        .bind(&a.by)
        .bind(a.kind.as_str())
        .bind(i64::try_from(a.entries).unwrap_or(i64::MAX))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn privacy_log(&self, guild: Option<GuildId>, limit: u32) -> StoreResult<Vec<PrivacyAction>> {
        let mut qb = QueryBuilder::new("SELECT id, guild_id, at, by_whom, action, entries FROM privacy_log");
        if let Some(guild) = guild {
            qb.push(" WHERE guild_id = ").push_bind(ids::guild(guild));
        }
        qb.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(i64::from(limit));
        let records: Vec<PrivacyLogRecord> = qb.build_query_as().fetch_all(&self.pool).await?;
        records.into_iter().map(rows::privacy_action).collect()
    }
}
