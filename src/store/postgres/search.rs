//! Search: ranked full-text search over a bounded window of the newest matches, and a newest-first
//! listing when the query has no words. The same shape as the SQLite backend's, in SQL:
//! 1. The newest `window + 1` rows of the guild whose `search` tsvector matches every phrase and
//!    that pass the filters, by id (capture order) descending, each scored `ts_rank / (1 +
//!    age_in_days / 365)`: relevance divided by recency exactly as `sqlite::rank` divides its BM25,
//!    so a year-old entry needs half again the relevance of today's to rank beside it. GIN has no
//!    order, so finding them cheaply takes some care: see `newest`.
//! 2. The window is ordered by score; ties put the later capture first.
//! 3. The page is cut from the ranked window, and only its rows are read in full, with snippets
//!    from `ts_headline` (see `headline`).
//!
//! User text reaches PostgreSQL only as bound parameters: each phrase of `SearchTerms` goes through
//! `phraseto_tsquery`, which reads no operators at all, and the phrases are ANDed in SQL, so every
//! phrase must match, as in FTS5. `total` is the window's size, marked capped when more rows match.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::Postgres;
use sqlx::{PgConnection, QueryBuilder};

use super::entries::key_list;
use super::filters::{push_partner_links, push_row_filters, push_tsquery};
use super::rows::{bound, EntryRow, ENTRY_COLUMNS};
use super::{headline, newest, PostgresStore};
use crate::domain::department::DepartmentKeys;
use crate::domain::ids::GuildId;
use crate::domain::partner::PartnerId;
use crate::domain::search::{SearchPage, SearchQuery};
use crate::store::paging::{Found, Paging};
use crate::store::{ids, SearchStore, StoreResult};

/// How many of the newest matches are ranked, and the most a `total` counts to (as SQLite's).
pub(super) const DEFAULT_WINDOW: usize = 1000;
/// A listing has no matched words to centre on: it shows the note's start, about as long as a
/// snippet (as SQLite's).
const LISTING_EXCERPT_CHARS: usize = 120;

#[async_trait]
impl SearchStore for PostgresStore {
    async fn search(
        &self,
        guild: GuildId,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> StoreResult<SearchPage> {
        let paging = Paging::of(query, now);
        if query.occurred.is_some_and(|r| r.end <= r.start) {
            return Ok(paging.result(Found::default(), 0, false));
        }
        // One snapshot for the window and the page (and the count of a listing), as SQLite's read
        // transaction gives, asked for in the BEGIN itself (one round trip fewer). Custom plans
        // only: sqlx prepares each statement once per connection, and after five runs PostgreSQL
        // may keep a generic plan that cannot see the words or the date range; planning costs
        // about 1 ms. No parallel workers: for the few hundred rows a search reads, starting them
        // cost more than they saved (a run of buckets took 36 ms with two workers and 11 ms
        // without, docs/benchmarks.md).
        let mut tx = self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?;
        // No JIT either: the planner's guess for a run of buckets is far above what it reads, past
        // `jit_above_cost`, and compiling took 7-180 ms for a query that runs in 3 (measured).
        // `set_config(..., true)` is `SET LOCAL`, all in one round trip.
        sqlx::query(
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), \
             set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)",
        )
        .execute(&mut *tx)
        .await?;
        let page = if !query.terms.is_empty() {
            ranked(&mut tx, self.window, self.partner_walk, guild, query, &paging).await?
        } else if query.has_text() {
            // Text that held no words (`*`, a lone quote) matches nothing rather than everything.
            paging.result(Found::default(), 0, false)
        } else {
            listing(&mut tx, self.window, guild, query, &paging).await?
        };
        tx.commit().await?;
        Ok(page)
    }
}

/// The guild, the date range and the row filters, present ones only (so that a cached generic
/// plan still fits them). Department and partner are `Driver`'s.
fn push_filters(qb: &mut QueryBuilder<'_, Postgres>, guild: GuildId, query: &SearchQuery) {
    qb.push(" WHERE guild_id = ").push_bind(ids::guild(guild));
    if let Some(range) = query.occurred {
        qb.push(" AND occurred_at >= ").push_bind(bound(range.start));
        qb.push(" AND occurred_at < ").push_bind(bound(range.end));
    }
    push_row_filters(qb, query);
}

