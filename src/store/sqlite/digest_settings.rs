//! Per-guild digest settings.

use async_trait::async_trait;
use chrono::{DateTime, Timelike, Utc};

use super::rows::{self, SettingsRow, SETTINGS_COLUMNS};
use super::SqliteStore;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::GuildId;
use crate::store::rows::settings_logged;
use crate::store::{ids, DigestSettingsStore, StoreResult};

#[async_trait]
impl DigestSettingsStore for SqliteStore {
    async fn save_digest_settings(&self, s: &DigestSettings, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(&format!(
            "INSERT INTO digest_settings ({SETTINGS_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, weekday = excluded.weekday, \
             minute_of_day = excluded.minute_of_day, timezone = excluded.timezone, enabled = excluded.enabled, \
             post_empty_weeks = excluded.post_empty_weeks, problem = excluded.problem, updated_at = excluded.updated_at"
        ))
        .bind(ids::guild(s.guild))
        .bind(ids::to_sql(s.channel))
        .bind(i64::from(s.weekday.num_days_from_monday()))
        .bind(i64::from(s.time.hour() * 60 + s.time.minute()))
        .bind(s.timezone.name())
        .bind(s.enabled)
        .bind(s.post_empty_weeks)
        .bind(s.problem.as_deref())
        .bind(rows::millis(now))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn digest_settings(&self, guild: GuildId) -> StoreResult<Option<DigestSettings>> {
        let row: Option<SettingsRow> =
            sqlx::query_as(&format!("SELECT {SETTINGS_COLUMNS} FROM digest_settings WHERE guild_id = ?"))
                .bind(ids::guild(guild))
                .fetch_optional(&self.reader)
                .await?;
        row.map(|r| r.into_record().into_settings()).transpose()
    }

    async fn enabled_digests(&self) -> StoreResult<Vec<DigestSettings>> {
        let rows: Vec<SettingsRow> = sqlx::query_as(&format!(
            "SELECT {SETTINGS_COLUMNS} FROM digest_settings WHERE enabled = 1 ORDER BY guild_id"
        ))
        .fetch_all(&self.reader)
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
            "UPDATE digest_settings SET enabled = 0, problem = ?, updated_at = ? \
             WHERE guild_id = ? AND channel_id = ? AND enabled = 1",
        )
        .bind(problem)
        .bind(rows::millis(now))
        .bind(ids::guild(guild))
        .bind(ids::to_sql(channel))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
