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
        let g = self.guild.0;
        let mut out = String::new();
        for d in self.also_departments {
            out.push_str(&format!(" g{g}d{}", hex(d.as_str())));
        }
        for p in self.partners {
            out.push_str(&format!(" g{g}p{}", p.0));
        }
        out
    }
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
