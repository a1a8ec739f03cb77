//! Follow-ups of entries: the open ones, the ones done, and closing or reopening one.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::StoreResult;
use crate::domain::department::DepartmentKeys;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::time_range::TimeRange;

/// Which open follow-ups to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpFilter {
    pub owner: Option<UserId>,
    /// Entries filed under any of these keys.
    pub department: Option<DepartmentKeys>,
    /// Only those due before this date (a date in the guild's timezone).
    pub overdue_on: Option<NaiveDate>,
}

#[async_trait]
pub trait FollowUpStore: Send + Sync {
    /// Entries with an open follow-up, soonest due first.
    async fn open_follow_ups(&self, guild: GuildId, filter: &FollowUpFilter) -> StoreResult<Vec<Entry>>;

    /// Entries whose follow-up was marked done in `range`, in the order they were done.
    async fn follow_ups_done(&self, guild: GuildId, range: TimeRange) -> StoreResult<Vec<Entry>>;

    /// Marks a follow-up done at `at` (or open again with `None`); `None` when the entry does not
    /// exist in this guild or has no follow-up.
    async fn set_follow_up_done(
        &self,
        guild: GuildId,
        id: EntryId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<Entry>>;

    /// Open follow-ups due from `from` to `to` (inclusive) in every guild, soonest first: what
    /// the reminder scheduler walks. Never shown to a user as it is.
    async fn follow_ups_due(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Entry>>;
}
