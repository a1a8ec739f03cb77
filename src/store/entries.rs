//! Entries themselves: written, imported, read, edited, deleted and listed for exports.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::department::DepartmentKeys;
use crate::domain::entry::{Author, Entry, EntryEdit, NewEntry};
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::time_range::TimeRange;

/// Which entries an export (or any listing) covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFilter {
    /// Bounds on `occurred_at`.
    pub occurred: Option<TimeRange>,
    /// Entries filed under any of these keys.
    pub department: Option<DepartmentKeys>,
}

/// An entry read by its id: decoded, or the id of a row that cannot be (logged as it was read).
// Nearly every element is an `Entry`: boxing it would only add an allocation per row.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Entry(Entry),
    Unreadable(EntryId),
}

impl Stored {
    /// Sorts a decoded row: a row that cannot be read is `Unreadable`; any other error passes on.
    pub(crate) fn of(decoded: StoreResult<Entry>) -> StoreResult<Stored> {
        match decoded {
            Ok(entry) => Ok(Stored::Entry(entry)),
            Err(super::StoreError::Corrupt { id, .. }) => Ok(Stored::Unreadable(EntryId(id))),
            Err(e) => Err(e),
        }
    }

    pub fn id(&self) -> EntryId {
        match self {
            Stored::Entry(e) => e.id,
            Stored::Unreadable(id) => *id,
        }
    }
}

#[async_trait]
pub trait EntryStore: Send + Sync {
    /// Stores a new entry and returns it with its id. Durable when it returns.
    async fn insert_entry(&self, entry: &NewEntry) -> StoreResult<Entry>;

    /// Stores entries with the ids they carry, all or none, in one transaction (import, and
    /// moving data between backends). An id that exists already fails the whole batch.
    async fn import_entries(&self, entries: &[Entry]) -> StoreResult<u64>;

    /// Leaves every id up to `through` to an import written in several transactions: entries
    /// stored from now on are numbered above it, so a capture made between two batches never
    /// takes an id a later batch carries.
    async fn reserve_ids(&self, through: EntryId) -> StoreResult<()>;

    /// Which of `ids` exist already, in any guild (ids are global).
    async fn existing_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<EntryId>>;

    /// The entries stored under `ids`, in any guild, in id order; ids not stored are left out.
    /// What a resumed import compares its rows with, so a row that cannot be read is given by id.
    async fn entries_with_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<Stored>>;

    async fn entry(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Entry>>;

    /// Replaces the note and tags; `None` when no such entry in this guild.
    async fn edit_entry(&self, guild: GuildId, id: EntryId, edit: &EntryEdit) -> StoreResult<Option<Entry>>;

    /// Who wrote an entry, read from its author columns alone, which any row can give: what
    /// deleting checks, so that an entry that cannot be read can still be deleted.
    async fn entry_author(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Author>>;

    /// `false` when no such entry in this guild.
    async fn delete_entry(&self, guild: GuildId, id: EntryId) -> StoreResult<bool>;

    /// Up to `limit` entries with ids above `after`, in id order: keyset paging for exports.
    /// Rows that cannot be read are left out (and logged); fewer than `limit` means no more.
    async fn entries_after(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<EntryId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>>;

    /// Up to `limit` entries after `after`, oldest first (by when they happened, then id): keyset
    /// paging for reports. Read through the guild's (guild, occurred_at) index in its own order,
    /// so each page costs its own rows whatever the range; `entries_after`'s id order sorted the
    /// whole range for every page of a date-filtered export (17.9 s for a year's 500,000 entries,
    /// docs/benchmarks.md). Rows that cannot be read are left out, as there.
    async fn entries_in_time_order(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<TimeCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>>;

    async fn count_entries(&self, guild: GuildId, filter: &EntryFilter) -> StoreResult<u64>;
}

/// Where a page of [`EntryStore::entries_in_time_order`] ends: its last entry's time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeCursor {
    pub occurred_at: DateTime<Utc>,
    pub id: EntryId,
}

impl TimeCursor {
    pub fn of(entry: &Entry) -> Self {
        TimeCursor { occurred_at: entry.occurred_at, id: entry.id }
    }
}
