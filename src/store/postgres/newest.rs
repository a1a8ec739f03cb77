//! The window of a ranked search: the guild's newest `limit` matches by id, each with its score.
//!
//! GIN returns a word's matches unordered, so taking the newest thousand of a word in 2% of a big
//! guild's notes meant reading all 12,000 of them. Ids are cut into buckets of 16,384
//! (`BUCKET_KEY`, migration 8), and the search goes:
//! 1. bucket by bucket through the guild's newest `FIRST_BUCKETS`, newest first, stopping once the
//!    window is full: a common word is done here, having read about the window's rows;
//! 2. if the window is still short, through the rest of the guild in one GIN scan when those
//!    buckets held so few matches that the rest should hold no more than `ONE_SCAN_WINDOWS` (a rare
//!    word, or rare words together, where one scan costs less than a scan per bucket), and
//!    otherwise on bucket by bucket.
//!
//! The numbers behind each choice are in docs/benchmarks.md ("PostgreSQL search by id bucket").

use sqlx::postgres::Postgres;
use sqlx::{PgConnection, QueryBuilder};

use super::rows::bound;
use super::search::{push_row_filters, push_tsquery};
use crate::domain::ids::GuildId;
use crate::domain::search::SearchQuery;
use crate::store::{ids, StoreResult};

/// The first column of `entries_search_bucketed`, verbatim (migration 8): a guild and a bucket of
/// ids as one GIN key. Any other spelling is not recognised as the indexed expression.
const BUCKET_KEY: &str = "(guild_id::text || '/' || (id >> 14)::text)";
/// The `14` of `BUCKET_KEY`: a bucket holds 16,384 ids.
const BUCKET_BITS: u32 = 14;
/// Buckets searched one at a time before the rest is judged.
const FIRST_BUCKETS: usize = 4;
/// The most matches expected in the rest of the guild, in windows, for one scan to read them all:
/// with the default window of 1,000 and ~1.5 µs a row, about 5 ms.
const ONE_SCAN_WINDOWS: usize = 3;

/// `(id, score)` of the newest `window + 1` matches (one more, to tell that there are more), newest
/// first; `searched_at` is "now" for recency.
pub(super) async fn newest(
    conn: &mut PgConnection,
    guild: GuildId,
    query: &SearchQuery,
    window: usize,
    searched_at: chrono::DateTime<chrono::Utc>,
) -> StoreResult<Vec<(i64, f64)>> {
    let limit = window.saturating_add(1);
    let buckets = guild_buckets(conn, guild, query).await?;
    let first = FIRST_BUCKETS.min(buckets.len());
    let Some(&edge) = first.checked_sub(1).and_then(|i| buckets.get(i)) else {
        return Ok(Vec::new());
    };
    let mut found =
        scored(conn, query, searched_at, |qb| push_by_bucket(qb, guild, query, Some((">=", edge)), limit))
            .await?;
    let rest = buckets.len() - first;
    if found.len() >= limit || rest == 0 {
        return Ok(found);
    }
    let need = limit - found.len();
    let expected = found.len().saturating_mul(rest) / first;
    let more = if expected <= window.saturating_mul(ONE_SCAN_WINDOWS) {
        scored(conn, query, searched_at, |qb| push_one_scan(qb, guild, query, edge << BUCKET_BITS, need))
            .await?
    } else {
        scored(conn, query, searched_at, |qb| push_by_bucket(qb, guild, query, Some(("<", edge)), need))
            .await?
    };
    found.extend(more);
    Ok(found)
}

/// The guild's buckets, newest first; with a date range, only those whose days overlap it.
async fn guild_buckets(
    conn: &mut PgConnection,
    guild: GuildId,
    query: &SearchQuery,
) -> StoreResult<Vec<i64>> {
    let mut qb = QueryBuilder::new("SELECT bucket FROM entry_buckets WHERE guild_id = ");
    qb.push_bind(ids::guild(guild));
    if let Some(range) = query.occurred {
        qb.push(" AND last_day >= (").push_bind(bound(range.start)).push(" AT TIME ZONE 'UTC')::date");
        qb.push(" AND first_day <= (").push_bind(bound(range.end)).push(" AT TIME ZONE 'UTC')::date");
    }
    qb.push(" ORDER BY bucket DESC");
    let rows: Vec<(i64,)> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(b,)| b).collect())
}

