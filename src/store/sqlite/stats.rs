//! Counts for statistics and the digest, and when each department was last heard from.

use chrono::DateTime;
use sqlx::sqlite::Sqlite;
use sqlx::{FromRow, QueryBuilder, SqlitePool};

use crate::domain::department::DepartmentKey;
use crate::domain::ids::GuildId;
use crate::domain::stats::{Count, CountBy, LastHeard};
use crate::store::{ids, EntryFilter, StoreError, StoreResult};

#[derive(FromRow)]
struct CountRow {
    key: String,
    label: String,
    n: i64,
}

pub(super) async fn counts(
    pool: &SqlitePool,
    guild: GuildId,
    filter: &EntryFilter,
    by: CountBy,
) -> StoreResult<Vec<Count>> {
    let rows: Vec<CountRow> = counts_query(guild, filter, by).build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| Count { key: r.key, label: r.label, count: u64::try_from(r.n).unwrap_or(0) })
        .collect())
}

pub(super) fn counts_query(
    guild: GuildId,
    filter: &EntryFilter,
    by: CountBy,
) -> QueryBuilder<'static, Sqlite> {
    let columns = match by {
        CountBy::Department => "department AS key, department AS label, count(*) AS n",
        CountBy::Channel => "channel AS key, channel AS label, count(*) AS n",
        CountBy::Formality => {
            "CASE informal WHEN 1 THEN 'informal' ELSE 'formal' END AS key, \
             CASE informal WHEN 1 THEN 'informal' ELSE 'formal' END AS label, count(*) AS n"
        }
        // With exactly one max() in an aggregate, SQLite takes a bare column (author_name) from
        // the row holding the maximum: the name on the author's latest entry.
        CountBy::Author => "printf('%u', author_id) AS key, author_name AS label, count(*) AS n, max(id)",
    };
    let group = match by {
        CountBy::Author => "author_id",
        _ => "key",
    };
    // Without planner statistics SQLite may walk the department index for its GROUP BY order
    // instead of reading only the period; naming the index keeps the plan whatever ANALYZE has seen.
    let index = match (&filter.occurred, &filter.department) {
        (_, Some(_)) => " INDEXED BY entries_guild_department_occurred",
        (Some(_), None) => " INDEXED BY entries_guild_occurred",
        (None, None) => "",
    };
    let mut qb = QueryBuilder::new(format!("SELECT {columns} FROM entries{index}"));
    super::entries::push_filter(&mut qb, guild, filter);
    qb.push(format!(" GROUP BY {group} ORDER BY n DESC, key"));
    qb
}

#[derive(FromRow)]
struct LastHeardRow {
    department: String,
    at: i64,
    id: i64,
}

pub(super) async fn last_heard(pool: &SqlitePool, guild: GuildId) -> StoreResult<Vec<LastHeard>> {
    // A skip scan of the (guild, department, occurred_at) index: each step seeks the next
    // department and the end of its run, so the cost grows with departments, not entries.
    let rows: Vec<LastHeardRow> = sqlx::query_as(LAST_HEARD).bind(ids::guild(guild)).fetch_all(pool).await?;
    rows.into_iter()
        .map(|r| {
            let at = DateTime::from_timestamp_millis(r.at).ok_or_else(|| StoreError::Corrupt {
                id: r.id,
                reason: format!("department {}: occurred_at {} is not a valid time", r.department, r.at),
            })?;
            Ok(LastHeard { department: DepartmentKey::from_stored(r.department), at })
        })
        .collect()
}

pub(super) const LAST_HEARD: &str = "WITH RECURSIVE departments(name) AS ( \
             SELECT (SELECT min(department) FROM entries WHERE guild_id = ?1) \
             UNION ALL \
             SELECT (SELECT min(department) FROM entries WHERE guild_id = ?1 AND department > name) \
             FROM departments WHERE name IS NOT NULL \
         ) \
         SELECT name AS department, latest.occurred_at AS at, latest.id AS id \
         FROM departments, entries AS latest \
         WHERE name IS NOT NULL AND latest.id = ( \
             SELECT id FROM entries WHERE guild_id = ?1 AND department = name \
             ORDER BY occurred_at DESC, id DESC LIMIT 1) \
         ORDER BY name";
