//! Every entry a filter selects, read a page at a time by keyset paging: what the export, a
//! report's CSV and an erasure's search all walk, so they page one way.

use crate::domain::entry::Entry;
use crate::domain::ids::GuildId;
use crate::service::ServiceResult;
use crate::store::paging::WALK_PAGE as PAGE;
use crate::store::{EntryFilter, Store, TimeCursor};

/// The order the pages come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// By id (capture order): the export's, which an import gives back byte for byte.
    Id,
    /// Oldest first, through the guild's time index (`EntryStore::entries_in_time_order`): a
    /// report's, and cheap for a date range where id order sorted the range for every page.
    Time,
}

/// Entries handed to the caller at a time while the next page is read.
const CHUNK: usize = 100;

/// Hands the entries `filter` selects to `f`, in `order`, a few at a time, and the running count to
/// `progress`; returns how many there were. A short page is the last (the stores' contract).
///
/// The next page is read while `f` has this one: `f` gets the page in chunks, and between two the
/// read goes on (through the pool, its query, its rows), so the database works (SQLite on its
/// reader's thread, PostgreSQL in its server) while `f` writes (docs/benchmarks.md, "A year's
/// report").
pub(crate) async fn for_each_page(
    store: &dyn Store,
    guild: GuildId,
    filter: &EntryFilter,
    order: Order,
    progress: &mut (dyn FnMut(u64) + Send),
    mut f: impl FnMut(&[Entry]) -> ServiceResult<()>,
) -> ServiceResult<u64> {
    let read = |after: Option<TimeCursor>| async move {
        match order {
            Order::Id => store.entries_after(guild, filter, after.map(|c| c.id), PAGE).await,
            Order::Time => store.entries_in_time_order(guild, filter, after, PAGE).await,
        }
    };
    let mut done = 0u64;
    let mut page = read(None).await?;
    loop {
        let Some(last) = page.last() else { return Ok(done) };
        let next = (page.len() >= PAGE as usize).then(|| read(Some(TimeCursor::of(last))));
        let write = async {
            for chunk in page.chunks(CHUNK) {
                f(chunk)?;
                tokio::task::yield_now().await;
            }
            ServiceResult::Ok(())
        };
        let next = match next {
            Some(next) => {
                let (next, written) = tokio::join!(next, write);
                written?;
                Some(next?)
            }
            None => {
                write.await?;
                None
            }
        };
        done += page.len() as u64;
        progress(done);
        match next {
            Some(next) => page = next,
            None => return Ok(done),
        }
    }
}
