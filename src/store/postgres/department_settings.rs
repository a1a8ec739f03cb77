//! Department settings per guild.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::millis;
use super::PostgresStore;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::GuildId;
use crate::store::{ids, DepartmentSettingsStore, StoreResult};

#[async_trait]
impl DepartmentSettingsStore for PostgresStore {
    async fn set_department_served(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        served: Option<bool>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let query = match served {
            Some(served) => sqlx::query(
                "INSERT INTO department_settings (guild_id, department, served, updated_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id, department) \
                 DO UPDATE SET served = excluded.served, updated_at = excluded.updated_at",
            )
            .bind(ids::guild(guild))
            .bind(department.as_str())
            .bind(served)
            .bind(millis(now)),
            None => sqlx::query("DELETE FROM department_settings WHERE guild_id = $1 AND department = $2")
                .bind(ids::guild(guild))
                .bind(department.as_str()),
        };
        query.execute(&self.pool).await?;
        Ok(())
    }

    async fn departments_served(&self, guild: GuildId) -> StoreResult<Vec<(DepartmentKey, bool)>> {
        let found: Vec<(String, bool)> = sqlx::query_as(
            "SELECT department, served FROM department_settings WHERE guild_id = $1 ORDER BY department",
        )
        .bind(ids::guild(guild))
        .fetch_all(&self.pool)
        .await?;
        Ok(found.into_iter().map(|(d, served)| (DepartmentKey::from_stored(d), served)).collect())
    }
}
