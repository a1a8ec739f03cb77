//! Search: ranked full-text search over a bounded window of the newest matches, and a newest-first
//! listing when the query has no words.
//!
//! Ranked search costs what the window costs, not what the guild holds:
//! 1. A bounded sample (the newest `SAMPLE_ROWS` ids) says how common each phrase and the guild
//!    are: the phrases' IDF, and whether the guild's own token narrows anything.
//! 2. FTS5 walks the matches of the MATCH expression (scope tokens, then the words) newest rowid
//!    first and stops after `window` rows that pass the exact filters on the joined row. They come
//!    back as one JSON row with their notes and tags.
//! 3. Those are ranked here (`rank`), the page is cut from the ranked window, its rows are fetched
//!    by id, and snippets are made from the notes already in hand (`snippet`).
//!
//! Rowid order is capture order, close to `occurred_at` order, so the trade is: an old entry that
//! matches a very common word can fall outside the window, while latency stays bounded. `total` is
//! the window's size, marked capped when more rows match. Measurements: docs/benchmarks.md.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::Sqlite;
use sqlx::{QueryBuilder, SqliteConnection, SqlitePool};

use super::facets::{self, Scope};
use super::rank::{self, Candidate, Matcher, Ranked, Scratch};
use super::rows::{self, EntryRow, ENTRY_COLUMNS, E_ENTRY_COLUMNS};
use super::{snippet, SqliteStore};
use crate::domain::department::DepartmentKeys;
use crate::domain::ids::GuildId;
use crate::domain::partner::PartnerId;
use crate::domain::search::{SearchPage, SearchQuery};
use crate::store::paging::{Found, Paging};
use crate::store::{ids, SearchStore, StoreResult};

/// How many of the newest matches are ranked, and the most a `total` counts to.
pub(super) const DEFAULT_WINDOW: usize = 1000;
/// Document frequencies (for the IDF, and to decide whether the guild token narrows) are counted
/// among this many of the newest rows, which bounds their cost.
const SAMPLE_ROWS: i64 = 10_000;
/// A listing has no matched words to centre on: it shows the note's start, about as long as a
/// snippet.
const LISTING_EXCERPT_CHARS: usize = 120;

/// The filters checked on the joined row, bound as ?2 to ?10 (absent ones as NULL) by
/// `bind_joined`. The facet tokens already narrow FTS5 to them; checking again keeps every hit
/// exact whatever the tokens. ?5 is the department's one key, or for a department filed under
/// several (renamed, its old name still on entries) a JSON array of them; an entry is filed under
/// it as its own department or as one of its others (`entry_departments`, looked up by primary key
/// only for a row whose own department is another). ?9 is the ids the viewer may not see
/// (`Hidden`). ?10 is the partner the entry must be linked to.
fn joined_filters(query: &SearchQuery) -> String {
    let department = if several_departments(query) {
        "(e.department IN (SELECT value FROM json_each(?5)) OR EXISTS (SELECT 1 FROM entry_departments AS xd \
         WHERE xd.entry_id = e.id AND xd.department IN (SELECT value FROM json_each(?5))))"
    } else {
        "(?5 IS NULL OR e.department = ?5 OR EXISTS (SELECT 1 FROM entry_departments AS xd \
         WHERE xd.entry_id = e.id AND xd.department = ?5))"
    };
    format!(
        "e.guild_id = ?2 AND e.occurred_at >= ?3 AND e.occurred_at < ?4 \
         AND {department} AND (?6 IS NULL OR e.channel = ?6) \
         AND (?7 IS NULL OR e.author_id = ?7) \
         AND (?8 IS NULL OR instr(' ' || e.tags || ' ', ' ' || ?8 || ' ') > 0) \
         AND (?9 IS NULL OR e.id NOT IN (SELECT value FROM json_each(?9))) \
         AND (?10 IS NULL OR EXISTS (SELECT 1 FROM entry_partners AS xp \
              WHERE xp.entry_id = e.id AND xp.partner_id = ?10))"
    )
}

fn several_departments(query: &SearchQuery) -> bool {
    query.department.as_ref().is_some_and(|d| d.keys().len() > 1)
}

