//! The terms of each entry (`store::terms`): SKELETON, to be written by the terms-store helper.

use async_trait::async_trait;

use super::PostgresStore;
use crate::domain::ids::GuildId;
use crate::domain::terms::Term;
use crate::domain::time_range::TimeRange;
use crate::store::{Postings, StoreResult, TermStore};

#[async_trait]
impl TermStore for PostgresStore {
    async fn entries_with_terms(
        &self,
        _guild: GuildId,
        _terms: &[Term],
        _window: &TimeRange,
        _cap: u32,
    ) -> StoreResult<Vec<Postings>> {
        todo!("terms-store helper")
    }

    async fn indexed_entries(&self, _guild: GuildId, _window: &TimeRange, _cap: u64) -> StoreResult<u64> {
        todo!("terms-store helper")
    }

    async fn index_stale_terms(&self, _batch: u32) -> StoreResult<u64> {
        todo!("terms-store helper")
    }
}
