//! The window of a ranked search: the guild's newest `limit` matches by id, each with its score.
//!
//! GIN returns a word's matches unordered, so taking the newest thousand of a word in 2% of a big
//! guild's notes meant reading all 12,000 of them. Ids are cut into buckets of 16,384, each entry
//! is indexed under its bucket's key, its department's and its words', all scoped to its guild
//! (`SEARCH_KEYS`, migration 8), and the guild's buckets are searched newest first until the
//! window is full: a common word is done within the first bucket, having read about the window's
//! rows. After `FIRST_BUCKETS`, their matches tell how many the rest of the guild holds: when few
//! (a rare word, or rare words together), one GIN scan reads them all for less than the bucket
//! queries would cost (`one_scan_is_cheaper`); otherwise the search goes on a run of buckets at a
//! time, each run as long as should hold what is still needed.
//!
//! Every query orders by `id + 0`, which no index can give, so that PostgreSQL reads GIN's
//! matches and sorts them. Ordered by `id`, it sometimes walked the primary key backwards from the
//! newest entry instead, checking every row, when the LIMIT was small and it guessed the word
//! common: 100+ ms for a word the bucket held a few times (measured).
//!
//! The runs are asked from here, rather than in one statement over all the buckets: the planner
//! streams buckets newest first only when it expects to stop early, and its guess of how many
//! match is poor, so it sometimes sorted every bucket's matches to keep a thousand (76 ms,
//! measured).
//!
//! The numbers behind each choice are in docs/benchmarks.md ("PostgreSQL search by id bucket").

use chrono::{DateTime, Utc};
use sqlx::postgres::Postgres;
use sqlx::{PgConnection, QueryBuilder};

use super::rows::bound;
use super::search::{push_row_filters, push_tsquery};
use crate::domain::ids::GuildId;
use crate::domain::search::SearchQuery;
use crate::store::{ids, StoreResult};

/// What the index of migration 8 holds, verbatim: the entry's keys (its bucket, its department and
/// its words, each scoped to its guild). Any other spelling is not recognised as the indexed
/// expression.
const SEARCH_KEYS: &str = "entry_search_keys(guild_id, id, department, search)";
/// The `14` of `id >> 14` in migration 8: a bucket holds 16,384 ids.
const BUCKET_BITS: u32 = 14;
/// Buckets searched one at a time before the rest is judged.
const FIRST_BUCKETS: usize = 4;
/// What one bucket's query costs, in rows one scan reads: 0.2-0.45 ms a query against ~6-15 µs a
/// row (the heap row and its share of GIN reading the words' postings for the whole guild; more
/// with more words), measured at 1M (docs/benchmarks.md). Used to choose the cheaper way through
/// the rest of the guild; 10, 20 and 40 measured alike.
const BUCKET_COST_IN_ROWS: usize = 20;

/// `(id, score)` of the newest `window + 1` matches (one more, to tell that there are more), newest
/// first; `searched_at` is "now" for recency.
pub(super) async fn newest(
    conn: &mut PgConnection,
    guild: GuildId,
    query: &SearchQuery,
    window: usize,
    searched_at: DateTime<Utc>,
) -> StoreResult<Vec<(i64, f64)>> {
    let limit = window.saturating_add(1);
    let words = word_keys(conn, guild, query).await?;
    if words.is_empty() {
        // Only stopwords: `phraseto_tsquery` makes an empty query of them, which matches nothing.
        return Ok(Vec::new());
    }
    let buckets = guild_buckets(conn, guild, query).await?;
    let mut found: Vec<(i64, f64)> = Vec::new();
    let mut next = 0;
    // The newest buckets one at a time: a common word fills the window in the first.
    while next < buckets.len().min(FIRST_BUCKETS) && found.len() < limit {
        found.extend(
            in_buckets(conn, guild, query, &words, &buckets[next..=next], limit - found.len(), searched_at)
                .await?,
        );
        next += 1;
    }
    if found.len() >= limit || next == buckets.len() {
        return Ok(found);
    }
    if one_scan_is_cheaper(found.len(), next, buckets.len() - next, limit - found.len()) {
        // Saturating: an imported id may sit in the very last bucket.
        let below = buckets[next].saturating_add(1).saturating_mul(1 << BUCKET_BITS);
        let need = limit - found.len();
        found.extend(
            scored(conn, query, searched_at, |qb| push_one_scan(qb, guild, query, &words, below, need))
                .await?,
        );
        return Ok(found);
    }
    // Then as many buckets at a time as should hold what is still needed, with a fifth to spare,
    // by the matches per bucket so far: a query per bucket costs more than its rows, and a run
    // much longer than needed reads rows for nothing (half again to spare: p99 up to 21.6 ms at
    // 1M, against 18.5 with a fifth).
    while found.len() < limit && next < buckets.len() {
        let need = limit - found.len();
        let per_bucket = found.len().max(1).div_ceil(next);
        let group = (need + need / 5).div_ceil(per_bucket).clamp(1, buckets.len() - next);
        found.extend(
            in_buckets(conn, guild, query, &words, &buckets[next..next + group], need, searched_at).await?,
        );
        next += group;
    }
    Ok(found)
}

