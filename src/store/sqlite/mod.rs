//! The SQLite backend: embedded, created on first use, WAL, FTS5 for search.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{EntryFilter, FollowUpFilter, Store, StoreResult};
use crate::domain::entry::{Entry, EntryEdit, NewEntry};
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::search::{SearchPage, SearchQuery};
use crate::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use crate::domain::time_range::TimeRange;

pub struct SqliteStore {
    pool: sqlx::SqlitePool,
}

impl SqliteStore {
    /// Opens `sqlite://PATH`, creating the file if needed, and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        todo!("{url}")
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn insert_entry(&self, entry: &NewEntry) -> StoreResult<Entry> {
        todo!("{entry:?}")
    }

    async fn import_entries(&self, entries: &[Entry]) -> StoreResult<u64> {
        todo!("{entries:?}")
    }

    async fn existing_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<EntryId>> {
        todo!("{ids:?}")
    }

    async fn entry(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Entry>> {
        todo!("{guild} {id}")
    }

    async fn edit_entry(&self, guild: GuildId, id: EntryId, edit: &EntryEdit) -> StoreResult<Option<Entry>> {
        todo!("{guild} {id} {edit:?}")
    }

    async fn delete_entry(&self, guild: GuildId, id: EntryId) -> StoreResult<bool> {
        todo!("{guild} {id}")
    }

    async fn search(&self, guild: GuildId, query: &SearchQuery) -> StoreResult<SearchPage> {
        todo!("{guild} {query:?}")
    }

    async fn entries_after(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<EntryId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        todo!("{guild} {filter:?} {after:?} {limit}")
    }

    async fn count_entries(&self, guild: GuildId, filter: &EntryFilter) -> StoreResult<u64> {
        todo!("{guild} {filter:?}")
    }

    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>> {
        todo!("{guild} {range:?}")
    }

    async fn open_follow_ups(&self, guild: GuildId, filter: &FollowUpFilter) -> StoreResult<Vec<Entry>> {
        todo!("{guild} {filter:?}")
    }

    async fn set_follow_up_done(
        &self,
        guild: GuildId,
        id: EntryId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<Entry>> {
        todo!("{guild} {id} {at:?}")
    }

    async fn counts(&self, guild: GuildId, filter: &EntryFilter, by: CountBy) -> StoreResult<Vec<Count>> {
        todo!("{guild} {filter:?} {by:?}")
    }

    async fn last_heard(&self, guild: GuildId) -> StoreResult<Vec<LastHeard>> {
        todo!("{guild}")
    }

    async fn optimize(&self) -> StoreResult<()> {
        todo!()
    }

    async fn close(&self) {
        self.pool.close().await
    }
}
