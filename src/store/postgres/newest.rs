//! The window of a ranked search: the guild's newest `limit` matches by id, each with its score.
//!
//! GIN returns a word's matches unordered, so taking the newest thousand of a word in 2% of a big
//! guild's notes meant reading all 12,000 of them. Ids are cut into buckets of 16,384, each word of
//! an entry is indexed under its guild and bucket (`BUCKET_KEYS`, migration 9), and the guild's
//! buckets are searched newest first, a run of them per query, until the window is full. A run is
//! one small GIN scan per bucket, each reading only that bucket's postings of the query's words,
//! so a query reads about the rows it keeps whatever the words' frequency: the newest bucket first
//! (a common word fills the window there), then runs as long as the matches per id so far say
//! should hold what is still needed, each at most four times as long as what went before.
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
//! A partner with few links is the exception: its entries are read through its links, each
//! checked for the words, which costs about 5 µs a link (a partner's rare word in every bucket's
//! GIN scan cost up to 33 ms at 1M entries; its few hundred links, a few ms).
//!
//! The numbers behind each choice are in docs/benchmarks.md ("PostgreSQL search by id bucket").

use chrono::{DateTime, Utc};
use sqlx::postgres::Postgres;
use sqlx::{PgConnection, QueryBuilder};

use super::filters::{push_partner_links, push_row_filters, push_tsquery};
use super::rows::bound;
use crate::domain::ids::GuildId;
use crate::domain::search::SearchQuery;
use crate::store::{ids, StoreResult};

/// What the index of migration 20 holds, verbatim: the entry's department, words and links (other
/// departments, partners), each scoped to its guild and bucket. Any other spelling is not
/// recognised as the indexed expression.
const BUCKET_KEYS: &str = "entry_bucket_keys(guild_id, id, department, search, bucket_links)";
/// The `14` of `id >> 14` in migrations 8 and 9: a bucket holds 16,384 ids.
const BUCKET_BITS: u32 = 14;
/// The most buckets one query asks for. Each is an index scan of its own that the planner weighs
/// (planning ~1 ms for 54 of them at 1M, measured), so a run stays short of what a guild of ten
/// million entries (600 buckets) would otherwise ask in one statement.
const MAX_RUN: usize = 64;
/// How many times the ids searched so far a run may span: the rate so far comes from few ids at
/// first (the newest bucket may hold a few hundred), or from ids outside a date range, and a run
/// sized on it alone read five times the rows it needed.
const GROWTH: u128 = 4;
/// The most links a partner may have for its search to read them all rather than the buckets:
/// at about 5 µs a link (measured at 1M: 988 links in 5.5 ms, 2,703 in 12.5), a partner this size
/// costs less than a run of buckets narrowed to it by its key (`PostgresStore::with_partner_walk`).
pub(super) const PARTNER_WALK: u32 = 1000;

/// `(id, score)` of the newest `window + 1` matches (one more, to tell that there are more), newest
/// first; `searched_at` is "now" for recency.
pub(super) async fn newest(
    conn: &mut PgConnection,
    guild: GuildId,
    query: &SearchQuery,
    window: usize,
    partner_walk: u32,
    searched_at: DateTime<Utc>,
) -> StoreResult<Vec<(i64, f64)>> {
    let limit = window.saturating_add(1);
    let outline = outline(conn, guild, query, partner_walk).await?;
    if outline.words.is_empty() {
        // Only stopwords: `phraseto_tsquery` makes an empty query of them, which matches nothing.
        return Ok(Vec::new());
    }
    if let (Some(partner), Some(links)) = (query.partner, outline.partner_links) {
        if links <= i64::from(partner_walk) {
            return scored(conn, query, searched_at, |qb| {
                qb.push("SELECT entries.id, entries.occurred_at, entries.search");
                push_partner_links(qb, partner, guild, query);
                qb.push(" AND search @@ ");
                push_tsquery(qb, query);
                // `+ 0`: the newest of the partner's matches, never the links' primary key walked
                // backwards (see the module's comment).
                qb.push(" ORDER BY ep.entry_id + 0 DESC LIMIT ")
                    .push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
            })
            .await;
        }
    }
    let buckets = &outline.buckets;
    let mut found: Vec<(i64, f64)> = Vec::new();
    let mut searched_ids = 0u64;
    let mut next = 0;
    while found.len() < limit && next < buckets.len() {
        let need = limit - found.len();
        let length = if next == 0 {
            first_run(buckets, outline.newest_id)
        } else {
            run_length(found.len(), searched_ids, need, buckets.len() - next)
        };
        let run = &buckets[next..next + length];
        let run_query = Run { guild, buckets: run, query, words: &outline.words };
        found.extend(in_run(conn, &run_query, need, searched_at).await?);
        searched_ids += run.iter().map(|&bucket| ids_held(bucket, outline.newest_id)).sum::<u64>();
        next += run.len();
    }
    Ok(found)
}

