//! What the digest and `/stats` summarise: counts, when each department was last heard from, and a
//! period's entries by department.

use async_trait::async_trait;

use super::{EntryFilter, StoreResult};
use crate::domain::entry::Entry;
use crate::domain::ids::GuildId;
use crate::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use crate::domain::time_range::TimeRange;

#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Entries that pass `filter` (occurred range, department), counted by `by`, largest first.
    async fn counts(&self, guild: GuildId, filter: &EntryFilter, by: CountBy) -> StoreResult<Vec<Count>>;

    /// The latest `occurred_at` of each department that has any entry.
    async fn last_heard(&self, guild: GuildId) -> StoreResult<Vec<LastHeard>>;

    /// Entries that occurred in `range`, grouped by department (departments by name, entries
    /// oldest first): what the weekly digest is built from.
    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>>;
}

/// Entries sorted by department into one group per department, in the order given.
pub(crate) fn group_by_department(entries: Vec<Entry>) -> Vec<DepartmentEntries> {
    let mut groups: Vec<DepartmentEntries> = Vec::new();
    for entry in entries {
        match groups.last_mut() {
            Some(group) if group.department == entry.department => group.entries.push(entry),
            _ => {
                groups.push(DepartmentEntries { department: entry.department.clone(), entries: vec![entry] })
            }
        }
    }
    groups
}
