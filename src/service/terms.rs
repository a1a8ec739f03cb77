//! Indexing the terms of entries that have none yet: those written before the index existed, and
//! those indexed by an older `TERMS_VERSION` (`store::terms`). New and changed entries are indexed
//! as they are written; this catches up the rest, a batch per transaction, so that the bot (in the
//! background at start-up), `liaison migrate` and `liaison import` all run the same loop.

use crate::store::TermStore;

use super::ServiceResult;

/// Entries per transaction: each commits on its own, so a stop loses at most one batch, and on
/// SQLite a capture waits for at most one batch to finish writing.
pub const BATCH: u32 = 1000;

/// Indexes every stale entry, telling `progress` the running count after each batch; how many it
/// indexed (0 when every entry was current).
pub async fn index_stale(
    store: &dyn TermStore,
    progress: &mut (dyn FnMut(u64) + Send),
) -> ServiceResult<u64> {
    let mut indexed = 0u64;
    loop {
        let done = store.index_stale_terms(BATCH).await?;
        if done == 0 {
            return Ok(indexed);
        }
        indexed += done;
        progress(indexed);
        // Between batches, whatever else the runtime has to do goes first (the bot's replies).
        tokio::task::yield_now().await;
    }
}
