//! Counts for statistics and the digest, and when each department was last heard from.

use sqlx::{FromRow, PgPool, QueryBuilder};

use crate::domain::department::DepartmentKey;
use crate::domain::ids::GuildId;
use crate::domain::stats::{Count, CountBy, LastHeard};
use crate::store::{ids, EntryFilter, StoreResult};

#[derive(FromRow)]
struct CountRow {
    key: String,
    label: String,
    n: i64,
}

/// The author id as the u64 it stands for, in decimal: ids above i64::MAX are stored negative.
const AUTHOR_KEY: &str = "CASE WHEN author_id < 0 THEN (author_id::numeric + 18446744073709551616)::text \
     ELSE author_id::text END";

pub(super) async fn counts(
    pool: &PgPool,
    guild: GuildId,
    filter: &EntryFilter,
    by: CountBy,
) -> StoreResult<Vec<Count>> {
    let columns = match by {
        CountBy::Department => "department AS key, department AS label, count(*) AS n".to_string(),
        CountBy::Channel => "channel AS key, channel AS label, count(*) AS n".to_string(),
        CountBy::Formality => "CASE WHEN informal THEN 'informal' ELSE 'formal' END AS key, \
             CASE WHEN informal THEN 'informal' ELSE 'formal' END AS label, count(*) AS n"
            .to_string(),
        // The name on the author's latest entry, as the SQLite backend labels them.
        CountBy::Author => format!(
            "{AUTHOR_KEY} AS key, (array_agg(author_name ORDER BY id DESC))[1] AS label, count(*) AS n"
        ),
    };
    let group = match by {
        CountBy::Author => "author_id",
        _ => "key",
    };
    let mut qb = QueryBuilder::new(format!("SELECT key, label, n FROM (SELECT {columns} FROM entries"));
    super::entries::push_filter(&mut qb, guild, filter);
    // Keys in byte order, as SQLite orders them, whatever the database's collation. (ORDER BY
    // takes an expression of an output column only from an outer query.)
    qb.push(format!(" GROUP BY {group}) AS counted ORDER BY n DESC, key COLLATE \"C\""));
    let rows: Vec<CountRow> = qb.build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| Count { key: r.key, label: r.label, count: u64::try_from(r.n).unwrap_or(0) })
        .collect())
}

/// A loose index scan of (guild, department, occurred_at): each step seeks the next department and
/// the end of its run, so the cost grows with departments, not entries. PostgreSQL 15 has no skip
/// scan of its own; `DISTINCT ON` would read every entry of the guild.
const LAST_HEARD: &str = "WITH RECURSIVE departments(name) AS ( \
         SELECT (SELECT min(department) FROM entries WHERE guild_id = $1) \
         UNION ALL \
         SELECT (SELECT min(department) FROM entries WHERE guild_id = $1 AND department > name) \
         FROM departments WHERE name IS NOT NULL \
     ) \
     SELECT name AS department, latest.occurred_at AS at FROM departments \
     CROSS JOIN LATERAL ( \
         SELECT occurred_at FROM entries WHERE guild_id = $1 AND department = name \
         ORDER BY occurred_at DESC, id DESC LIMIT 1) AS latest \
     WHERE name IS NOT NULL ORDER BY name";

pub(super) async fn last_heard(pool: &PgPool, guild: GuildId) -> StoreResult<Vec<LastHeard>> {
    let rows: Vec<(String, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as(LAST_HEARD).bind(ids::guild(guild)).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(department, at)| LastHeard { department: DepartmentKey::from_stored(department), at })
        .collect())
}