async fn ranked(
    conn: &mut PgConnection,
    window: usize,
    partner_walk: u32,
    guild: GuildId,
    query: &SearchQuery,
    paging: &Paging,
) -> StoreResult<SearchPage> {
    let mut scored = newest::newest(conn, guild, query, window, partner_walk, paging.searched_at).await?;
    let capped = scored.len() > window;
    scored.truncate(window);
    let total = scored.len() as u64;
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    let page: Vec<(i64, f64)> = scored
        .into_iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
        .take(paging.per_page as usize)
        .collect();
    let mut rows = page_rows(conn, guild, query, &page).await?;
    let mut found = Found::default();
    for (id, score) in page {
        let Some(row) = rows.remove(&id) else { continue };
        let snippet = headline::finish(&row.entry.note, &row.snippet);
        found.push(id, row.entry.into_entry(), |_| snippet, score);
    }
    Ok(paging.result(found, total, capped))
}

#[derive(sqlx::FromRow)]
struct HitRow {
    #[sqlx(flatten)]
    entry: EntryRow,
    snippet: String,
}

/// The page's rows by id, each with its headline.
async fn page_rows(
    conn: &mut PgConnection,
    guild: GuildId,
    query: &SearchQuery,
    page: &[(i64, f64)],
) -> StoreResult<HashMap<i64, HitRow>> {
    if page.is_empty() {
        return Ok(HashMap::new());
    }
    let mut qb = QueryBuilder::new(format!("SELECT {ENTRY_COLUMNS}, "));
    headline::push(&mut qb, |qb| push_tsquery(qb, query));
    qb.push(" AS snippet FROM entries WHERE guild_id = ").push_bind(ids::guild(guild));
    qb.push(" AND id = ANY(").push_bind(page.iter().map(|(id, _)| *id).collect::<Vec<i64>>()).push(")");
    let rows: Vec<HitRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| (r.entry.id, r)).collect())
}