/// ?5 of `joined_filters`.
fn department_param(query: &SearchQuery) -> Option<String> {
    let keys = query.department.as_ref()?.keys();
    Some(match keys {
        [key] => key.as_str().to_string(),
        keys => serde_json::Value::from(keys.iter().map(|k| k.as_str()).collect::<Vec<_>>()).to_string(),
    })
}

/// FTS5 drives (CROSS JOIN keeps it the outer loop): left to itself the planner may walk a b-tree
/// index and re-run the full-text search for every row.
const FROM_FTS: &str = "FROM entries_fts CROSS JOIN entries AS e ON e.id = entries_fts.rowid";

#[async_trait]
impl SearchStore for SqliteStore {
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
        match facets::words_clause(&query.terms) {
            Some(words) => ranked(&self.reader, self.window, guild, query, &words, &paging).await,
            // Text that held no words (`*`, a lone quote) matches nothing rather than everything.
            None if query.has_text() => Ok(paging.result(Found::default(), 0, false)),
            None => listing(&self.reader, self.window, guild, query, &paging).await,
        }
    }
}

fn scope(query: &SearchQuery) -> Scope<'_> {
    Scope {
        department: query.department.as_ref(),
        channel: query.channel.as_ref().map(|c| c.as_str()),
        author: query.author,
        tag: query.tag.as_ref(),
        partner: query.partner,
        occurred: query.occurred,
    }
}

/// Binds ?1 (the MATCH expression) to ?10, as `joined_filters` expects.
fn bind_joined<'q, O>(
    q: sqlx::query::QueryAs<'q, Sqlite, O, sqlx::sqlite::SqliteArguments<'q>>,
    expr: &'q str,
    guild: GuildId,
    query: &'q SearchQuery,
    hidden: &'q Hidden,
) -> sqlx::query::QueryAs<'q, Sqlite, O, sqlx::sqlite::SqliteArguments<'q>> {
    let (start, end) =
        query.occurred.map_or((i64::MIN, i64::MAX), |r| (rows::millis(r.start), rows::millis(r.end)));
    q.bind(expr)
        .bind(ids::guild(guild))
        .bind(start)
        .bind(end)
        .bind(department_param(query))
        .bind(query.channel.as_ref().map(|c| c.as_str()))
        .bind(query.author.map(ids::user))
        .bind(query.tag.as_ref().map(|t| t.as_str()))
        .bind(hidden.ids.as_deref())
        .bind(query.partner.map(|p| p.0))
}

/// Other members' private entries, which the query's viewer may not find: their ids as a JSON
/// array for `json_each`, or `None` when there are none to hide (no viewer, or nobody else's
/// private entries), and the search is exactly what it was before private entries existed.
///
/// Private entries are expected to be few, so they are looked up through their own partial index
/// (migration 14) and excluded by id: every index holds the rowid, so counts stay index-only,
/// where checking `share` on each row would read every row counted.
#[derive(Debug, Default)]
pub(super) struct Hidden {
    ids: Option<String>,
    count: i64,
}

impl Hidden {
    pub(super) async fn of(
        conn: &mut SqliteConnection,
        guild: GuildId,
        query: &SearchQuery,
    ) -> StoreResult<Self> {
        let Some(viewer) = query.viewer else { return Ok(Hidden::default()) };
        // One row, the list made by SQLite: sqlx hands rows over one at a time (see `ranked`).
        let (count, list): (i64, String) = sqlx::query_as(HIDDEN_SQL)
            .bind(ids::guild(guild))
            .bind(ids::user(viewer))
            .fetch_one(&mut *conn)
            .await?;
        if count == 0 {
            return Ok(Hidden::default());
        }
        Ok(Hidden { ids: Some(list), count })
    }
}

/// `IS NOT`, not `<>`: an entry whose author was erased must stay hidden whatever its author id
/// has become.
pub(super) const HIDDEN_SQL: &str = "SELECT count(*), json_group_array(id) FROM entries \
     WHERE guild_id = ? AND share = 'private' AND author_id IS NOT ?";

