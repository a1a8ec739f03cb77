//! Every entry a filter selects, read a page at a time by keyset paging: what the export, a
//! report's CSV and an erasure's search all walk, so they page one way.

use crate::domain::entry::Entry;
use crate::domain::ids::GuildId;
use crate::service::ServiceResult;
use crate::store::{EntryFilter, Store, TimeCursor};

/// Entries read at a time, so that a walk of any size runs in bounded memory.
const PAGE: u32 = 1000;

/// The order the pages come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// By id (capture order): the export's, which an import gives back byte for byte.
    Id,
    /// Oldest first, through the guild's time index (`EntryStore::entries_in_time_order`): a
    /// report's, and cheap for a date range where id order sorted the range for every page.
    Time,
}

/// Hands each page of the entries `filter` selects to `f`, in `order`, and the running count to
/// `progress`; returns how many there were. A short page is the last (the stores' contract).
pub(crate) async fn for_each_page(
    store: &dyn Store,
    guild: GuildId,
    filter: &EntryFilter,
    order: Order,
    progress: &mut (dyn FnMut(u64) + Send),
    mut f: impl FnMut(&[Entry]) -> ServiceResult<()>,
) -> ServiceResult<u64> {
    let mut done = 0u64;
    let mut after: Option<TimeCursor> = None;
    loop {
        let page = match order {
            Order::Id => store.entries_after(guild, filter, after.map(|c| c.id), PAGE).await?,
            Order::Time => store.entries_in_time_order(guild, filter, after, PAGE).await?,
        };
        let Some(last) = page.last() else { return Ok(done) };
        after = Some(TimeCursor::of(last));
        f(&page)?;
        done += page.len() as u64;
        progress(done);
        if page.len() < PAGE as usize {
            return Ok(done);
        }
    }
}
