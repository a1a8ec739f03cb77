//! Partners: profiles, owners, merges and timelines, as the SQLite backend has them (see there
//! for why a timeline walks the link index alone); no facet tokens to keep here.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::Postgres;
use sqlx::{PgConnection, QueryBuilder};

use super::rows::{millis, EntryRow, PartnerRow, PartnerSummaryRow, ENTRY_COLUMNS, PARTNER_COLUMNS};
use super::PostgresStore;
use crate::domain::entry::Entry;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::partner::{NewPartner, Partner, PartnerId, PartnerLink, PartnerProfile};
use crate::store::partners::{merged_profile, timeline_page};
use crate::store::rows::{count, partner_link, readable_partners, LastContactRecord};
use crate::store::{
    ids, LastContact, PartnerFilter, PartnerStore, PartnerSummary, PartnerWriteError, StoreResult, Stored,
    TimelinePage,
};

/// Other members' private entries, which a viewer may not see, as a condition on `column` (an
/// entry id): read through their own partial index, as search's are. `IS DISTINCT FROM`, not
/// `<>`: an entry whose author was erased stays hidden whatever its author id became.
fn push_hidden(qb: &mut QueryBuilder<'_, Postgres>, column: &str, guild: GuildId, viewer: Option<UserId>) {
    if let Some(viewer) = viewer {
        qb.push(format!(" AND {column} NOT IN (SELECT id FROM entries WHERE guild_id = "))
            .push_bind(ids::guild(guild))
            .push(" AND share = 'private' AND author_id IS DISTINCT FROM ")
            .push_bind(ids::user(viewer))
            .push(")");
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

async fn read_partner(
    conn: &mut PgConnection,
    guild: GuildId,
    id: PartnerId,
) -> StoreResult<Option<Partner>> {
    let sql = format!("SELECT {PARTNER_COLUMNS} FROM partners p WHERE p.id = $1 AND p.guild_id = $2");
    let row: Option<PartnerRow> =
        sqlx::query_as(&sql).bind(id.0).bind(ids::guild(guild)).fetch_optional(&mut *conn).await?;
    row.map(PartnerRow::into_partner).transpose()
}

async fn id_by_key(conn: &mut PgConnection, guild: GuildId, key: &str) -> StoreResult<Option<PartnerId>> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM partners WHERE guild_id = $1 AND name_key = $2")
            .bind(ids::guild(guild))
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.map(PartnerId))
}

/// Whether the partner is the guild's; `lock` holds its row until the transaction ends.
async fn belongs(conn: &mut PgConnection, guild: GuildId, id: PartnerId, lock: bool) -> StoreResult<bool> {
    let sql = if lock {
        "SELECT 1 FROM partners WHERE id = $1 AND guild_id = $2 FOR UPDATE"
    } else {
        "SELECT 1 FROM partners WHERE id = $1 AND guild_id = $2"
    };
    let found: Option<i32> =
        sqlx::query_scalar(sql).bind(id.0).bind(ids::guild(guild)).fetch_optional(&mut *conn).await?;
    Ok(found.is_some())
}

/// Writes a partner's departments and owners, in their order, to lists that are empty. A
/// duplicate is skipped: the first place it was given is kept.
async fn write_lists(conn: &mut PgConnection, id: PartnerId, profile: &PartnerProfile) -> StoreResult<()> {
    let departments: Vec<String> = profile.departments.iter().map(|d| d.as_str().to_string()).collect();
    sqlx::query(
        "INSERT INTO partner_departments (partner_id, department, position) \
         SELECT $1, d, (n - 1)::int FROM unnest($2::text[]) WITH ORDINALITY AS u(d, n) \
         ON CONFLICT DO NOTHING",
    )
    .bind(id.0)
    .bind(departments)
    .execute(&mut *conn)
    .await?;
    let owners: Vec<i64> = profile.owners.iter().map(|u| ids::user(*u)).collect();
    sqlx::query(
        "INSERT INTO partner_owners (partner_id, user_id, position) \
         SELECT $1, o, (n - 1)::int FROM unnest($2::bigint[]) WITH ORDINALITY AS u(o, n) \
         ON CONFLICT DO NOTHING",
    )
    .bind(id.0)
    .bind(owners)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `WHERE` for a guild's partners passing `filter`, on the partners table aliased `p`.
fn push_filter<'a>(qb: &mut QueryBuilder<'a, Postgres>, guild: GuildId, filter: &'a PartnerFilter) {
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
        let keys: Vec<String> = department.keys().iter().map(|k| k.as_str().to_string()).collect();
        qb.push(
            " AND EXISTS (SELECT 1 FROM partner_departments d WHERE d.partner_id = p.id \
             AND d.department = ANY(",
        )
        .push_bind(keys)
        .push("::text[]))");
    }
    if let Some(since) = filter.quiet_since {
        qb.push(
            " AND NOT EXISTS (SELECT 1 FROM entry_partners ep WHERE ep.partner_id = p.id \
             AND ep.occurred_at >= ",
        )
        .push_bind(millis(since))
        .push(") AND (p.created_at < ")
        .push_bind(millis(since))
        .push(" OR EXISTS (SELECT 1 FROM entry_partners ep WHERE ep.partner_id = p.id))");
    }
}

