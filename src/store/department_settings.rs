//! Department settings per guild: whether the library serves a department, where a server's
//! admins chose otherwise than the config.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::GuildId;

#[async_trait]
pub trait DepartmentSettingsStore: Send + Sync {
    /// Records the guild's choice for `department`: served or not; `None` forgets it, so that
    /// the config's says again.
    async fn set_department_served(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        served: Option<bool>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Every department the guild made a choice for, with that choice, by key in byte order.
    async fn departments_served(&self, guild: GuildId) -> StoreResult<Vec<(DepartmentKey, bool)>>;
}