async fn ranked(
    pool: &SqlitePool,
    window: usize,
    guild: GuildId,
    query: &SearchQuery,
    words: &str,
    paging: &Paging,
) -> StoreResult<SearchPage> {
    // One read transaction: the sample, the window and the page see the same snapshot.
    let mut tx = pool.begin().await?;
    let sample = Sample::take(&mut tx, guild, &query.terms.phrases).await?;
    let hidden = Hidden::of(&mut tx, guild, query).await?;
    let expr = facets::and(&[&scope(query).clause_with(guild, sample.guild_token_narrows()), words]);
    // One row holding the whole window as JSON: sqlx hands rows over one at a time between
    // threads, which cost a third of the search when the window came back as 1000 rows.
    let sql = window_sql(query);
    let (json,): (String,) = bind_joined(sqlx::query_as(&sql), &expr, guild, query, &hidden)
        .bind(i64::try_from(window).unwrap_or(i64::MAX).saturating_add(1))
        .fetch_one(&mut *tx)
        .await?;
    let mut candidates: Vec<Candidate> = serde_json::from_str::<Vec<(i64, i64, String, String)>>(&json)
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))?
        .into_iter()
        .map(|(id, occurred_at, note, tags)| Candidate { id, occurred_at, note, tags })
        .collect();
    let capped = candidates.len() > window;
    candidates.truncate(window);
    let total = candidates.len() as u64;
    if candidates.is_empty() {
        return Ok(paging.result(Found::default(), 0, false));
    }
    let ranked =
        rank::rank(&candidates, &query.terms.phrases, &sample.idf(), rows::millis(paging.searched_at));
    let page: Vec<Ranked> = ranked
        .into_iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
        .take(paging.per_page as usize)
        .collect();
    let mut entries = page_entries(&mut tx, guild, &page).await?;
    tx.commit().await?;
    let notes: HashMap<i64, &Candidate> = candidates.iter().map(|c| (c.id, c)).collect();
    let matcher = Matcher::new(&query.terms.phrases);
    let mut scratch = Scratch::default();
    let mut found = Found::default();
    for r in &page {
        let (Some(entry), Some(c)) = (entries.remove(&r.id), notes.get(&r.id)) else {
            continue;
        };
        found.push(r.id, entry.into_entry(), |_| snippet::snippet(&c.note, &matcher, &mut scratch), r.score);
    }
    Ok(paging.result(found, total, capped))
}

/// The newest matches, ?11 at most, as one JSON array of [id, occurred_at, note, tags].
pub(super) fn window_sql(query: &SearchQuery) -> String {
    let filters = joined_filters(query);
    format!(
        "SELECT json_group_array(json_array(id, occurred_at, note, tags)) FROM ( \
             SELECT e.id, e.occurred_at, e.note, e.tags {FROM_FTS} \
             WHERE entries_fts MATCH ?1 AND {filters} \
             ORDER BY entries_fts.rowid DESC LIMIT ?11)"
    )
}

/// How common the guild and each phrase are among the newest `SAMPLE_ROWS` ids (all guilds): a
/// bounded count, where FTS5's exact one (inside `bm25()`) walks whole posting lists.
struct Sample {
    /// Ids in the sampled range; rows, as far as ids are dense.
    rows: u64,
    guild_rows: u64,
    phrase_rows: Vec<u64>,
}

impl Sample {
    async fn take(conn: &mut SqliteConnection, guild: GuildId, phrases: &[Vec<String>]) -> StoreResult<Self> {
        let (newest,): (i64,) =
            sqlx::query_as("SELECT coalesce(max(id), 0) FROM entries").fetch_one(&mut *conn).await?;
        let above = newest.saturating_sub(SAMPLE_ROWS).max(0);
        let guild_clause = Scope::default().clause(guild);
        let mut counts = Vec::with_capacity(phrases.len() + 1);
        for clause in std::iter::once(guild_clause).chain(phrases.iter().map(|p| facets::phrase_clause(p))) {
            let (n,): (i64,) =
                sqlx::query_as("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ? AND rowid > ?")
                    .bind(clause)
                    .bind(above)
                    .fetch_one(&mut *conn)
                    .await?;
            counts.push(u64::try_from(n).unwrap_or(0));
        }
        let rows = u64::try_from(newest - above).unwrap_or(0);
        Ok(Sample { rows, guild_rows: counts[0], phrase_rows: counts.split_off(1) })
    }

