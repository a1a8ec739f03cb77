//! Query plans that must not depend on planner statistics: checked on a fresh database, which has
//! none. Each guards a measured trap (see docs/benchmarks.md and the comments at each query).

use sqlx::{SqliteConnection, SqlitePool};

use super::{entries, search, stats, suggestions, terms, SqliteStore};
use crate::domain::department::{DepartmentKey, DepartmentKeys};
use crate::domain::ids::GuildId;
use crate::domain::partner::PartnerId;
use crate::domain::search::SearchQuery;
use crate::domain::stats::CountBy;
use crate::domain::time_range::TimeRange;
use crate::store::EntryFilter;

async fn fresh() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("plans.db").display());
    (dir, SqliteStore::connect(&url).await.unwrap())
}

/// The plan's lines, parameters left NULL.
async fn plan(conn: &mut SqliteConnection, sql: &str) -> String {
    let rows: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}")).fetch_all(&mut *conn).await.unwrap();
    rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
}

async fn conn(pool: &SqlitePool) -> sqlx::pool::PoolConnection<sqlx::Sqlite> {
    pool.acquire().await.unwrap()
}

#[tokio::test]
async fn the_full_text_index_drives_the_search_window_in_rowid_order() {
    let (_dir, store) = fresh().await;
    let p = plan(&mut *conn(&store.reader).await, &search::window_sql(&SearchQuery::default())).await;
    let fts = p.find("SCAN entries_fts VIRTUAL TABLE").expect(&p);
    let join = p.find("SEARCH e USING INTEGER PRIMARY KEY").expect(&p);
    assert!(fts < join, "{p}");
    // No sort: FTS5 delivers rowids newest first and the LIMIT stops it early.
    assert!(!p.contains("TEMP B-TREE"), "{p}");
}

/// A member's search first finds the other members' private entries: through their own small
/// index, never by reading the guild's rows.
#[tokio::test]
async fn private_entries_are_found_through_their_own_index() {
    let (_dir, store) = fresh().await;
    let p = plan(&mut *conn(&store.reader).await, search::HIDDEN_SQL).await;
    assert!(p.contains("INDEX entries_private (guild_id=?)"), "{p}");
    assert!(!p.lines().any(|l| l.starts_with("SCAN entries")), "{p}");
}

/// A listing's page of ids, with NULL parameters.
fn listing_ids(query: &SearchQuery) -> String {
    let mut qb = sqlx::QueryBuilder::new("");
    search::Driver::of(query).push_ids(&mut qb, GuildId(1), query, &search::Hidden::default());
    qb.push(" LIMIT 5");
    qb.into_sql()
}

/// A partner's listing walks its links' timeline index backwards: no sort of its 10,000 entries.
#[tokio::test]
async fn a_partner_listing_walks_its_timeline_index() {
    let (_dir, store) = fresh().await;
    let query = SearchQuery { partner: Some(PartnerId(1)), ..SearchQuery::default() };
    let p = plan(&mut *conn(&store.reader).await, &listing_ids(&query)).await;
    assert!(p.contains("INDEX entry_partners_timeline (partner_id=?)"), "{p}");
    assert!(p.contains("SEARCH e USING INTEGER PRIMARY KEY"), "{p}");
    assert!(!p.contains("TEMP B-TREE"), "{p}");
}

/// A department's listing merges its two indexes in order: neither half is sorted.
#[tokio::test]
async fn a_department_listing_merges_both_indexes_in_order() {
    let (_dir, store) = fresh().await;
    let query = SearchQuery {
        department: Some(DepartmentKeys::one(DepartmentKey::from_stored("History"))),
        ..SearchQuery::default()
    };
    let p = plan(&mut *conn(&store.reader).await, &listing_ids(&query)).await;
    assert!(p.contains("MERGE (UNION ALL)"), "{p}");
    assert!(p.contains("entries_guild_department_occurred (guild_id=? AND department=?)"), "{p}");
    assert!(p.contains("entry_departments_guild (guild_id=? AND department=?)"), "{p}");
    assert!(!p.contains("TEMP B-TREE"), "{p}");
}

#[tokio::test]
async fn a_week_reads_only_that_week() {
    let (_dir, store) = fresh().await;
    let mut c = conn(&store.reader).await;
    let p = plan(&mut c, &stats::by_department_sql()).await;
    assert!(
        p.contains("USING INDEX entries_guild_occurred (guild_id=? AND occurred_at>? AND occurred_at<?)"),
        "{p}"
    );
    let week = EntryFilter {
        occurred: Some(TimeRange::new(chrono::DateTime::UNIX_EPOCH, chrono::DateTime::UNIX_EPOCH)),
        department: None,
    };
    for by in [CountBy::Department, CountBy::Channel, CountBy::Formality, CountBy::Author] {
        let p = plan(&mut c, stats::counts_query(GuildId(1), &week, by).sql()).await;
        assert!(
            p.contains("entries_guild_occurred (guild_id=? AND occurred_at>? AND occurred_at<?)"),
            "{by:?}: {p}"
        );
    }
    // Other departments, by time alone (migration 18), not their (department, time) index whole.
    let p = plan(&mut c, stats::counts_query(GuildId(1), &week, CountBy::Department).sql()).await;
    assert!(
        p.contains("entry_departments_guild_occurred (guild_id=? AND occurred_at>? AND occurred_at<?)"),
        "{p}"
    );
    let history =
        EntryFilter { department: Some(DepartmentKeys::one(DepartmentKey::from_stored("History"))), ..week };
    let p = plan(&mut c, stats::counts_query(GuildId(1), &history, CountBy::Channel).sql()).await;
    assert!(
        p.contains("entries_guild_department_occurred (guild_id=? AND department=? AND occurred_at>?"),
        "{p}"
    );
}