/// Stores a new partner, or names the partner whose name has its key.
async fn insert(store: &PostgresStore, partner: &NewPartner) -> StoreResult<Result<Partner, PartnerId>> {
    let profile = &partner.profile;
    let key = profile.name.key();
    let mut tx = store.pool.begin().await?;
    if let Some(taken) = id_by_key(&mut tx, partner.guild, &key).await? {
        return Ok(Err(taken));
    }
    let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO partners (guild_id, kind, name, name_key, notes, link, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(ids::guild(partner.guild))
    .bind(profile.kind.as_str())
    .bind(profile.name.as_str())
    .bind(&key)
    .bind(&profile.notes)
    .bind(profile.link.as_deref())
    .bind(profile.status.as_str())
    .bind(ids::user(partner.created_by))
    .bind(millis(partner.created_at))
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => PartnerId(id),
        // Another process added the name since the check: name it, as the check would have.
        Err(e) if is_unique_violation(&e) => {
            tx.rollback().await?;
            let mut conn = store.pool.acquire().await?;
            return match id_by_key(&mut conn, partner.guild, &key).await? {
                Some(taken) => Ok(Err(taken)),
                None => Err(e.into()),
            };
        }
        Err(e) => return Err(e.into()),
    };
    write_lists(&mut tx, id, profile).await?;
    let stored = read_partner(&mut tx, partner.guild, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Ok(stored))
}

/// Replaces a partner's profile, or names the other partner whose name has its key; `None` when
/// it is not the guild's.
async fn update(
    store: &PostgresStore,
    guild: GuildId,
    id: PartnerId,
    profile: &PartnerProfile,
    updated_at: DateTime<Utc>,
) -> StoreResult<Result<Option<Partner>, PartnerId>> {
    let key = profile.name.key();
    let mut tx = store.pool.begin().await?;
    if !belongs(&mut tx, guild, id, true).await? {
        return Ok(Ok(None));
    }
    match id_by_key(&mut tx, guild, &key).await? {
        Some(taken) if taken != id => return Ok(Err(taken)),
        _ => {}
    }
    let updated = sqlx::query(
        "UPDATE partners SET kind = $1, name = $2, name_key = $3, notes = $4, link = $5, status = $6, \
         updated_at = $7 WHERE id = $8",
    )
    .bind(profile.kind.as_str())
    .bind(profile.name.as_str())
    .bind(&key)
    .bind(&profile.notes)
    .bind(profile.link.as_deref())
    .bind(profile.status.as_str())
    .bind(millis(updated_at))
    .bind(id.0)
    .execute(&mut *tx)
    .await;
    if let Err(e) = updated {
        if is_unique_violation(&e) {
            tx.rollback().await?;
            let mut conn = store.pool.acquire().await?;
            if let Some(taken) = id_by_key(&mut conn, guild, &key).await? {
                return Ok(Err(taken));
            }
        }
        return Err(e.into());
    }
    sqlx::query("DELETE FROM partner_departments WHERE partner_id = $1").bind(id.0).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM partner_owners WHERE partner_id = $1").bind(id.0).execute(&mut *tx).await?;
    write_lists(&mut tx, id, profile).await?;
    let stored = read_partner(&mut tx, guild, id).await?;
    tx.commit().await?;
    Ok(Ok(stored))
}

#[async_trait]
impl PartnerStore for PostgresStore {
    async fn insert_partner(&self, partner: &NewPartner) -> Result<Partner, PartnerWriteError> {
        insert(self, partner).await?.map_err(PartnerWriteError::NameTaken)
    }