/// The newest `need` matches in a run of the guild's buckets, scored.
async fn in_buckets(
    conn: &mut PgConnection,
    guild: GuildId,
    query: &SearchQuery,
    words: &[String],
    group: &[i64],
    need: usize,
    searched_at: DateTime<Utc>,
) -> StoreResult<Vec<(i64, f64)>> {
    scored(conn, query, searched_at, |qb| push_group(qb, guild, group, query, words, need)).await
}

/// Whether the rest of the guild (`rest` buckets) costs less as one scan than bucket by bucket,
/// judging by the `found` matches of the `searched` newest buckets. One scan reads every match of
/// the rest; bucket by bucket reads about `need` and pays a query per bucket until they are found.
fn one_scan_is_cheaper(found: usize, searched: usize, rest: usize, need: usize) -> bool {
    let expected = found.saturating_mul(rest) / searched.max(1);
    let buckets = if expected == 0 { rest } else { rest.min(need.saturating_mul(rest).div_ceil(expected)) };
    expected <= buckets.saturating_mul(BUCKET_COST_IN_ROWS).saturating_add(need)
}

/// The query's words as the index holds them, `<guild>:<lexeme>`: stemmed, accents folded and
/// stopwords dropped by the same text search configuration that made the entries' tsvectors.
async fn word_keys(conn: &mut PgConnection, guild: GuildId, query: &SearchQuery) -> StoreResult<Vec<String>> {
    let words = query.terms.phrases.iter().flatten().map(String::as_str).collect::<Vec<_>>().join(" ");
    let (keys,): (Vec<String>,) = sqlx::query_as(
        "SELECT ARRAY(SELECT DISTINCT $1 || ':' || lexeme \
         FROM unnest(tsvector_to_array(to_tsvector('liaison_english', $2))) AS lexeme)",
    )
    .bind(ids::guild(guild).to_string())
    .bind(words)
    .fetch_one(&mut *conn)
    .await?;
    Ok(keys)
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
    searched_at: DateTime<Utc>,
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

/// The newest `limit` matches in a run of buckets: GIN finds the entries holding one of the
/// buckets' keys (with the department, when there is one) and every word's.
fn push_group(
    qb: &mut QueryBuilder<'_, Postgres>,
    guild: GuildId,
    buckets: &[i64],
    query: &SearchQuery,
    words: &[String],
    limit: usize,
) {
    // As PostgreSQL writes a bigint as text: decimal, with a minus sign when negative.
    let scopes: Vec<String> = buckets
        .iter()
        .map(|bucket| match &query.department {
            Some(d) => format!("{}/{bucket}/{d}", ids::guild(guild)),
            None => format!("{}/{bucket}", ids::guild(guild)),
        })
        .collect();
    qb.push("SELECT id, occurred_at, search FROM entries WHERE ").push(SEARCH_KEYS).push(" && ");
    qb.push_bind(scopes).push(" AND ");
    push_matches(qb, query, words.to_vec(), None, limit);
}

/// The newest `limit` matches with ids below `below`, in one scan: GIN finds every entry of the
/// guild holding every word (and the department's key), and all of them are read and sorted.
fn push_one_scan(
    qb: &mut QueryBuilder<'_, Postgres>,
    guild: GuildId,
    query: &SearchQuery,
    words: &[String],
    below: i64,
    limit: usize,
) {
    let mut keys = words.to_vec();
    keys.extend(query.department.as_ref().map(|d| format!("{}//{d}", ids::guild(guild))));
    qb.push("SELECT id, occurred_at, search FROM entries WHERE ");
    push_matches(qb, query, keys, Some(below), limit);
}

/// The conditions of a query for the newest `limit` entries holding all of `keys` (and with ids
/// below `below`), checked on the rows for what the keys cannot tell: the phrases, in order, and
/// the filters. Ordered by `id + 0`: see the module's comment.
fn push_matches(
    qb: &mut QueryBuilder<'_, Postgres>,
    query: &SearchQuery,
    keys: Vec<String>,
    below: Option<i64>,
    limit: usize,
) {
    qb.push(SEARCH_KEYS).push(" @> ").push_bind(keys);
    if let Some(below) = below {
        qb.push(" AND id < ").push_bind(below);
    }
    qb.push(" AND search @@ ");
    push_tsquery(qb, query);
    push_row_filters(qb, query);
    qb.push(" ORDER BY id + 0 DESC LIMIT ").push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rare_word_takes_one_scan_and_a_common_one_goes_on_by_bucket() {
        // Nothing in the newest four of 60: one scan, which reads nothing much.
        assert!(one_scan_is_cheaper(0, 4, 56, 1001));
        // 40 in four buckets: ~560 expected, against 56 queries.
        assert!(one_scan_is_cheaper(40, 4, 56, 961));
        // 166 in four: ~2,300 expected in one scan, against ~21 more buckets for the 835 needed.
        assert!(!one_scan_is_cheaper(166, 4, 56, 835));
        // Few buckets left: their queries cost little, whatever they hold.
        assert!(!one_scan_is_cheaper(900, 4, 2, 101));
    }
}