#[tokio::test]
async fn last_heard_seeks_instead_of_scanning() {
    let (_dir, store) = fresh().await;
    let p = plan(&mut *conn(&store.reader).await, stats::LAST_HEARD).await;
    assert!(!p.lines().any(|l| l.starts_with("SCAN entries") || l.starts_with("SCAN latest")), "{p}");
    assert!(p.contains("entries_guild_department_occurred"), "{p}");
}

/// A report's page after a cursor has one lower bound on the time, the cursor's: given the
/// range's start as well, SQLite entered the index there and read the year up to the cursor again
/// for every page (a year's report at 1M entries took 10 s; docs/benchmarks.md).
#[tokio::test]
async fn a_page_in_time_order_enters_the_index_at_its_cursor() {
    let (_dir, store) = fresh().await;
    let start = chrono::DateTime::from_timestamp(1_756_681_200, 0).unwrap();
    let filter = EntryFilter {
        occurred: Some(TimeRange::new(start, start + chrono::Duration::days(365))),
        department: None,
    };
    let sql = entries::time_page(GuildId(1), &filter, Some((1_770_000_000_000, 5)), 1000).into_sql();
    assert_eq!(sql.matches("occurred_at >=").count(), 1, "{sql}");
    let p = plan(&mut *conn(&store.reader).await, &sql).await;
    assert!(
        p.contains("USING INDEX entries_guild_occurred (guild_id=? AND occurred_at>? AND occurred_at<?)"),
        "{p}"
    );
    // In index order: no sort of the range for every page.
    assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "{p}");
}

/// A member's last entry is the first row of their own index walked backwards: no sort, whatever
/// the guild's size.
#[tokio::test]
async fn a_members_last_entry_walks_their_index_backwards() {
    let (_dir, store) = fresh().await;
    let p = plan(&mut *conn(&store.reader).await, suggestions::LAST_USED_SQL).await;
    assert!(p.contains("INDEX entries_guild_author_created (guild_id=? AND author_id=?)"), "{p}");
    assert!(!p.contains("TEMP B-TREE"), "{p}");
}

/// Tags are read from the guild's own counts, never from its entries.
#[tokio::test]
async fn tags_are_read_from_the_guilds_counts() {
    let (_dir, store) = fresh().await;
    let p = plan(&mut *conn(&store.reader).await, suggestions::TOP_TAGS_SQL).await;
    assert!(p.contains("SEARCH tag_uses USING PRIMARY KEY (guild_id=?)"), "{p}");
    assert!(!p.contains("entries"), "{p}");
}

/// The terms lookup reads each term's entries as one range of `entry_terms`' key, backwards, with
/// no sort but the few rows each joins, and nothing read from `entries`; the count of indexed entries reads one range of the same key.
#[tokio::test]
async fn a_terms_lookup_reads_each_term_on_the_key_alone() {
    let (_dir, store) = fresh().await;
    let mut c = conn(&store.reader).await;
    let terms = [
        crate::domain::terms::Term::from_stored("eebo".into()),
        crate::domain::terms::Term::from_stored("#oa".into()),
    ];
    let window = TimeRange::new(chrono::DateTime::UNIX_EPOCH, chrono::DateTime::UNIX_EPOCH);
    let p = plan(&mut c, terms::lookup_sql(GuildId(1), &terms, &window, 10).sql()).await;
    let ranges =
        "SEARCH entry_terms USING PRIMARY KEY (guild_id=? AND term=? AND occurred_at>? AND occurred_at<?)";
    assert_eq!(p.matches(ranges).count(), 2, "{p}");
    assert!(!p.contains("entries"), "{p}");
    // The range is read in the key's order, stopping at the cap; only the aggregate sorts what it
    // joins (at most the cap and one), which is what its ORDER BY guarantees.
    assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "{p}");
    assert_eq!(
        p.matches("TEMP B-TREE").count(),
        p.matches("TEMP B-TREE FOR group_concat(ORDER BY)").count(),
        "{p}"
    );
    let p = plan(&mut c, terms::INDEXED_ENTRIES).await;
    assert!(p.contains(ranges), "{p}");
}