    /// Whether the bare guild token goes into MATCH. FTS5 intersects posting lists by leapfrogging,
    /// which filters cheaper than joining rows, but a token on most rows adds a long list to
    /// intersect for little. Measured at 1M entries: a guild of 10% searched 2.5 times faster
    /// with its token; the guild of 60% took two- and three-word searches from 1.4-5.6 ms without
    /// it to 8-13 ms with it. In a one-guild database the token would be on every row.
    fn guild_token_narrows(&self) -> bool {
        self.guild_rows.saturating_mul(3) < self.rows
    }

    fn idf(&self) -> Vec<f64> {
        self.phrase_rows.iter().map(|&n| rank::idf(self.rows, n)).collect()
    }
}

/// The page's rows by id (the window held only what ranking needs).
async fn page_entries(
    conn: &mut SqliteConnection,
    guild: GuildId,
    page: &[Ranked],
) -> StoreResult<HashMap<i64, EntryRow>> {
    if page.is_empty() {
        return Ok(HashMap::new());
    }
    let list = serde_json::Value::from(page.iter().map(|r| r.id).collect::<Vec<_>>()).to_string();
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM entries WHERE guild_id = ? AND id IN (SELECT value FROM json_each(?))"
    );
    let rows: Vec<EntryRow> =
        sqlx::query_as(&sql).bind(ids::guild(guild)).bind(list).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

/// Newest first, exact order. Tag and author filters have no b-tree index: when FTS5 says few
/// rows carry them, those rows are fetched through it and sorted; otherwise (and for the other
/// filters) the guild's `occurred_at` index is walked backwards until the page is full.
async fn listing(
    pool: &SqlitePool,
    cap: usize,
    guild: GuildId,
    query: &SearchQuery,
    paging: &Paging,
) -> StoreResult<SearchPage> {
    let cap = i64::try_from(cap).unwrap_or(i64::MAX);
    let mut tx = pool.begin().await?;
    let hidden = Hidden::of(&mut tx, guild, query).await?;
    // Facet tokens match exactly the guild, department, channel, author and tag filters; only a
    // date range makes their count an upper bound. They cannot tell private entries apart: the
    // hidden ones they match are counted to one past the cap besides, then taken off, which
    // leaves what the viewer may find, exactly or (when the count stopped) more than the cap.
    let mut facet_count = None;
    if query.tag.is_some() || query.author.is_some() {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)",
        )
        .bind(scope(query).clause(guild))
        .bind(cap.saturating_add(1).saturating_add(hidden.count))
        .fetch_one(&mut *tx)
        .await?;
        facet_count = Some(n - hidden_matching(&mut tx, guild, query, &hidden).await?);
    }
    let (rows, total) = match facet_count {
        Some(n) if n <= cap => {
            listing_via_fts(&mut tx, &scope(query).clause(guild), guild, query, &hidden, paging).await?
        }
        Some(n) if query.occurred.is_none() => {
            (listing_via_btree(&mut tx, None, guild, query, &hidden, paging).await?.0, n)
        }
        _ => listing_via_btree(&mut tx, Some(cap), guild, query, &hidden, paging).await?,
    };
    tx.commit().await?;
    let capped = total > cap;
    let total = u64::try_from(total.min(cap)).unwrap_or(0);
    let mut found = Found::default();
    for row in rows {
        found.push(row.id, row.into_entry(), |e| e.note.excerpt(LISTING_EXCERPT_CHARS), 0.0);
    }
    Ok(paging.result(found, total, capped))
}

