//! An entry's links (its other departments and its partners), in their link tables.

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
    insert(conn, links).await
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
