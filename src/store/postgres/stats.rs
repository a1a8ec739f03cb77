//! Counts for statistics and the digest, when each department was last heard from, and a period's
//! entries by department.

use async_trait::async_trait;
use sqlx::QueryBuilder;

use super::rows::{self, bound, EntryRow, LastHeardRow, ENTRY_COLUMNS};
use super::PostgresStore;
use crate::domain::ids::GuildId;
use crate::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use crate::domain::time_range::TimeRange;
use crate::store::rows::CountRecord;
use crate::store::stats::group_by_department;
use crate::store::{ids, EntryFilter, StatsStore, StoreResult};

/// The author id as the u64 it stands for, in decimal: ids above i64::MAX are stored negative.
const AUTHOR_KEY: &str = "CASE WHEN author_id < 0 THEN (author_id::numeric + 18446744073709551616)::text \
     ELSE author_id::text END";

#[async_trait]
impl StatsStore for PostgresStore {
    async fn counts(&self, guild: GuildId, filter: &EntryFilter, by: CountBy) -> StoreResult<Vec<Count>> {
        let columns = match by {
            CountBy::Department => "department AS key, department AS label, count(*) AS n".to_string(),
            CountBy::Channel => "channel AS key, channel AS label, count(*) AS n".to_string(),
            CountBy::Formality => "CASE WHEN informal THEN 'informal' ELSE 'formal' END AS key, \
                 CASE WHEN informal THEN 'informal' ELSE 'formal' END AS label, count(*) AS n"
                .to_string(),
            // The name on the author's latest entry that retention has not cleared (an empty name
            // where it cleared them all), as the SQLite backend labels them.
            CountBy::Author => format!(
                "{AUTHOR_KEY} AS key, \
                 (array_agg(author_name ORDER BY expired_at IS NULL DESC, id DESC))[1] AS label, count(*) AS n"
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
        let rows: Vec<CountRecord> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(CountRecord::into_count).collect())
    }

    async fn last_heard(&self, guild: GuildId) -> StoreResult<Vec<LastHeard>> {
        let rows: Vec<LastHeardRow> =
            sqlx::query_as(LAST_HEARD).bind(ids::guild(guild)).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|r| r.into_record().into_last_heard()).collect())
    }

    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE guild_id = $1 AND occurred_at >= $2 AND occurred_at < $3 \
             ORDER BY department, occurred_at, id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql)
            .bind(ids::guild(guild))
            .bind(bound(range.start))
            .bind(bound(range.end))
            .fetch_all(&self.pool)
            .await?;
        Ok(group_by_department(rows::into_entries(rows)))
    }
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