async fn listing_via_fts(
    conn: &mut SqliteConnection,
    expr: &str,
    guild: GuildId,
    query: &SearchQuery,
    hidden: &Hidden,
    paging: &Paging,
) -> StoreResult<(Vec<EntryRow>, i64)> {
    let filters = joined_filters(query);
    let sql = format!(
        "SELECT {E_ENTRY_COLUMNS} {FROM_FTS} WHERE entries_fts MATCH ?1 AND {filters} \
         ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?11 OFFSET ?12"
    );
    let rows: Vec<EntryRow> = bind_joined(sqlx::query_as(&sql), expr, guild, query, hidden)
        .bind(i64::from(paging.per_page))
        .bind(i64::try_from(paging.offset()).unwrap_or(i64::MAX))
        .fetch_all(&mut *conn)
        .await?;
    let sql = format!("SELECT count(*) {FROM_FTS} WHERE entries_fts MATCH ?1 AND {filters}");
    let (total,): (i64,) =
        bind_joined(sqlx::query_as(&sql), expr, guild, query, hidden).fetch_one(&mut *conn).await?;
    Ok((rows, total))
}

/// `count_to`: count matches up to one past it; `None` when the count is known already.
///
/// The page's ids come first, newest first, through the index that suits the filters (`Driver`),
/// then their rows by id.
async fn listing_via_btree(
    conn: &mut SqliteConnection,
    count_to: Option<i64>,
    guild: GuildId,
    query: &SearchQuery,
    hidden: &Hidden,
    paging: &Paging,
) -> StoreResult<(Vec<EntryRow>, i64)> {
    let driver = Driver::of(query);
    let mut qb = QueryBuilder::new("");
    driver.push_ids(&mut qb, guild, query, hidden);
    qb.push(" LIMIT ").push_bind(i64::from(paging.per_page));
    qb.push(" OFFSET ").push_bind(i64::try_from(paging.offset()).unwrap_or(i64::MAX));
    let page: Vec<(i64, i64)> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let rows = rows_newest_first(conn, guild, &page).await?;
    let Some(cap) = count_to else {
        return Ok((rows, 0));
    };
    let mut qb = QueryBuilder::new("");
    driver.push_count(&mut qb, guild, query, hidden, cap.saturating_add(1));
    let (total,): (i64,) = qb.build_query_as().fetch_one(&mut *conn).await?;
    Ok((rows, total))
}

/// The rows of `page` (occurred_at, id), newest first.
async fn rows_newest_first(
    conn: &mut SqliteConnection,
    guild: GuildId,
    page: &[(i64, i64)],
) -> StoreResult<Vec<EntryRow>> {
    if page.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::Value::from(page.iter().map(|(_, id)| *id).collect::<Vec<_>>()).to_string();
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM entries WHERE guild_id = ? AND id IN (SELECT value FROM json_each(?)) \
         ORDER BY occurred_at DESC, id DESC"
    );
    Ok(sqlx::query_as(&sql).bind(ids::guild(guild)).bind(list).fetch_all(&mut *conn).await?)
}

/// Which index a newest-first listing walks, backwards, until the page is full:
/// - a partner's: its links' (partner, occurred_at, entry) index, the rest checked on each row;
/// - a department's: the entries filed under it as their own department (the guild's department
///   index) merged with those naming it as another (`entry_departments`' (guild, department,
///   occurred_at) index). SQLite merges the two ordered halves of a compound SELECT with ORDER BY,
///   so neither half is sorted and the LIMIT stops both early;
/// - otherwise the guild's `occurred_at` index.
pub(super) enum Driver<'a> {
    Partner(PartnerId),
    Department(&'a DepartmentKeys),
    Guild,
}

impl<'a> Driver<'a> {
    pub(super) fn of(query: &'a SearchQuery) -> Self {
        match (query.partner, &query.department) {
            (Some(p), _) => Driver::Partner(p),
            (None, Some(d)) => Driver::Department(d),
            (None, None) => Driver::Guild,
        }
    }

