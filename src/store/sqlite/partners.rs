//! Partners: profiles, owners, merges and timelines.
//!
//! A partner's timeline walks `entry_partners_timeline` (partner, occurred_at, entry): a page is
//! an index walk with LIMIT/OFFSET and the total a count over the same index, so a partner with
//! thousands of entries answers as fast as one with ten. The partner's guild is checked once, on
//! its own row, instead of on every link (the link index does not hold the guild).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::Sqlite;
use sqlx::{QueryBuilder, SqliteConnection};

use super::links;
use super::rows::{self, EntryRow, PartnerRow, PartnerSummaryRow, ENTRY_COLUMNS, PARTNER_COLUMNS};
use super::SqliteStore;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::{NewPartner, Partner, PartnerId, PartnerLink, PartnerName, PartnerProfile};
use crate::store::partners::{merged_profile, timeline_page};
use crate::store::rows::count;
use crate::store::{
    ids, LastContact, PartnerFilter, PartnerStore, PartnerSummary, PartnerWriteError, StoreResult, Stored,
    TimelinePage,
};

/// Other members' private entries, which a viewer may not see, as a condition on `entry_id`
/// (`ep.entry_id` where `$col` says): read through their own partial index, as search's are.
/// `IS NOT`, not `<>`: an entry whose author was erased stays hidden whatever its author id became.
fn push_hidden(qb: &mut QueryBuilder<'_, Sqlite>, column: &str, guild: GuildId, viewer: Option<UserId>) {
    if let Some(viewer) = viewer {
        qb.push(format!(" AND {column} NOT IN (SELECT id FROM entries WHERE guild_id = "))
            .push_bind(ids::guild(guild))
            .push(" AND share = 'private' AND author_id IS NOT ")
            .push_bind(ids::user(viewer))
            .push(")");
    }
}

async fn read_partner(
    conn: &mut SqliteConnection,
    guild: GuildId,
    id: PartnerId,
) -> StoreResult<Option<Partner>> {
    let sql = format!("SELECT {PARTNER_COLUMNS} FROM partners p WHERE p.id = ? AND p.guild_id = ?");
    let row: Option<PartnerRow> =
        sqlx::query_as(&sql).bind(id.0).bind(ids::guild(guild)).fetch_optional(&mut *conn).await?;
    row.map(PartnerRow::into_partner).transpose()
}

async fn id_by_key(conn: &mut SqliteConnection, guild: GuildId, key: &str) -> StoreResult<Option<PartnerId>> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM partners WHERE guild_id = ? AND name_key = ?")
            .bind(ids::guild(guild))
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.map(PartnerId))
}

