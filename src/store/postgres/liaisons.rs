//! Each department's liaison librarians.

use async_trait::async_trait;

use super::PostgresStore;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{GuildId, UserId};
use crate::store::{ids, LiaisonStore, StoreResult};

#[async_trait]
impl LiaisonStore for PostgresStore {
    async fn add_liaison(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        user: UserId,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO department_liaisons (guild_id, department, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(ids::guild(guild))
        .bind(department.as_str())
        .bind(ids::user(user))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn remove_liaison(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        user: UserId,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "DELETE FROM department_liaisons WHERE guild_id = $1 AND department = $2 AND user_id = $3",
        )
        .bind(ids::guild(guild))
        .bind(department.as_str())
        .bind(ids::user(user))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn liaisons(&self, guild: GuildId, department: &DepartmentKey) -> StoreResult<Vec<UserId>> {
        let found: Vec<i64> = sqlx::query_scalar(
            "SELECT user_id FROM department_liaisons WHERE guild_id = $1 AND department = $2 ORDER BY user_id",
        )
        .bind(ids::guild(guild))
        .bind(department.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(sorted(found.into_iter().map(|u| UserId(ids::from_sql(u))).collect()))
    }

    async fn all_liaisons(&self, guild: GuildId) -> StoreResult<Vec<(DepartmentKey, UserId)>> {
        let found: Vec<(String, i64)> =
            sqlx::query_as("SELECT department, user_id FROM department_liaisons WHERE guild_id = $1")
                .bind(ids::guild(guild))
                .fetch_all(&self.pool)
                .await?;
        let mut all: Vec<(DepartmentKey, UserId)> = found
            .into_iter()
            .map(|(d, u)| (DepartmentKey::from_stored(d), UserId(ids::from_sql(u))))
            .collect();
        all.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()).then(a.1.cmp(&b.1)));
        Ok(all)
    }
}

/// In id order as u64: large ids are negative as stored, so SQL's order is not theirs.
fn sorted(mut users: Vec<UserId>) -> Vec<UserId> {
    users.sort();
    users
}