    /// `SELECT occurred_at, id ... ORDER BY` newest first, without LIMIT.
    pub(super) fn push_ids(
        &self,
        qb: &mut QueryBuilder<'_, Sqlite>,
        guild: GuildId,
        query: &SearchQuery,
        hidden: &Hidden,
    ) {
        match self {
            Driver::Partner(p) => {
                push_partner_arm(qb, *p, guild, query, hidden);
                qb.push(" ORDER BY ep.occurred_at DESC, ep.entry_id DESC");
            }
            Driver::Department(d) => {
                push_own_department_arm(qb, d, guild, query, hidden);
                qb.push(" UNION ALL ");
                push_other_department_arm(qb, d, guild, query, hidden);
                qb.push(" ORDER BY 1 DESC, 2 DESC");
            }
            Driver::Guild => {
                qb.push("SELECT occurred_at, id FROM entries");
                push_listing_filter(qb, guild, query);
                push_not_hidden(qb, "", hidden);
                qb.push(" ORDER BY occurred_at DESC, id DESC");
            }
        }
    }

    /// `SELECT count` of the matches, counted to `to` at most (per half, for a department).
    fn push_count(
        &self,
        qb: &mut QueryBuilder<'_, Sqlite>,
        guild: GuildId,
        query: &SearchQuery,
        hidden: &Hidden,
        to: i64,
    ) {
        match self {
            Driver::Partner(p) => {
                qb.push("SELECT count(*) FROM (");
                push_partner_arm(qb, *p, guild, query, hidden);
                qb.push(" LIMIT ").push_bind(to).push(")");
            }
            Driver::Department(d) => {
                qb.push("SELECT (SELECT count(*) FROM (");
                push_own_department_arm(qb, d, guild, query, hidden);
                qb.push(" LIMIT ").push_bind(to).push(")) + (SELECT count(*) FROM (");
                push_other_department_arm(qb, d, guild, query, hidden);
                qb.push(" LIMIT ").push_bind(to).push("))");
            }
            Driver::Guild => {
                qb.push("SELECT count(*) FROM (SELECT 1 FROM entries");
                push_listing_filter(qb, guild, query);
                push_not_hidden(qb, "", hidden);
                qb.push(" LIMIT ").push_bind(to).push(")");
            }
        }
    }
}

/// The partner's linked entries that pass the other filters, by its links' timeline index.
fn push_partner_arm(
    qb: &mut QueryBuilder<'_, Sqlite>,
    partner: PartnerId,
    guild: GuildId,
    query: &SearchQuery,
    hidden: &Hidden,
) {
    qb.push(
        "SELECT ep.occurred_at, ep.entry_id FROM entry_partners AS ep CROSS JOIN entries AS e \
         ON e.id = ep.entry_id WHERE ep.partner_id = ",
    )
    .push_bind(partner.0);
    qb.push(" AND e.guild_id = ").push_bind(ids::guild(guild));
    if let Some(range) = query.occurred {
        qb.push(" AND ep.occurred_at >= ").push_bind(rows::millis(range.start));
        qb.push(" AND ep.occurred_at < ").push_bind(rows::millis(range.end));
    }
    if let Some(d) = &query.department {
        push_names_department(qb, "e.", d);
    }
    push_row_filters(qb, "e.", query);
    push_not_hidden(qb, "e.", hidden);
}

/// Entries whose own department is the filter's, by the guild's department index.
fn push_own_department_arm(
    qb: &mut QueryBuilder<'_, Sqlite>,
    department: &DepartmentKeys,
    guild: GuildId,
    query: &SearchQuery,
    hidden: &Hidden,
) {
    qb.push("SELECT occurred_at, id FROM entries");
    push_listing_filter(qb, guild, query);
    super::entries::push_department(qb, department);
    push_not_hidden(qb, "", hidden);
}

/// Entries naming the filter's department as one of their others, by `entry_departments`' index.
/// An entry whose own department is one of the filter's keys too (a renamed department, both its
/// names on one entry) is the other half's.
fn push_other_department_arm(
    qb: &mut QueryBuilder<'_, Sqlite>,
    department: &DepartmentKeys,
    guild: GuildId,
    query: &SearchQuery,
    hidden: &Hidden,
) {
    qb.push(
        "SELECT ed.occurred_at, ed.entry_id FROM entry_departments AS ed CROSS JOIN entries AS e \
         ON e.id = ed.entry_id WHERE ed.guild_id = ",
    )
    .push_bind(ids::guild(guild));
    super::entries::push_key_list(qb, " AND ed.department IN (", department);
    super::entries::push_key_list(qb, " AND e.department NOT IN (", department);
    if let Some(range) = query.occurred {
        qb.push(" AND ed.occurred_at >= ").push_bind(rows::millis(range.start));
        qb.push(" AND ed.occurred_at < ").push_bind(rows::millis(range.end));
    }
    push_row_filters(qb, "e.", query);
    push_not_hidden(qb, "e.", hidden);
}