/// The first query's buckets: the newest alone (a common word fills the window there), with the
/// one before it while the newest holds under half a bucket of ids, so that the rate the next run
/// is sized by comes from enough of them.
fn first_run(buckets: &[i64], newest_id: i64) -> usize {
    match buckets {
        [newest, _, ..] if ids_held(*newest, newest_id) < 1 << (BUCKET_BITS - 1) => 2,
        _ => buckets.len().min(1),
    }
}

/// How many buckets the next query asks for, having found `found` matches among `searched_ids`
/// ids: as many as should hold the `need` still wanted, with a fifth to spare, at the rate so far
/// (a run much longer reads rows for nothing, a shorter one costs another query), but spanning no
/// more than `GROWTH` times the ids searched, unless the rest should hold under a `GROWTH`th of
/// what is needed, when it goes in one run: all of it is read whatever the runs (words rare
/// together: 4-5 runs where one does). None found yet counts as one.
fn run_length(found: usize, searched_ids: u64, need: usize, left: usize) -> usize {
    let left_ids = left as u128 * (1 << BUCKET_BITS);
    if found.max(1) as u128 * left_ids * GROWTH <= need as u128 * u128::from(searched_ids.max(1)) {
        return left.clamp(1, MAX_RUN);
    }
    let wanted = (need as u128 + need as u128 / 5) * u128::from(searched_ids) / found.max(1) as u128;
    let wanted = wanted.min(u128::from(searched_ids) * GROWTH);
    let buckets = usize::try_from(wanted.div_ceil(1 << BUCKET_BITS)).unwrap_or(usize::MAX);
    buckets.clamp(1, left.clamp(1, MAX_RUN))
}

/// How many ids `bucket` spans: all of its 16,384, except the newest bucket, which ends at the
/// guild's newest entry.
fn ids_held(bucket: i64, newest_id: i64) -> u64 {
    let start = bucket.saturating_mul(1 << BUCKET_BITS);
    let end = start.saturating_add(1 << BUCKET_BITS).min(newest_id.saturating_add(1));
    u64::try_from(end.saturating_sub(start)).unwrap_or(0).max(1)
}

/// What a search needs before its first run, in one round trip.
struct Outline {
    /// The query's words as the index holds them: stemmed, accents folded and stopwords dropped by
    /// the same text search configuration that made the entries' tsvectors.
    words: Vec<String>,
    /// The guild's buckets, newest first; with a date range, only those whose days overlap it.
    buckets: Vec<i64>,
    /// The guild's newest id, which tells how much of the newest bucket is filled.
    newest_id: i64,
    /// With a partner filter, its links, counted to one past the most it may have to be walked.
    partner_links: Option<i64>,
}

