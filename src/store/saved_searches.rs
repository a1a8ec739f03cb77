//! Saved searches: what a paging button needs to run its search again.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::ids::{GuildId, UserId};

#[async_trait]
pub trait SavedSearchStore: Send + Sync {
    /// Keeps a search (its request, serialised by the caller) for paging buttons; returns its id.
    async fn save_search(
        &self,
        guild: GuildId,
        user: UserId,
        payload: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;

    /// A saved search of this guild and when it was saved.
    async fn saved_search(&self, guild: GuildId, id: i64) -> StoreResult<Option<(String, DateTime<Utc>)>>;
}
