//! Which page of results a search asks for, shared by both backends so that they cut pages alike,
//! and the instant it is searched at (recency is measured from it; the caller's clock gives it).

use chrono::{DateTime, Utc};

use crate::domain::search::{SearchHit, SearchPage, SearchQuery, DEFAULT_PER_PAGE, MAX_PER_PAGE};

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

    pub fn result(&self, hits: Vec<SearchHit>, total: u64, capped: bool) -> SearchPage {
        SearchPage {
            hits,
            total,
            total_is_capped: capped,
            page: self.page,
            per_page: self.per_page,
            searched_at: self.searched_at,
        }
    }
}
