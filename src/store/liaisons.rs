//! Each department's liaison librarians, per guild: who a desk hand-off goes to.

use async_trait::async_trait;

use super::StoreResult;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{GuildId, UserId};

#[async_trait]
pub trait LiaisonStore: Send + Sync {
    /// Names `user` a liaison librarian of `department`; `false` when they were already one.
    async fn add_liaison(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        user: UserId,
    ) -> StoreResult<bool>;

    /// `false` when they were not one.
    async fn remove_liaison(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        user: UserId,
    ) -> StoreResult<bool>;

    /// The department's liaison librarians, in id order.
    async fn liaisons(&self, guild: GuildId, department: &DepartmentKey) -> StoreResult<Vec<UserId>>;

    /// Every department's liaison librarians in the guild, by department then id.
    async fn all_liaisons(&self, guild: GuildId) -> StoreResult<Vec<(DepartmentKey, UserId)>>;
}
