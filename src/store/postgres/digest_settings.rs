//! Per-guild digest settings.

use async_trait::async_trait;
use chrono::{DateTime, Timelike, Utc};

use super::rows::{millis, SettingsRow, SETTINGS_COLUMNS};
use super::PostgresStore;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::GuildId;
use crate::store::rows::settings_logged;
use crate::store::{ids, DigestSettingsStore, StoreResult};

#[async_trait]
impl DigestSettingsStore for PostgresStore {
    async fn save_digest_settings(&self, s: &DigestSettings, now: DateTime<Utc>) -> StoreResult<()> {
        // Both values are small by construction (a weekday, minutes in a day).
        let weekday = i16::try_from(s.weekday.num_days_from_monday()).unwrap_or(i16::MAX);
        let minute = i16::try_from(s.time.hour() * 60 + s.time.minute()).unwrap_or(i16::MAX);
        sqlx::query(&format!(
            "INSERT INTO digest_settings ({SETTINGS_COLUMNS}, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, weekday = excluded.weekday, \
             minute_of_day = excluded.minute_of_day, timezone = excluded.timezone, enabled = excluded.enabled, \
             post_empty_weeks = excluded.post_empty_weeks, problem = excluded.problem, updated_at = excluded.updated_at"
        ))
        .bind(ids::guild(s.guild))
        .bind(ids::to_sql(s.channel))
        .bind(weekday)
        .bind(minute)
        .bind(s.timezone.name())
        .bind(s.enabled)
        .bind(s.post_empty_weeks)
        .bind(s.problem.as_deref())
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn digest_settings(&self, guild: GuildId) -> StoreResult<Option<DigestSettings>> {
        let row: Option<SettingsRow> =
            sqlx::query_as(&format!("SELECT {SETTINGS_COLUMNS} FROM digest_settings WHERE guild_id = $1"))
                .bind(ids::guild(guild))
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| r.into_record().into_settings()).transpose()
    }

    async fn enabled_digests(&self) -> StoreResult<Vec<DigestSettings>> {
        let rows: Vec<SettingsRow> = sqlx::query_as(&format!(
            "SELECT {SETTINGS_COLUMNS} FROM digest_settings WHERE enabled ORDER BY guild_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        // One guild's unreadable settings must not stop every other guild's digest.
        Ok(rows
            .into_iter()
            .filter_map(|r| r.into_record().into_settings().map_err(settings_logged).ok())
            .collect())
    }

    async fn stop_digest(
        &self,
        guild: GuildId,
        channel: u64,
        problem: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE digest_settings SET enabled = false, problem = $1, updated_at = $2 \
             WHERE guild_id = $3 AND channel_id = $4 AND enabled",
        )
        .bind(problem)
        .bind(millis(now))
        .bind(ids::guild(guild))
        .bind(ids::to_sql(channel))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