/// Newest first, exact order: the page's ids through the index that suits the filters (`Driver`),
/// then their rows; `total` is counted up to one past the window, as SQLite counts it.
async fn listing(
    conn: &mut PgConnection,
    cap: usize,
    guild: GuildId,
    query: &SearchQuery,
    paging: &Paging,
) -> StoreResult<SearchPage> {
    let cap = i64::try_from(cap).unwrap_or(i64::MAX);
    let driver = Driver::of(query);
    let page: Vec<(DateTime<Utc>, i64)> = match driver {
        // Each half walks its own index newest first and stops at the page's end; the two are
        // merged here. As one UNION ALL, PostgreSQL sorted both halves whole instead (their
        // indexes end at `occurred_at`, not the id that breaks ties): 115 ms p99 at 1M, measured.
        Driver::Department(d) => {
            let through = paging.offset().saturating_add(u64::from(paging.per_page));
            let through = i64::try_from(through).unwrap_or(i64::MAX);
            let mut halves = Vec::new();
            for own in [true, false] {
                let mut qb = QueryBuilder::new("");
                if own {
                    push_own_department_arm(&mut qb, d, guild, query);
                    qb.push(" ORDER BY occurred_at DESC, id DESC");
                } else {
                    push_other_department_arm(&mut qb, d, guild, query);
                    qb.push(" ORDER BY ed.occurred_at DESC, ed.entry_id DESC");
                }
                qb.push(" LIMIT ").push_bind(through);
                let half: Vec<(DateTime<Utc>, i64)> = qb.build_query_as().fetch_all(&mut *conn).await?;
                halves.extend(half);
            }
            halves.sort_by(|a, b| b.cmp(a));
            halves
                .into_iter()
                .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
                .take(paging.per_page as usize)
                .collect()
        }
        Driver::Partner(p) => {
            let mut qb = QueryBuilder::new("");
            push_partner_arm(&mut qb, p, guild, query);
            qb.push(" ORDER BY ep.occurred_at DESC, ep.entry_id DESC LIMIT ")
                .push_bind(i64::from(paging.per_page));
            qb.push(" OFFSET ").push_bind(i64::try_from(paging.offset()).unwrap_or(i64::MAX));
            qb.build_query_as().fetch_all(&mut *conn).await?
        }
        Driver::Guild => {
            let mut qb = QueryBuilder::new("SELECT occurred_at, id FROM entries");
            push_filters(&mut qb, guild, query);
            qb.push(" ORDER BY occurred_at DESC, id DESC LIMIT ").push_bind(i64::from(paging.per_page));
            qb.push(" OFFSET ").push_bind(i64::try_from(paging.offset()).unwrap_or(i64::MAX));
            qb.build_query_as().fetch_all(&mut *conn).await?
        }
    };
    let rows: Vec<EntryRow> = if page.is_empty() {
        Vec::new()
    } else {
        let mut qb = QueryBuilder::new(format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE guild_id = "));
        qb.push_bind(ids::guild(guild));
        qb.push(" AND id = ANY(").push_bind(page.iter().map(|(_, id)| *id).collect::<Vec<i64>>());
        qb.push(") ORDER BY occurred_at DESC, id DESC");
        qb.build_query_as().fetch_all(&mut *conn).await?
    };
    let mut qb = QueryBuilder::new("");
    driver.push_count(&mut qb, guild, query, cap.saturating_add(1));
    let (total,): (i64,) = qb.build_query_as().fetch_one(&mut *conn).await?;
    let mut found = Found::default();
    for row in rows {
        found.push(row.id, row.into_entry(), |e| e.note.excerpt(LISTING_EXCERPT_CHARS), 0.0);
    }
    Ok(paging.result(found, u64::try_from(total.min(cap)).unwrap_or(0), total > cap))
}

/// Which index a newest-first listing walks, backwards, until the page is full (as SQLite's):
/// - a partner's: its links' (partner, occurred_at, entry) index, the rest checked on each row;
/// - a department's: the entries filed under it as their own department (the guild's department
///   index) and those naming it as another (`entry_departments`' (guild, department, occurred_at)
///   index), merged in order (Merge Append), so the LIMIT stops both early;
/// - otherwise the guild's `occurred_at` index.
///
/// The joins leave `entries` unaliased: the row filters and the entry columns name it.
enum Driver<'a> {
    Partner(PartnerId),
    Department(&'a DepartmentKeys),
    Guild,
}

impl<'a> Driver<'a> {
    fn of(query: &'a SearchQuery) -> Self {
        match (query.partner, &query.department) {
            (Some(p), _) => Driver::Partner(p),
            (None, Some(d)) => Driver::Department(d),
            (None, None) => Driver::Guild,
        }
    }

    /// `SELECT count` of the matches, counted to `to` at most (per half, for a department).
    fn push_count(&self, qb: &mut QueryBuilder<'_, Postgres>, guild: GuildId, query: &SearchQuery, to: i64) {
        match self {
            Driver::Partner(p) => {
                qb.push("SELECT count(*) FROM (");
                push_partner_arm(qb, *p, guild, query);
                qb.push(" LIMIT ").push_bind(to).push(") AS matching");
            }
            Driver::Department(d) => {
                qb.push("SELECT (SELECT count(*) FROM (");
                push_own_department_arm(qb, d, guild, query);
                qb.push(" LIMIT ").push_bind(to).push(") AS own) + (SELECT count(*) FROM (");
                push_other_department_arm(qb, d, guild, query);
                qb.push(" LIMIT ").push_bind(to).push(") AS other)");
            }
            Driver::Guild => {
                qb.push("SELECT count(*) FROM (SELECT 1 FROM entries");
                push_filters(qb, guild, query);
                qb.push(" LIMIT ").push_bind(to).push(") AS matching");
            }
        }
    }
}

/// The partner's linked entries that pass the other filters, by its links' timeline index.
fn push_partner_arm(
    qb: &mut QueryBuilder<'_, Postgres>,
    partner: PartnerId,
    guild: GuildId,
    query: &SearchQuery,
) {
    qb.push("SELECT ep.occurred_at, ep.entry_id");
    push_partner_links(qb, partner, guild, query);
}

/// Entries whose own department is the filter's, by the guild's department index.
fn push_own_department_arm(
    qb: &mut QueryBuilder<'_, Postgres>,
    department: &DepartmentKeys,
    guild: GuildId,
    query: &SearchQuery,
) {
    qb.push("SELECT occurred_at, id FROM entries");
    push_filters(qb, guild, query);
    super::entries::push_department(qb, department);
}

/// Entries naming the filter's department as one of their others, by `entry_departments`' index.
/// An entry whose own department is one of the filter's keys too (a renamed department, both its
/// names on one entry) is the other half's.
fn push_other_department_arm(
    qb: &mut QueryBuilder<'_, Postgres>,
    department: &DepartmentKeys,
    guild: GuildId,
    query: &SearchQuery,
) {
    qb.push(
        "SELECT ed.occurred_at, ed.entry_id FROM entry_departments AS ed JOIN entries \
         ON entries.id = ed.entry_id WHERE ed.guild_id = ",
    )
    .push_bind(ids::guild(guild));
    qb.push(" AND ed.department = ANY(").push_bind(key_list(department));
    qb.push(") AND NOT entries.department = ANY(").push_bind(key_list(department)).push(")");
    if let Some(range) = query.occurred {
        qb.push(" AND ed.occurred_at >= ").push_bind(bound(range.start));
        qb.push(" AND ed.occurred_at < ").push_bind(bound(range.end));
    }
    push_row_filters(qb, query);
}
