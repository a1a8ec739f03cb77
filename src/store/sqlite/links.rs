//! An entry's links (its other departments and its partners): the link tables, and the facet
//! tokens that let the full-text index find the entry under each of them.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::facets::hex;
use super::rows;
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

    /// `link_facets`: a token for each other department and each partner, each led by a space (the
    /// generated `facets` column appends it as it is), or '' for none. The shapes are the init
    /// migration's: `g<guild>d<hex of the key>`, and `g<guild>p<partner id>`.
    pub fn facets(&self) -> String {
        facets_of(self.guild, self.also_departments, self.partners)
    }
}

/// What [`Links::facets`] makes of an entry's guild, other departments and partners.
fn facets_of(guild: GuildId, also_departments: &[DepartmentKey], partners: &[PartnerId]) -> String {
    let g = guild.0;
    let mut out = String::new();
    for d in also_departments {
        out.push_str(&format!(" g{g}d{}", hex(d.as_str())));
    }
    for p in partners {
        out.push_str(&format!(" g{g}p{}", p.0));
    }
    out
}

/// Rewrites the `link_facets` of `entries` from their link rows as they are now, after the rows
/// were changed behind the entries (a partner merged into another, or deleted), re-indexing an
/// entry (the update trigger) only where its tokens change. Run inside the caller's transaction.
pub(super) async fn refresh_facets(conn: &mut SqliteConnection, entries: &[EntryId]) -> StoreResult<()> {
    // Links are read a batch at a time: a merge can touch thousands of entries.
    for chunk in entries.chunks(500) {
        let list = serde_json::Value::from(chunk.iter().map(|id| id.0).collect::<Vec<_>>()).to_string();
        let found: Vec<(i64, i64, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT e.id, e.guild_id, \
               (SELECT group_concat(department, char(31) ORDER BY position) FROM entry_departments \
                WHERE entry_id = e.id), \
               (SELECT group_concat(partner_id, ' ' ORDER BY position) FROM entry_partners \
                WHERE entry_id = e.id) \
             FROM entries e WHERE e.id IN (SELECT value FROM json_each(?))",
        )
        .bind(list)
        .fetch_all(&mut *conn)
        .await?;
        for (id, guild, departments, partners) in found {
            let departments: Vec<DepartmentKey> = departments
                .iter()
                .flat_map(|l| l.split('\u{1f}'))
                .map(|d| DepartmentKey::from_stored(d.to_string()))
                .collect();
            let partners: Vec<PartnerId> = partners
                .iter()
                .flat_map(|l| l.split_whitespace())
                .filter_map(|p| p.parse().ok().map(PartnerId))
                .collect();
            let facets = facets_of(GuildId(ids::from_sql(guild)), &departments, &partners);
            sqlx::query("UPDATE entries SET link_facets = ? WHERE id = ? AND link_facets IS NOT ?")
                .bind(&facets)
                .bind(id)
                .bind(&facets)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Replaces an entry's links with `links` and its `link_facets` with theirs, re-indexing the entry
/// (the update trigger) only when those change. Run inside the caller's transaction.
pub(super) async fn replace(conn: &mut SqliteConnection, links: Links<'_>) -> StoreResult<()> {
    sqlx::query("DELETE FROM entry_departments WHERE entry_id = ?")
        .bind(links.entry.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM entry_partners WHERE entry_id = ?")
        .bind(links.entry.0)
        .execute(&mut *conn)
        .await?;
    insert(conn, links).await?;
    sqlx::query("UPDATE entries SET link_facets = ? WHERE id = ? AND link_facets IS NOT ?")
        .bind(links.facets())
        .bind(links.entry.0)
        .bind(links.facets())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Gives an entry's link rows its new time (an edit moved when it happened). Run inside the
/// caller's transaction.
pub(super) async fn move_to(
    conn: &mut SqliteConnection,
    guild: GuildId,
    entry: EntryId,
    occurred_at: DateTime<Utc>,
) -> StoreResult<()> {
    let occurred = rows::millis(occurred_at);
    for table in ["entry_departments", "entry_partners"] {
        let sql = format!(
            "UPDATE {table} SET occurred_at = ? WHERE entry_id = ? AND guild_id = ? AND occurred_at <> ?"
        );
        sqlx::query(&sql)
            .bind(occurred)
            .bind(entry.0)
            .bind(ids::guild(guild))
            .bind(occurred)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Writes the link rows of an entry that has none yet (its `link_facets` written with its row).
pub(super) async fn insert(conn: &mut SqliteConnection, links: Links<'_>) -> StoreResult<()> {
    let (guild, occurred) = (ids::guild(links.guild), rows::millis(links.occurred_at));
    for (position, d) in links.also_departments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO entry_departments (entry_id, guild_id, department, occurred_at, position) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(links.entry.0)
        .bind(guild)
        .bind(d.as_str())
        .bind(occurred)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    for (position, p) in links.partners.iter().enumerate() {
        sqlx::query(
            "INSERT INTO entry_partners (entry_id, partner_id, guild_id, occurred_at, position) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(links.entry.0)
        .bind(p.0)
        .bind(guild)
        .bind(occurred)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
