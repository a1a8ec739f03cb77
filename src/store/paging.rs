//! Which page of results a search asks for, shared by both backends so that they cut pages alike,
//! and the instant it is searched at (recency is measured from it; the caller's clock gives it);
//! and the keyset paging of exports, past rows that cannot be read.

use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::entry::Entry;
use crate::domain::ids::EntryId;
use crate::domain::privacy::EXPIRED_TEXT;
use crate::domain::search::{SearchHit, SearchPage, SearchQuery, DEFAULT_PER_PAGE, MAX_PER_PAGE};

/// Entries a walk over many (an export, a report's CSV, an erasure's search) reads at a time: it
/// runs in bounded memory, and SQLite's readers buffer one such page ahead of their reader.
pub const WALK_PAGE: u32 = 1000;

pub(crate) struct Paging {
    pub page: u32,
    pub per_page: u32,
    pub searched_at: DateTime<Utc>,
}

impl Paging {
    pub fn of(query: &SearchQuery, now: DateTime<Utc>) -> Self {
        let per_page = if query.per_page == 0 { DEFAULT_PER_PAGE } else { query.per_page.min(MAX_PER_PAGE) };
        Paging { page: query.page, per_page, searched_at: now }
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page) * u64::from(self.per_page)
    }

    pub fn result(&self, found: Found, total: u64, capped: bool) -> SearchPage {
        SearchPage {
            hits: found.hits,
            unreadable: found.unreadable,
            total,
            total_is_capped: capped,
            page: self.page,
            per_page: self.per_page,
            searched_at: self.searched_at,
        }
    }
}

/// A page's entries as decoded: the hits, and the ids of rows that could not be read.
#[derive(Default)]
pub(crate) struct Found {
    pub hits: Vec<SearchHit>,
    pub unreadable: Vec<EntryId>,
}

impl Found {
    /// Adds a row's entry with its snippet and score, or its id when it cannot be read (the
    /// decoder logged why): one bad row never takes the page down.
    pub fn push(
        &mut self,
        id: i64,
        decoded: StoreResult<Entry>,
        snippet: impl FnOnce(&Entry) -> String,
        score: f64,
    ) {
        match decoded {
            Ok(entry) => {
                // Retention cleared the text: the placeholder stands where a snippet would.
                let snippet = match entry.expired_at {
                    Some(_) => EXPIRED_TEXT.to_string(),
                    None => snippet(&entry),
                };
                self.hits.push(SearchHit { entry, snippet, score });
            }
            Err(_) => self.unreadable.push(EntryId(id)),
        }
    }
}

/// Up to `limit` readable entries after `after`, in the order of the cursor `C` (an id, for
/// exports; a time and id, for reports), for keyset paging: `fetch` reads up to `want` rows after
/// a cursor and returns the entries that decode, how many rows it read and the last row's cursor.
/// Rows left out as unreadable are made up from the rows after them, so a short page keeps
/// meaning "no more". Both backends page through this one loop.
pub(crate) async fn entries_after<C, F, Fut>(
    limit: u32,
    mut after: Option<C>,
    mut fetch: F,
) -> StoreResult<Vec<Entry>>
where
    C: Copy,
    F: FnMut(Option<C>, u32) -> Fut,
    Fut: std::future::Future<Output = StoreResult<Fetched<C>>>,
{
    let mut entries = Vec::new();
    loop {
        let want = limit.saturating_sub(u32::try_from(entries.len()).unwrap_or(u32::MAX));
        let fetched = fetch(after, want).await?;
        let full = fetched.rows == want as usize;
        after = fetched.last;
        entries.extend(fetched.entries);
        if !full || entries.len() >= limit as usize || after.is_none() {
            return Ok(entries);
        }
    }
}

/// One fetch of [`entries_after`]: the entries that decoded, out of how many rows, and the
/// cursor of the last row read (readable or not).
pub(crate) struct Fetched<C = EntryId> {
    pub entries: Vec<Entry>,
    pub rows: usize,
    pub last: Option<C>,
}