async fn outline(
    conn: &mut PgConnection,
    guild: GuildId,
    query: &SearchQuery,
    partner_walk: u32,
) -> StoreResult<Outline> {
    let words = query.terms.phrases.iter().flatten().map(String::as_str).collect::<Vec<_>>().join(" ");
    let mut qb = QueryBuilder::new(
        "SELECT ARRAY(SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(to_tsvector('liaison_english', ",
    );
    qb.push_bind(words).push("))) AS lexeme), ");
    qb.push("ARRAY(SELECT bucket FROM entry_buckets WHERE guild_id = ").push_bind(ids::guild(guild));
    if let Some(range) = query.occurred {
        qb.push(" AND last_day >= (").push_bind(bound(range.start)).push(" AT TIME ZONE 'UTC')::date");
        qb.push(" AND first_day <= (").push_bind(bound(range.end)).push(" AT TIME ZONE 'UTC')::date");
    }
    qb.push(" ORDER BY bucket DESC), ");
    qb.push("(SELECT coalesce(max(id), 0) FROM entries WHERE guild_id = ")
        .push_bind(ids::guild(guild))
        .push("), ");
    match query.partner {
        Some(partner) => {
            qb.push("(SELECT count(*) FROM (SELECT 1 FROM entry_partners WHERE partner_id = ")
                .push_bind(partner.0)
                .push(" LIMIT ")
                .push_bind(i64::from(partner_walk) + 1)
                .push(") AS links)");
        }
        None => {
            qb.push("NULL::bigint");
        }
    }
    let (words, buckets, newest_id, partner_links): (Vec<String>, Vec<i64>, i64, Option<i64>) =
        qb.build_query_as().fetch_one(&mut *conn).await?;
    Ok(Outline { words, buckets, newest_id, partner_links })
}

/// One query's run of buckets, and what it searches them for.
#[derive(Clone, Copy)]
struct Run<'a> {
    guild: GuildId,
    buckets: &'a [i64],
    query: &'a SearchQuery,
    /// The query's words as the index holds them.
    words: &'a [String],
}

/// The newest `need` matches in a run of buckets (`push_run`), newest first, each scored.
async fn in_run(
    conn: &mut PgConnection,
    run: &Run<'_>,
    need: usize,
    searched_at: DateTime<Utc>,
) -> StoreResult<Vec<(i64, f64)>> {
    scored(conn, run.query, searched_at, |qb| push_run(qb, run, need)).await
}

