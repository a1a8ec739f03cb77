//! An entry's links (its other departments and its partners), in their link tables, and as the
//! search index's bucket keys (`entries.bucket_links`).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::rows::millis;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::partner::PartnerId;
use crate::store::{ids, StoreResult};

/// What an entry links to, by key and id: what is written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Links<'a> {
    pub entry: EntryId,
    pub guild: GuildId,
    pub occurred_at: DateTime<Utc>,
    pub also_departments: &'a [DepartmentKey],
    pub partners: &'a [PartnerId],
}

impl Links<'_> {
    pub fn is_empty(&self) -> bool {
        self.also_departments.is_empty() && self.partners.is_empty()
    }

    /// `entries.bucket_links`: see [`bucket_links`].
    pub fn bucket_links(&self) -> Vec<String> {
        bucket_links(self.also_departments, self.partners)
    }
}

/// The links as the search index's bucket keys spell them after `<guild>/<bucket>` (migration 20):
/// `/<department key>` for each other department, as an entry's own department is spelled, and
/// `#<partner id>` for each partner.
pub(super) fn bucket_links(also_departments: &[DepartmentKey], partners: &[PartnerId]) -> Vec<String> {
    also_departments
        .iter()
        .map(|d| format!("/{}", d.as_str()))
        .chain(partners.iter().map(|p| format!("#{}", p.0)))
        .collect()
}

/// Rewrites the `bucket_links` of `entries` from their link rows (after a merge or a partner's
/// deletion moved or removed links), re-indexing only those whose links changed.
pub(super) async fn refresh_bucket_links(conn: &mut PgConnection, entries: &[i64]) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE entries SET bucket_links = fresh.tokens FROM ( \
           SELECT e.id, ARRAY(SELECT t FROM ( \
             SELECT 0 AS kind, d.position, '/' || d.department AS t FROM entry_departments d WHERE d.entry_id = e.id \
             UNION ALL \
             SELECT 1, p.position, '#' || p.partner_id::text FROM entry_partners p WHERE p.entry_id = e.id \
           ) AS link ORDER BY kind, position) AS tokens \
           FROM unnest($1::bigint[]) AS e(id)) AS fresh \
         WHERE entries.id = fresh.id AND entries.bucket_links IS DISTINCT FROM fresh.tokens",
    )
    .bind(entries.to_vec())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces an entry's links with `links`, inside the caller's transaction.
pub(super) async fn replace(conn: &mut PgConnection, links: Links<'_>) -> StoreResult<()> {
    sqlx::query("DELETE FROM entry_departments WHERE entry_id = $1")
        .bind(links.entry.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM entry_partners WHERE entry_id = $1")
        .bind(links.entry.0)
        .execute(&mut *conn)
        .await?;
    insert(conn, links).await?;
    sqlx::query("UPDATE entries SET bucket_links = $2 WHERE id = $1 AND bucket_links IS DISTINCT FROM $2")
        .bind(links.entry.0)
        .bind(links.bucket_links())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Gives an entry's link rows its new time (an edit moved when it happened). Run inside the
/// caller's transaction.
pub(super) async fn move_to(
    conn: &mut PgConnection,
    guild: GuildId,
    entry: EntryId,
    occurred_at: DateTime<Utc>,
) -> StoreResult<()> {
    for table in ["entry_departments", "entry_partners"] {
        let sql = format!(
            "UPDATE {table} SET occurred_at = $1 WHERE entry_id = $2 AND guild_id = $3 AND occurred_at <> $1"
        );
        sqlx::query(&sql)
            .bind(millis(occurred_at))
            .bind(entry.0)
            .bind(ids::guild(guild))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Writes the link rows of an entry that has none yet: one statement per table, positions from
/// the order given.
pub(super) async fn insert(conn: &mut PgConnection, links: Links<'_>) -> StoreResult<()> {
    let (guild, occurred) = (ids::guild(links.guild), millis(links.occurred_at));
    if !links.also_departments.is_empty() {
        let departments: Vec<String> =
            links.also_departments.iter().map(|d| d.as_str().to_string()).collect();
        sqlx::query(
            "INSERT INTO entry_departments (entry_id, guild_id, department, occurred_at, position) \
             SELECT $1, $2, d, $3, (n - 1)::int FROM unnest($4::text[]) WITH ORDINALITY AS u(d, n)",
        )
        .bind(links.entry.0)
        .bind(guild)
        .bind(occurred)
        .bind(departments)
        .execute(&mut *conn)
        .await?;
    }
    if !links.partners.is_empty() {
        let partners: Vec<i64> = links.partners.iter().map(|p| p.0).collect();
        sqlx::query(
            "INSERT INTO entry_partners (entry_id, partner_id, guild_id, occurred_at, position) \
             SELECT $1, p, $2, $3, (n - 1)::int FROM unnest($4::bigint[]) WITH ORDINALITY AS u(p, n)",
        )
        .bind(links.entry.0)
        .bind(guild)
        .bind(occurred)
        .bind(partners)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