async fn belongs(conn: &mut SqliteConnection, guild: GuildId, id: PartnerId) -> StoreResult<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM partners WHERE id = ? AND guild_id = ?")
        .bind(id.0)
        .bind(ids::guild(guild))
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// Writes a partner's departments and owners, in their order, to lists that are empty.
/// A duplicate is skipped: the first place it was given is kept.
async fn write_lists(
    conn: &mut SqliteConnection,
    id: PartnerId,
    profile: &PartnerProfile,
) -> StoreResult<()> {
    for (position, d) in profile.departments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO partner_departments (partner_id, department, position) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id.0)
        .bind(d.as_str())
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    for (position, u) in profile.owners.iter().enumerate() {
        sqlx::query(
            "INSERT INTO partner_owners (partner_id, user_id, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id.0)
        .bind(ids::user(*u))
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The entries linked to a partner, for rewriting their facet tokens.
async fn linked_entries(conn: &mut SqliteConnection, partner: PartnerId) -> StoreResult<Vec<EntryId>> {
    let found: Vec<i64> = sqlx::query_scalar("SELECT entry_id FROM entry_partners WHERE partner_id = ?")
        .bind(partner.0)
        .fetch_all(&mut *conn)
        .await?;
    Ok(found.into_iter().map(EntryId).collect())
}

/// `WHERE` for a guild's partners passing `filter`, on the partners table aliased `p`.
fn push_filter<'a>(qb: &mut QueryBuilder<'a, Sqlite>, guild: GuildId, filter: &'a PartnerFilter) {
    qb.push(" WHERE p.guild_id = ").push_bind(ids::guild(guild));
    if let Some(kind) = filter.kind {
        qb.push(" AND p.kind = ").push_bind(kind.as_str());
    }
    if let Some(status) = filter.status {
        qb.push(" AND p.status = ").push_bind(status.as_str());
    }
    if let Some(owner) = filter.owner {
        qb.push(" AND EXISTS (SELECT 1 FROM partner_owners o WHERE o.partner_id = p.id AND o.user_id = ")
            .push_bind(ids::user(owner))
            .push(")");
    }
    if let Some(department) = &filter.department {
        qb.push(
            " AND EXISTS (SELECT 1 FROM partner_departments d WHERE d.partner_id = p.id AND d.department IN (",
        );
        let mut list = qb.separated(", ");
        for key in department.keys() {
            list.push_bind(key.as_str());
        }
        list.push_unseparated("))");
    }
    if let Some(since) = filter.quiet_since {
        let since = rows::millis(since);
        qb.push(" AND NOT EXISTS (SELECT 1 FROM entry_partners ep WHERE ep.partner_id = p.id AND ep.occurred_at >= ")
            .push_bind(since)
            .push(") AND (p.created_at < ")
            .push_bind(since)
            .push(" OR EXISTS (SELECT 1 FROM entry_partners ep WHERE ep.partner_id = p.id))");
    }
}

/// Stores a new partner, or names the partner whose name has its key.
async fn insert(store: &SqliteStore, partner: &NewPartner) -> StoreResult<Result<Partner, PartnerId>> {
    let profile = &partner.profile;
    let key = profile.name.key();
    // IMMEDIATE takes the write lock up front, so the name check still holds at the insert.
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    if let Some(taken) = id_by_key(&mut tx, partner.guild, &key).await? {
        return Ok(Err(taken));
    }
    // `fetch_all` with RETURNING, as for entries (see `entries::insert_row`).
    let inserted: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO partners (guild_id, kind, name, name_key, notes, link, status, created_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(ids::guild(partner.guild))
    .bind(profile.kind.as_str())
    .bind(profile.name.as_str())
    .bind(&key)
    .bind(&profile.notes)
    .bind(profile.link.as_deref())
    .bind(profile.status.as_str())
    .bind(ids::user(partner.created_by))
    .bind(rows::millis(partner.created_at))
    .fetch_all(&mut *tx)
    .await?;
    let id = PartnerId(inserted.into_iter().next().ok_or(sqlx::Error::RowNotFound)?);
    write_lists(&mut tx, id, profile).await?;
    let stored = read_partner(&mut tx, partner.guild, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Ok(stored))
}

/// Replaces a partner's profile, or names the other partner whose name has its key; `None` when
/// it is not the guild's.
async fn update(
    store: &SqliteStore,
    guild: GuildId,
    id: PartnerId,
    profile: &PartnerProfile,
    updated_at: DateTime<Utc>,
) -> StoreResult<Result<Option<Partner>, PartnerId>> {
    let key = profile.name.key();
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    if !belongs(&mut tx, guild, id).await? {
        return Ok(Ok(None));
    }
    match id_by_key(&mut tx, guild, &key).await? {
        Some(taken) if taken != id => return Ok(Err(taken)),
        _ => {}
    }
    sqlx::query(
        "UPDATE partners SET kind = ?, name = ?, name_key = ?, notes = ?, link = ?, status = ?, \
         updated_at = ? WHERE id = ?",
    )
    .bind(profile.kind.as_str())
    .bind(profile.name.as_str())
    .bind(&key)
    .bind(&profile.notes)
    .bind(profile.link.as_deref())
    .bind(profile.status.as_str())
    .bind(rows::millis(updated_at))
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM partner_departments WHERE partner_id = ?").bind(id.0).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM partner_owners WHERE partner_id = ?").bind(id.0).execute(&mut *tx).await?;
    write_lists(&mut tx, id, profile).await?;
    let stored = read_partner(&mut tx, guild, id).await?;
    tx.commit().await?;
    Ok(Ok(stored))
}

#[async_trait]
impl PartnerStore for SqliteStore {
    async fn insert_partner(&self, partner: &NewPartner) -> Result<Partner, PartnerWriteError> {
        insert(self, partner).await?.map_err(PartnerWriteError::NameTaken)
    }

    async fn partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<Option<Partner>> {
        let mut conn = self.reader.acquire().await?;
        read_partner(&mut conn, guild, id).await
    }

    async fn partner_by_key(&self, guild: GuildId, key: &str) -> StoreResult<Option<Partner>> {
        let sql = format!("SELECT {PARTNER_COLUMNS} FROM partners p WHERE p.guild_id = ? AND p.name_key = ?");
        let row: Option<PartnerRow> =
            sqlx::query_as(&sql).bind(ids::guild(guild)).bind(key).fetch_optional(&self.reader).await?;
        row.map(PartnerRow::into_partner).transpose()
    }

    async fn partner_names(&self, guild: GuildId) -> StoreResult<Vec<PartnerLink>> {
        let found: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM partners WHERE guild_id = ? ORDER BY name_key, id")
                .bind(ids::guild(guild))
                .fetch_all(&self.reader)
                .await?;
        Ok(found
            .into_iter()
            .map(|(id, name)| PartnerLink { id: PartnerId(id), name: PartnerName::from_stored(name) })
            .collect())
    }

    async fn update_partner(
        &self,
        guild: GuildId,
        id: PartnerId,
        profile: &PartnerProfile,
        updated_at: DateTime<Utc>,
    ) -> Result<Option<Partner>, PartnerWriteError> {
        update(self, guild, id, profile, updated_at).await?.map_err(PartnerWriteError::NameTaken)
    }

    async fn partners(
        &self,
        guild: GuildId,
        filter: &PartnerFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<PartnerSummary>> {
        // The page is cut first, by name; only its partners' counts and last contacts are read.
        let mut qb = QueryBuilder::new(format!(
            "SELECT {PARTNER_COLUMNS}, p.entries, p.last_entry, e.occurred_at AS last_at, \
             e.channel AS last_channel FROM ("
        ));
        qb.push(
            "SELECT p.*, \
               (SELECT count(*) FROM entry_partners ep WHERE ep.partner_id = p.id) AS entries, \
               (SELECT ep.entry_id FROM entry_partners ep WHERE ep.partner_id = p.id \
                ORDER BY ep.occurred_at DESC, ep.entry_id DESC LIMIT 1) AS last_entry \
             FROM partners p",
        );
        push_filter(&mut qb, guild, filter);
        qb.push(" ORDER BY p.name_key, p.id LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .push(") AS p LEFT JOIN entries e ON e.id = p.last_entry ORDER BY p.name_key, p.id");
        let found: Vec<PartnerSummaryRow> = qb.build_query_as().fetch_all(&self.reader).await?;
        Ok(found.into_iter().filter_map(|row| row.into_summary().ok()).collect())
    }

    async fn count_partners(&self, guild: GuildId, filter: &PartnerFilter) -> StoreResult<u64> {
        let mut qb = QueryBuilder::new("SELECT count(*) FROM partners p");
        push_filter(&mut qb, guild, filter);
        let n: i64 = qb.build_query_scalar().fetch_one(&self.reader).await?;
        Ok(count(n))
    }

    async fn merge_partners(
        &self,
        guild: GuildId,
        from: PartnerId,
        into: PartnerId,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Partner>> {
        if from == into {
            return Ok(None);
        }
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let (Some(source), Some(target)) =
            (read_partner(&mut tx, guild, from).await?, read_partner(&mut tx, guild, into).await?)
        else {
            return Ok(None);
        };
        let moved = linked_entries(&mut tx, from).await?;
        // An entry linked to both keeps `into`'s link, where it was; the others' links move, each
        // keeping its position among the entry's partners.
        sqlx::query(
            "DELETE FROM entry_partners WHERE partner_id = ? \
             AND entry_id IN (SELECT entry_id FROM entry_partners WHERE partner_id = ?)",
        )
        .bind(from.0)
        .bind(into.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE entry_partners SET partner_id = ? WHERE partner_id = ?")
            .bind(into.0)
            .bind(from.0)
            .execute(&mut *tx)
            .await?;
        links::refresh_facets(&mut tx, &moved).await?;
        for (table, column) in [("partner_departments", "department"), ("partner_owners", "user_id")] {
            // Table and column are the pairs above, never user text.
            let base: i64 = sqlx::query_scalar(&format!(
                "SELECT coalesce(max(position) + 1, 0) FROM {table} WHERE partner_id = ?"
            ))
            .bind(into.0)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(&format!(
                "INSERT INTO {table} (partner_id, {column}, position) \
                 SELECT ?, {column}, position + ? FROM {table} WHERE partner_id = ? \
                 AND {column} NOT IN (SELECT {column} FROM {table} WHERE partner_id = ?)"
            ))
            .bind(into.0)
            .bind(base)
            .bind(from.0)
            .bind(into.0)
            .execute(&mut *tx)
            .await?;
        }
        let merged = merged_profile(&target.profile, &source.profile);
        sqlx::query("UPDATE partners SET notes = ?, link = ?, updated_at = ? WHERE id = ?")
            .bind(&merged.notes)
            .bind(merged.link.as_deref())
            .bind(rows::millis(now))
            .bind(into.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM partners WHERE id = ?").bind(from.0).execute(&mut *tx).await?;
        let stored = read_partner(&mut tx, guild, into).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn partner_entries(
        &self,
        guild: GuildId,
        partner: PartnerId,
        viewer: Option<UserId>,
        offset: u64,
        limit: u32,
    ) -> StoreResult<TimelinePage> {
        // One read transaction: the count and the page see the same snapshot.
        let mut tx = self.reader.begin().await?;
        if !belongs(&mut tx, guild, partner).await? {
            return Ok(TimelinePage { entries: Vec::new(), total: 0, unreadable: Vec::new() });
        }
        let mut qb = QueryBuilder::new("SELECT count(*) FROM entry_partners ep WHERE ep.partner_id = ");
        qb.push_bind(partner.0);
        push_hidden(&mut qb, "ep.entry_id", guild, viewer);
        let total: i64 = qb.build_query_scalar().fetch_one(&mut *tx).await?;
        let mut qb = QueryBuilder::new("SELECT ep.entry_id FROM entry_partners ep WHERE ep.partner_id = ");
        qb.push_bind(partner.0);
        push_hidden(&mut qb, "ep.entry_id", guild, viewer);
        qb.push(" ORDER BY ep.occurred_at DESC, ep.entry_id DESC LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let page: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id IN (SELECT value FROM json_each(?))");
        let list = serde_json::Value::from(page.clone()).to_string();
        let found: Vec<EntryRow> = sqlx::query_as(&sql).bind(list).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        let mut decoded = std::collections::HashMap::with_capacity(found.len());
        for row in found {
            decoded.insert(row.id, Stored::of(row.into_entry())?);
        }
        Ok(timeline_page(&page, decoded, count(total)))
    }

    async fn last_contact(&self, guild: GuildId, partner: PartnerId) -> StoreResult<Option<LastContact>> {
        let found: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT e.id, e.occurred_at, e.channel FROM entry_partners ep \
             JOIN entries e ON e.id = ep.entry_id \
             WHERE ep.partner_id = ? AND EXISTS (SELECT 1 FROM partners WHERE id = ? AND guild_id = ?) \
             ORDER BY ep.occurred_at DESC, ep.entry_id DESC LIMIT 1",
        )
        .bind(partner.0)
        .bind(partner.0)
        .bind(ids::guild(guild))
        .fetch_optional(&self.reader)
        .await?;
        found
            .map(|(entry, at, channel)| {
                Ok(LastContact {
                    at: rows::from_millis(entry, "occurred_at", at)?,
                    channel: crate::domain::channel::ChannelKey::from_stored(channel),
                    entry: EntryId(entry),
                })
            })
            .transpose()
    }

    async fn partner_follow_ups(
        &self,
        guild: GuildId,
        partner: PartnerId,
        viewer: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        // `follow_up_status = 'open'` spelled as a literal so that the partial index applies.
        let mut qb = QueryBuilder::new(format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE follow_up_status = 'open' AND guild_id = "
        ));
        qb.push_bind(ids::guild(guild))
            .push(" AND id IN (SELECT entry_id FROM entry_partners WHERE partner_id = ")
            .push_bind(partner.0)
            .push(")");
        push_hidden(&mut qb, "id", guild, viewer);
        qb.push(" ORDER BY follow_up_due, id LIMIT ").push_bind(i64::from(limit));
        let found: Vec<EntryRow> = qb.build_query_as().fetch_all(&self.reader).await?;
        Ok(rows::into_entries(found))
    }

    async fn partner_days(
        &self,
        guild: GuildId,
        partner: PartnerId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(NaiveDate, u64)>> {
        let found: Vec<(String, i64)> = sqlx::query_as(
            "SELECT date(occurred_at / 1000, 'unixepoch') AS day, count(*) FROM entry_partners \
             WHERE partner_id = ? AND occurred_at >= ? \
             AND EXISTS (SELECT 1 FROM partners WHERE id = ? AND guild_id = ?) \
             GROUP BY day ORDER BY day",
        )
        .bind(partner.0)
        .bind(rows::millis(since))
        .bind(partner.0)
        .bind(ids::guild(guild))
        .fetch_all(&self.reader)
        .await?;
        found
            .into_iter()
            .map(|(day, n)| Ok((rows::from_due_text(partner.0, "timeline day", &day)?, count(n))))
            .collect()
    }

    async fn partners_heard(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<(PartnerLink, u64)>> {
        // Driven by the guild's entries in the week (their time index), each entry's links read
        // by its key: the link table has no (guild, time) index.
        let found: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT p.id, p.name, count(*) AS n FROM entries e \
             JOIN entry_partners ep ON ep.entry_id = e.id JOIN partners p ON p.id = ep.partner_id \
             WHERE e.guild_id = ? AND e.occurred_at >= ? AND e.occurred_at < ? \
             GROUP BY p.id ORDER BY n DESC, p.name_key, p.id",
        )
        .bind(ids::guild(guild))
        .bind(rows::millis(start))
        .bind(rows::millis(end))
        .fetch_all(&self.reader)
        .await?;
        Ok(found
            .into_iter()
            .map(|(id, name, n)| {
                (PartnerLink { id: PartnerId(id), name: PartnerName::from_stored(name) }, count(n))
            })
            .collect())
    }

    async fn partners_created(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<Partner>> {
        let sql = format!(
            "SELECT {PARTNER_COLUMNS} FROM partners p WHERE p.guild_id = ? AND p.created_at >= ? \
             AND p.created_at < ? ORDER BY p.name_key, p.id"
        );
        let found: Vec<PartnerRow> = sqlx::query_as(&sql)
            .bind(ids::guild(guild))
            .bind(rows::millis(start))
            .bind(rows::millis(end))
            .fetch_all(&self.reader)
            .await?;
        Ok(crate::store::rows::readable_partners(found, PartnerRow::into_partner))
    }

    async fn delete_partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<bool> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        if !belongs(&mut tx, guild, id).await? {
            return Ok(false);
        }
        let linked = linked_entries(&mut tx, id).await?;
        sqlx::query("DELETE FROM entry_partners WHERE partner_id = ?").bind(id.0).execute(&mut *tx).await?;
        // Its tokens leave the entries' index entries with it.
        links::refresh_facets(&mut tx, &linked).await?;
        sqlx::query("DELETE FROM partners WHERE id = ?").bind(id.0).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }
}