    async fn partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<Option<Partner>> {
        let mut conn = self.pool.acquire().await?;
        read_partner(&mut conn, guild, id).await
    }

    async fn partner_by_key(&self, guild: GuildId, key: &str) -> StoreResult<Option<Partner>> {
        let sql =
            format!("SELECT {PARTNER_COLUMNS} FROM partners p WHERE p.guild_id = $1 AND p.name_key = $2");
        let row: Option<PartnerRow> =
            sqlx::query_as(&sql).bind(ids::guild(guild)).bind(key).fetch_optional(&self.pool).await?;
        row.map(PartnerRow::into_partner).transpose()
    }

    async fn partner_names(&self, guild: GuildId) -> StoreResult<Vec<PartnerLink>> {
        let found: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM partners WHERE guild_id = $1 ORDER BY name_key, id")
                .bind(ids::guild(guild))
                .fetch_all(&self.pool)
                .await?;
        Ok(found.into_iter().map(|(id, name)| partner_link(id, name)).collect())
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
             e.channel AS last_channel FROM (SELECT p.*, \
               (SELECT count(*) FROM entry_partners ep WHERE ep.partner_id = p.id) AS entries, \
               (SELECT ep.entry_id FROM entry_partners ep WHERE ep.partner_id = p.id \
                ORDER BY ep.occurred_at DESC, ep.entry_id DESC LIMIT 1) AS last_entry \
             FROM partners p"
        ));
        push_filter(&mut qb, guild, filter);
        qb.push(" ORDER BY p.name_key, p.id LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .push(") AS p LEFT JOIN entries e ON e.id = p.last_entry ORDER BY p.name_key, p.id");
        let found: Vec<PartnerSummaryRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(found.into_iter().filter_map(|row| row.into_summary().ok()).collect())
    }

    async fn count_partners(&self, guild: GuildId, filter: &PartnerFilter) -> StoreResult<u64> {
        let mut qb = QueryBuilder::new("SELECT count(*) FROM partners p");
        push_filter(&mut qb, guild, filter);
        let n: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
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
        let mut tx = self.pool.begin().await?;
        // Both rows locked, lower id first, so two merges of the same pair cannot deadlock.
        let (first, second) = if from.0 < into.0 { (from, into) } else { (into, from) };
        if !belongs(&mut tx, guild, first, true).await? || !belongs(&mut tx, guild, second, true).await? {
            return Ok(None);
        }
        let (Some(source), Some(target)) =
            (read_partner(&mut tx, guild, from).await?, read_partner(&mut tx, guild, into).await?)
        else {
            return Ok(None);
        };
        let moved: Vec<i64> = sqlx::query_scalar("SELECT entry_id FROM entry_partners WHERE partner_id = $1")
            .bind(from.0)
            .fetch_all(&mut *tx)
            .await?;
        // An entry linked to both keeps `into`'s link, where it was; the others' links move, each
        // keeping its position among the entry's partners.
        sqlx::query(
            "DELETE FROM entry_partners WHERE partner_id = $1 \
             AND entry_id IN (SELECT entry_id FROM entry_partners WHERE partner_id = $2)",
        )
        .bind(from.0)
        .bind(into.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE entry_partners SET partner_id = $1 WHERE partner_id = $2")
            .bind(into.0)
            .bind(from.0)
            .execute(&mut *tx)
            .await?;
        // Their search keys name `into` now.
        super::links::refresh_bucket_links(&mut tx, &moved).await?;
        for (table, column) in [("partner_departments", "department"), ("partner_owners", "user_id")] {
            // Table and column are the pairs above, never user text.
            sqlx::query(&format!(
                "INSERT INTO {table} (partner_id, {column}, position) \
                 SELECT $1, {column}, position + \
                   (SELECT coalesce(max(position) + 1, 0) FROM {table} WHERE partner_id = $1) \
                 FROM {table} WHERE partner_id = $2 \
                 AND {column} NOT IN (SELECT {column} FROM {table} WHERE partner_id = $1)"
            ))
            .bind(into.0)
            .bind(from.0)
            .execute(&mut *tx)
            .await?;
        }
        let merged = merged_profile(&target.profile, &source.profile);
        sqlx::query("UPDATE partners SET notes = $1, link = $2, updated_at = $3 WHERE id = $4")
            .bind(&merged.notes)
            .bind(merged.link.as_deref())
            .bind(millis(now))
            .bind(into.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM partners WHERE id = $1").bind(from.0).execute(&mut *tx).await?;
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
        // One snapshot: the count and the page agree.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        if !belongs(&mut tx, guild, partner, false).await? {
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
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ANY($1)");
        let found: Vec<EntryRow> = sqlx::query_as(&sql).bind(&page).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        let mut decoded = HashMap::with_capacity(found.len());
        for row in found {
            decoded.insert(row.id, Stored::of(row.into_entry())?);
        }
        Ok(timeline_page(&page, decoded, count(total)))
    }

    async fn last_contact(&self, guild: GuildId, partner: PartnerId) -> StoreResult<Option<LastContact>> {
        let found: Option<(i64, DateTime<Utc>, String)> = sqlx::query_as(
            "SELECT e.id, e.occurred_at, e.channel FROM entry_partners ep \
             JOIN entries e ON e.id = ep.entry_id \
             WHERE ep.partner_id = $1 AND EXISTS (SELECT 1 FROM partners WHERE id = $1 AND guild_id = $2) \
             ORDER BY ep.occurred_at DESC, ep.entry_id DESC LIMIT 1",
        )
        .bind(partner.0)
        .bind(ids::guild(guild))
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.and_then(|(entry, at, channel)| {
            LastContactRecord { entry: Some(entry), at: Some(at), channel: Some(channel) }.into_last_contact()
        }))
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
        let found: Vec<EntryRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(super::rows::into_entries(found))
    }

    async fn partner_days(
        &self,
        guild: GuildId,
        partner: PartnerId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(NaiveDate, u64)>> {
        let found: Vec<(NaiveDate, i64)> = sqlx::query_as(
            "SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) FROM entry_partners \
             WHERE partner_id = $1 AND occurred_at >= $2 \
             AND EXISTS (SELECT 1 FROM partners WHERE id = $1 AND guild_id = $3) \
             GROUP BY day ORDER BY day",
        )
        .bind(partner.0)
        .bind(super::rows::bound(since))
        .bind(ids::guild(guild))
        .fetch_all(&self.pool)
        .await?;
        Ok(found.into_iter().map(|(day, n)| (day, count(n))).collect())
    }

    async fn partners_heard(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<(PartnerLink, u64)>> {
        // Driven by the guild's entries in the period (their time index), as on SQLite.
        let found: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT p.id, p.name, count(*) AS n FROM entries e \
             JOIN entry_partners ep ON ep.entry_id = e.id JOIN partners p ON p.id = ep.partner_id \
             WHERE e.guild_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3 \
             GROUP BY p.id, p.name, p.name_key ORDER BY n DESC, p.name_key, p.id",
        )
        .bind(ids::guild(guild))
        .bind(super::rows::bound(start))
        .bind(super::rows::bound(end))
        .fetch_all(&self.pool)
        .await?;
        Ok(found.into_iter().map(|(id, name, n)| (partner_link(id, name), count(n))).collect())
    }

    async fn partners_created(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<Partner>> {
        let sql = format!(
            "SELECT {PARTNER_COLUMNS} FROM partners p WHERE p.guild_id = $1 AND p.created_at >= $2 \
             AND p.created_at < $3 ORDER BY p.name_key, p.id"
        );
        let found: Vec<PartnerRow> = sqlx::query_as(&sql)
            .bind(ids::guild(guild))
            .bind(super::rows::bound(start))
            .bind(super::rows::bound(end))
            .fetch_all(&self.pool)
            .await?;
        Ok(readable_partners(found, PartnerRow::into_partner))
    }

    async fn delete_partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let linked: Vec<i64> = sqlx::query_scalar(
            "SELECT ep.entry_id FROM entry_partners ep JOIN partners p ON p.id = ep.partner_id \
             WHERE ep.partner_id = $1 AND p.guild_id = $2",
        )
        .bind(id.0)
        .bind(ids::guild(guild))
        .fetch_all(&mut *tx)
        .await?;
        // Its links go with it (the foreign key cascades); its entries' search keys follow.
        let done = sqlx::query("DELETE FROM partners WHERE id = $1 AND guild_id = $2")
            .bind(id.0)
            .bind(ids::guild(guild))
            .execute(&mut *tx)
            .await?;
        super::links::refresh_bucket_links(&mut tx, &linked).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }
}
