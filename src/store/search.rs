//! Searching entries: ranked by words, or listed newest first.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::ids::GuildId;
use crate::domain::search::{SearchPage, SearchQuery};

#[async_trait]
pub trait SearchStore: Send + Sync {
    /// Ranked full-text search (relevance combined with recency) when the query has words;
    /// newest first otherwise. Always within `guild`. Recency is measured from `now`, which the
    /// page carries back as `searched_at`: the store never reads the clock.
    async fn search(
        &self,
        guild: GuildId,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> StoreResult<SearchPage>;
}