/// The rows `push_matches` selects (`id, occurred_at, search`), newest first, each scored
/// `ts_rank / (1 + age_in_days / 365)`: relevance divided by recency as `sqlite::rank` divides its
/// BM25.
async fn scored(
    conn: &mut PgConnection,
    query: &SearchQuery,
    searched_at: DateTime<Utc>,
    push_matches: impl FnOnce(&mut QueryBuilder<'_, Postgres>),
) -> StoreResult<Vec<(i64, f64)>> {
    let mut qb = QueryBuilder::new("SELECT id, ts_rank(search, ");
    push_tsquery(&mut qb, query);
    qb.push(", 1)::float8 / (1 + greatest(0, extract(epoch FROM ")
        .push_bind(searched_at)
        .push(" - occurred_at))::float8 / 86400 / 365) AS score FROM (");
    push_matches(&mut qb);
    qb.push(") AS newest ORDER BY id DESC");
    Ok(qb.build_query_as().fetch_all(&mut *conn).await?)
}

/// The newest `limit` matches in a run of buckets: per bucket, the entries holding that bucket's
/// key of every word (and of the department, when there is one, which an entry holds for its own
/// department and each of its others; one scan per key for a department filed under several; and
/// of the partner, when there is one), one GIN scan each, ORed; then checked on the rows for what
/// the keys cannot tell: the phrases, in order, and the filters.
/// Ordered by `id + 0`: see the module's comment.
fn push_run(qb: &mut QueryBuilder<'_, Postgres>, run: &Run<'_>, limit: usize) {
    let Run { guild, buckets, query, words } = *run;
    qb.push("SELECT id, occurred_at, search FROM entries WHERE (");
    let scans = buckets.iter().flat_map(|&bucket| bucket_keys(guild, bucket, query, words));
    for (i, keys) in scans.enumerate() {
        if i > 0 {
            qb.push(" OR ");
        }
        qb.push(BUCKET_KEYS).push(" @> ").push_bind(keys);
    }
    qb.push(") AND search @@ ");
    push_tsquery(qb, query);
    if let Some(range) = query.occurred {
        // A range that contains the date, rather than `occurred_at >= ... AND < ...`, which the
        // planner would AND with a scan of the (guild, occurred_at) index over every guild: 79 ms
        // for the last 90 days, against 3 for the run's own GIN scans (measured at 1M).
        qb.push(" AND tstzrange(").push_bind(bound(range.start)).push(", ").push_bind(bound(range.end));
        qb.push(", '[)') @> occurred_at");
    }
    push_row_filters(qb, query);
    qb.push(" ORDER BY id + 0 DESC LIMIT ").push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
}

/// One bucket's keys for the query, as migration 9 spells them: `<guild>/<bucket>:<lexeme>` per
/// word and `<guild>/<bucket>/<department>`. Numbers as PostgreSQL writes a bigint as text. One
/// set per department key (an entry is filed under one of them), or one without a department.
fn bucket_keys(guild: GuildId, bucket: i64, query: &SearchQuery, words: &[String]) -> Vec<Vec<String>> {
    let scope = format!("{}/{bucket}", ids::guild(guild));
    let mut words: Vec<String> = words.iter().map(|word| format!("{scope}:{word}")).collect();
    if let Some(partner) = query.partner {
        words.push(format!("{scope}#{}", partner.0));
    }
    match &query.department {
        None => vec![words],
        Some(department) => department
            .keys()
            .iter()
            .map(|key| words.iter().cloned().chain([format!("{scope}/{key}")]).collect())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUCKET: u64 = 1 << BUCKET_BITS;

    #[test]
    fn the_newest_bucket_goes_first_with_the_one_before_while_it_is_under_half_full() {
        let newest = 3 * 16_384;
        assert_eq!(first_run(&[3, 2, 1], newest + 9_000), 1);
        assert_eq!(first_run(&[3, 2, 1], newest + 100), 2);
        // An older bucket (a date range left the newest out) is full.
        assert_eq!(first_run(&[2, 1], newest + 100), 1);
        assert_eq!(first_run(&[3], newest + 100), 1);
        assert_eq!(first_run(&[], 0), 0);
    }

    #[test]
    fn a_run_is_as_long_as_should_hold_what_is_needed_with_a_fifth_to_spare() {
        // 200 in four full buckets, 801 wanted: 961 at 50 a bucket is 19.2 buckets.
        assert_eq!(run_length(200, 4 * BUCKET, 801, 60), 16);
        assert_eq!(run_length(800, 4 * BUCKET, 801, 60), 5);
        // Common enough that one more bucket does.
        assert_eq!(run_length(900, BUCKET, 101, 60), 1);
        // Never past the buckets left.
        assert_eq!(run_length(100, 4 * BUCKET, 901, 7), 7);
    }

    #[test]
    fn a_run_spans_at_most_four_times_the_ids_searched() {
        // 200 in one bucket would ask for 4.8 buckets; four is the most.
        assert_eq!(run_length(200, BUCKET, 801, 60), 4);
        // Nothing in a bucket and a half, but the rest could hold a thousand: six buckets.
        assert_eq!(run_length(0, BUCKET + BUCKET / 2, 1001, 1000), 6);
        // Nothing in a hundred ids: one bucket.
        assert_eq!(run_length(0, 100, 1001, 61), 1);
        // Never more than the longest run.
        assert_eq!(run_length(0, 100 * BUCKET, 1001, 6000), MAX_RUN);
    }

    #[test]
    fn a_rest_that_should_hold_far_less_than_is_needed_goes_in_one_run() {
        // 3 in a bucket and a sixth, 43 buckets left: ~110 expected, 998 needed.
        assert_eq!(run_length(3, BUCKET + BUCKET / 6, 998, 43), 43);
        // Nothing in one bucket, 60 left: ~60 expected.
        assert_eq!(run_length(0, BUCKET, 1001, 60), 60);
        assert_eq!(run_length(0, 10 * BUCKET, 1001, 600), MAX_RUN);
        // ~300 expected, four times that is more than the 1,001 needed: four times the ids.
        assert_eq!(run_length(5, BUCKET, 1001, 60), 4);
    }

    #[test]
    fn the_newest_bucket_holds_only_the_ids_up_to_the_newest_entry() {
        assert_eq!(ids_held(2, 3 * 16_384 + 99), 16_384);
        assert_eq!(ids_held(3, 3 * 16_384 + 99), 100);
        // An empty guild, or a bucket past its newest entry, still counts as one id.
        assert_eq!(ids_held(0, 0), 1);
        assert_eq!(ids_held(5, 10), 1);
    }
}
