//! Saved searches: what a paging button needs to run its search again.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use super::StoreResult;
use crate::domain::ids::{GuildId, UserId};

/// How long a saved search is kept: its paging buttons work this long, and `save_search` prunes
/// the ones older than this. One number for both, so that a search is neither kept after its
/// buttons stop working nor pruned while they still work.
pub const KEEP_SAVED_SEARCHES: Duration = Duration::days(14);

#[async_trait]
pub trait SavedSearchStore: Send + Sync {
    /// Keeps a search (its request, serialised by the caller) for paging buttons; returns its id.
    /// Searches saved more than [`KEEP_SAVED_SEARCHES`] before `at` are pruned.
    async fn save_search(
        &self,
        guild: GuildId,
        user: UserId,
        payload: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;

    /// A saved search of this guild and when it was saved.
    async fn saved_search(&self, guild: GuildId, id: i64) -> StoreResult<Option<(String, DateTime<Utc>)>>;

    /// Forgets a saved search of this guild at once, before it would be pruned: a pending erasure,
    /// once confirmed or cancelled, must not keep the text it was asked for. `false` when none.
    async fn forget_search(&self, guild: GuildId, id: i64) -> StoreResult<bool>;
}