/// ` AND` the row (`{p}` its table's qualifier) is filed under the department, as its own or as
/// one of its others (looked up by primary key, only for a row whose own department is another).
fn push_names_department(qb: &mut QueryBuilder<'_, Sqlite>, p: &str, department: &DepartmentKeys) {
    super::entries::push_key_list(qb, &format!(" AND ({p}department IN ("), department);
    qb.push(format!(" OR EXISTS (SELECT 1 FROM entry_departments AS xd WHERE xd.entry_id = {p}id"));
    super::entries::push_key_list(qb, " AND xd.department IN (", department);
    qb.push("))");
}

/// How many of the hidden entries the query's filters match: what a count of the facet tokens,
/// which cannot tell private entries apart, counted too many. One rowid look-up per hidden entry.
async fn hidden_matching(
    conn: &mut SqliteConnection,
    guild: GuildId,
    query: &SearchQuery,
    hidden: &Hidden,
) -> StoreResult<i64> {
    let Some(list) = &hidden.ids else { return Ok(0) };
    let mut qb = QueryBuilder::new("SELECT count(*) FROM entries");
    push_listing_filter(&mut qb, guild, query);
    if let Some(d) = &query.department {
        push_names_department(&mut qb, "entries.", d);
    }
    if let Some(p) = query.partner {
        push_linked_to(&mut qb, "entries.", p);
    }
    qb.push(" AND id IN (SELECT value FROM json_each(").push_bind(list.clone()).push("))");
    let (n,): (i64,) = qb.build_query_as().fetch_one(&mut *conn).await?;
    Ok(n)
}

/// ` AND` the row (`{p}` its table's qualifier) is linked to the partner.
fn push_linked_to(qb: &mut QueryBuilder<'_, Sqlite>, p: &str, partner: PartnerId) {
    qb.push(format!(
        " AND EXISTS (SELECT 1 FROM entry_partners AS xp WHERE xp.entry_id = {p}id AND xp.partner_id = "
    ))
    .push_bind(partner.0)
    .push(")");
}

fn push_not_hidden(qb: &mut QueryBuilder<'_, Sqlite>, p: &str, hidden: &Hidden) {
    if let Some(list) = &hidden.ids {
        qb.push(format!(" AND {p}id NOT IN (SELECT value FROM json_each("))
            .push_bind(list.clone())
            .push("))");
    }
}

/// The guild and date range on `entries` itself (so that the planner can use the guild's
/// indexes), then the filters that are checked on each row. Department and partner are left to
/// the caller: they choose the index (`Driver`).
fn push_listing_filter(qb: &mut QueryBuilder<'_, Sqlite>, guild: GuildId, query: &SearchQuery) {
    qb.push(" WHERE guild_id = ").push_bind(ids::guild(guild));
    if let Some(range) = query.occurred {
        qb.push(" AND occurred_at >= ").push_bind(rows::millis(range.start));
        qb.push(" AND occurred_at < ").push_bind(rows::millis(range.end));
    }
    push_row_filters(qb, "", query);
}

/// Channel, author and tag, on the row whose columns `{p}` qualifies.
fn push_row_filters(qb: &mut QueryBuilder<'_, Sqlite>, p: &str, query: &SearchQuery) {
    if let Some(c) = &query.channel {
        qb.push(format!(" AND {p}channel = ")).push_bind(c.as_str().to_string());
    }
    if let Some(a) = query.author {
        qb.push(format!(" AND {p}author_id = ")).push_bind(ids::user(a));
    }
    if let Some(t) = &query.tag {
        qb.push(format!(" AND instr(' ' || {p}tags || ' ', "))
            .push_bind(format!(" {} ", t.as_str()))
            .push(") > 0");
    }
}
