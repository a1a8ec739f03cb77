//! Counts for statistics and the digest, when each department was last heard from, and a period's
//! entries by department.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::Postgres;
use sqlx::QueryBuilder;

use super::rows::{self, bound, EntryRow, LastHeardRow, ENTRY_COLUMNS};
use super::PostgresStore;
use crate::domain::ids::GuildId;
use crate::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use crate::domain::time_range::TimeRange;
use crate::store::rows::CountRecord;
use crate::store::stats::{group_by_department, merge_last_heard};
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
        let mut qb = QueryBuilder::new(format!("SELECT key, label, n FROM (SELECT {columns} FROM ("));
        if by == CountBy::Department {
            // Each department an entry names: its own, then its others.
            qb.push("SELECT department FROM (");
            push_counted(&mut qb, guild, filter);
            qb.push(") AS own UNION ALL SELECT department FROM entry_departments");
            match &filter.department {
                // Those of the entries counted.
                Some(_) => {
                    qb.push(" WHERE entry_id IN (SELECT id FROM (");
                    push_counted(&mut qb, guild, filter);
                    qb.push(") AS counted_ids)");
                }
                // Those of the guild's entries in the period, by the index of migration 18.
                None => {
                    qb.push(" WHERE guild_id = ").push_bind(ids::guild(guild));
                    if let Some(range) = filter.occurred {
                        qb.push(" AND occurred_at >= ").push_bind(bound(range.start));
                        qb.push(" AND occurred_at < ").push_bind(bound(range.end));
                    }
                }
            }
        } else {
            push_counted(&mut qb, guild, filter);
        }
        // Keys in byte order, as SQLite orders them, whatever the database's collation. (ORDER BY
        // takes an expression of an output column only from an outer query.)
        qb.push(format!(") AS rows GROUP BY {group}) AS counted ORDER BY n DESC, key COLLATE \"C\""));
        let rows: Vec<CountRecord> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(CountRecord::into_count).collect())
    }

    async fn last_heard(&self, guild: GuildId) -> StoreResult<Vec<LastHeard>> {
        let mut conn = self.pool.acquire().await?;
        let read = |rows: Vec<LastHeardRow>| -> Vec<LastHeard> {
            rows.into_iter().map(|r| r.into_record().into_last_heard()).collect()
        };
        let own: Vec<LastHeardRow> =
            sqlx::query_as(LAST_HEARD).bind(ids::guild(guild)).fetch_all(&mut *conn).await?;
        // The same over the other departments entries name, by `entry_departments`' index.
        let other: Vec<LastHeardRow> =
            sqlx::query_as(LAST_HEARD_OTHER).bind(ids::guild(guild)).fetch_all(&mut *conn).await?;
        Ok(merge_last_heard(read(own), read(other)))
    }

    async fn first_heard(&self, guild: GuildId) -> StoreResult<Option<DateTime<Utc>>> {
        // The first row of the (guild, occurred_at) index.
        Ok(sqlx::query_scalar(
            "SELECT occurred_at FROM entries WHERE guild_id = $1 ORDER BY occurred_at, id LIMIT 1",
        )
        .bind(ids::guild(guild))
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>> {
        // In time order, as the guild's (guild, occurred_at) index reads them: `group_by_department`
        // groups them (an entry under each department it names) and keeps that order within each.
        // Sorting by department here as well sorted the week's whole rows (3 of 10 ms at 1M).
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE guild_id = $1 AND occurred_at >= $2 AND occurred_at < $3 \
             ORDER BY occurred_at, id"
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

/// As `LAST_HEARD`, over the departments entries name besides their own: a loose index scan of
/// `entry_departments`' (guild, department, occurred_at) index.
const LAST_HEARD_OTHER: &str = "WITH RECURSIVE departments(name) AS ( \
         SELECT (SELECT min(department) FROM entry_departments WHERE guild_id = $1) \
         UNION ALL \
         SELECT (SELECT min(department) FROM entry_departments WHERE guild_id = $1 AND department > name) \
         FROM departments WHERE name IS NOT NULL \
     ) \
     SELECT name AS department, \
         (SELECT max(occurred_at) FROM entry_departments WHERE guild_id = $1 AND department = name) AS at \
     FROM departments WHERE name IS NOT NULL ORDER BY name";

/// The columns counts read, of each entry a filter covers, once each.
const COUNTED: &str = "id, department, channel, informal, author_id, author_name, expired_at";

/// The entries `filter` covers, once each, as rows of `COUNTED`. A department filter takes those
/// filed under it as their own department (its index) and those naming it as another
/// (`entry_departments`' index); an entry with both (a renamed department's two names) is the
/// first half's.
fn push_counted(qb: &mut QueryBuilder<'_, Postgres>, guild: GuildId, filter: &EntryFilter) {
    qb.push(format!("SELECT {COUNTED} FROM entries"));
    super::entries::push_filter(qb, guild, &EntryFilter { department: None, ..filter.clone() });
    let Some(department) = &filter.department else { return };
    super::entries::push_department(qb, department);
    let e_counted = COUNTED.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
    qb.push(format!(
        " UNION ALL SELECT {e_counted} FROM entry_departments AS ed JOIN entries AS e \
         ON e.id = ed.entry_id WHERE ed.guild_id = "
    ))
    .push_bind(ids::guild(guild));
    qb.push(" AND ed.department = ANY(").push_bind(super::entries::key_list(department));
    qb.push(") AND NOT e.department = ANY(").push_bind(super::entries::key_list(department)).push(")");
    if let Some(range) = filter.occurred {
        qb.push(" AND ed.occurred_at >= ").push_bind(bound(range.start));
        qb.push(" AND ed.occurred_at < ").push_bind(bound(range.end));
    }
}