/// Scores the rows `matches` pushes (a subquery of `id, occurred_at, search`), newest first:
/// `ts_rank / (1 + age_in_days / 365)`, relevance divided by recency as `sqlite::rank` divides its
/// BM25.
async fn scored(
    conn: &mut PgConnection,
    query: &SearchQuery,
    searched_at: chrono::DateTime<chrono::Utc>,
    matches: impl FnOnce(&mut QueryBuilder<'_, Postgres>),
) -> StoreResult<Vec<(i64, f64)>> {
    let mut qb = QueryBuilder::new("SELECT id, ts_rank(search, ");
    push_tsquery(&mut qb, query);
    qb.push(", 1)::float8 / (1 + greatest(0, extract(epoch FROM ")
        .push_bind(searched_at)
        .push(" - occurred_at))::float8 / 86400 / 365) AS score FROM (");
    matches(&mut qb);
    qb.push(") AS newest ORDER BY id DESC");
    Ok(qb.build_query_as().fetch_all(&mut *conn).await?)
}

/// The newest `limit` matches in the guild's buckets `bucket <op> edge`, bucket by bucket: for each,
/// newest first, GIN intersects the bucket's key, the department and the words before a row is
/// read. `OFFSET 0` keeps the planner from folding the per-bucket query into one join, which would
/// hand GIN the words alone (every match in every guild) or join through a hash that cannot stop
/// early; no guild key goes into the per-bucket scan, as GIN would then walk the guild's whole
/// posting list for every bucket. The explicit order makes the result exact whatever the plan;
/// with the buckets' primary key read backwards it is an incremental sort, a bucket at a time,
/// which the LIMIT stops.
fn push_by_bucket(
    qb: &mut QueryBuilder<'_, Postgres>,
    guild: GuildId,
    query: &SearchQuery,
    buckets: Option<(&str, i64)>,
    limit: usize,
) {
    qb.push(
        "SELECT m.id, m.occurred_at, m.search FROM entry_buckets AS b CROSS JOIN LATERAL \
         (SELECT id, guild_id, occurred_at, channel, author_id, tags, search FROM entries WHERE ",
    );
    qb.push(BUCKET_KEY).push(" = (b.guild_id::text || '/' || b.bucket::text)");
    if let Some(d) = &query.department {
        qb.push(" AND department = ").push_bind(d.clone());
    }
    qb.push(" AND search @@ ");
    push_tsquery(qb, query);
    qb.push(" OFFSET 0) AS m WHERE b.guild_id = ").push_bind(ids::guild(guild));
    if let Some((op, edge)) = buckets {
        qb.push(format!(" AND b.bucket {op} ")).push_bind(edge);
    }
    if let Some(range) = query.occurred {
        qb.push(" AND b.last_day >= (").push_bind(bound(range.start)).push(" AT TIME ZONE 'UTC')::date");
        qb.push(" AND b.first_day <= (").push_bind(bound(range.end)).push(" AT TIME ZONE 'UTC')::date");
    }
    // The key holds the guild's id as text; the row's own guild is checked as well.
    qb.push(" AND m.guild_id = b.guild_id");
    push_row_filters(qb, "m.", query);
    qb.push(" ORDER BY b.bucket DESC, m.id DESC LIMIT ").push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
}

/// The newest `limit` matches with ids below `below`, in one scan: GIN intersects the guild, the
/// department and the words, and every match is read and sorted.
fn push_one_scan(
    qb: &mut QueryBuilder<'_, Postgres>,
    guild: GuildId,
    query: &SearchQuery,
    below: i64,
    limit: usize,
) {
    qb.push("SELECT id, occurred_at, search FROM entries WHERE guild_id = ").push_bind(ids::guild(guild));
    qb.push(" AND id < ").push_bind(below);
    if let Some(d) = &query.department {
        qb.push(" AND department = ").push_bind(d.clone());
    }
    qb.push(" AND search @@ ");
    push_tsquery(qb, query);
    push_row_filters(qb, "", query);
    qb.push(" ORDER BY id DESC LIMIT ").push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
}
