//! Writing, reading and listing entries.

use std::collections::HashSet;

use async_trait::async_trait;
use sqlx::postgres::Postgres;
use sqlx::query_builder::Separated;
use sqlx::{PgConnection, QueryBuilder};

use super::links;
use super::rows::{self, bound, millis, EntryRow, ENTRY_COLUMNS};
use super::terms;
use super::PostgresStore;
use crate::domain::department::DepartmentKeys;
use crate::domain::entry::{Author, Entry, EntryEdit, NewEntry};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::PartnerId;
use crate::domain::privacy::EXPIRED_AUTHOR;
use crate::domain::terms::TERMS_VERSION;
use crate::domain::time_range::TimeRange;
use crate::store::paging::{self, Fetched};
use crate::store::{ids, EntryFilter, EntryStore, StoreError, StoreResult, Stored, TimeCursor};

/// Rows per INSERT in an import: PostgreSQL allows 65535 parameters per statement (24 per row).
const IMPORT_ROWS_PER_STATEMENT: usize = 1000;

/// The columns `push_values` fills after the id, in its order.
const VALUE_COLUMNS: &str = "guild_id, author_id, author_name, department, channel, informal, note, tags, \
     occurred_at, created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, \
     follow_up_done_at, source, redactions, share, expired_at, bucket_links, terms, terms_version";

/// Binds an entry's columns in `VALUE_COLUMNS` order. A `NewEntry` becomes an `Entry` without id
/// or update time first (`Entry::from_new`), so one function serves inserts and imports.
fn push_values(mut row: Separated<'_, '_, Postgres, &'static str>, e: &Entry) {
    let (owner, due, status, done_at) = match &e.follow_up {
        None => (None, None, None, None),
        Some(f) => (Some(ids::user(f.owner)), Some(f.due), Some(f.status.as_str()), f.done_at.map(millis)),
    };
    let (note, author_name, source) = rows::cleared_text(e);
    row.push_bind(ids::guild(e.guild))
        .push_bind(ids::user(e.author.id))
        .push_bind(author_name.to_string())
        .push_bind(e.department.as_str().to_string())
        .push_bind(e.channel.as_str().to_string())
        .push_bind(e.informal)
        .push_bind(note.to_string())
        .push_bind(rows::join_tags(&e.tags))
        .push_bind(millis(e.occurred_at))
        .push_bind(millis(e.created_at))
        .push_bind(e.updated_at.map(millis))
        .push_bind(owner)
        .push_bind(due)
        .push_bind(status)
        .push_bind(done_at)
        .push_bind(source.map(str::to_string))
        .push_bind(i32::try_from(e.redactions).unwrap_or(i32::MAX))
        .push_bind(e.share.as_str())
        .push_bind(e.expired_at.map(millis))
        .push_bind(links::bucket_links(&e.also_departments, &e.partner_ids().collect::<Vec<_>>()))
        // The insert trigger writes the entry's `entry_terms` rows from this column.
        .push_bind(terms::stored_terms(note, &e.tags, e.share, e.expired_at.is_some()))
        .push_bind(TERMS_VERSION);
}

/// Stores a new entry on `conn` (the pool's, or a transaction) and returns it with its id.
pub(super) async fn insert_new(conn: &mut PgConnection, entry: &NewEntry) -> StoreResult<Entry> {
    // The id is left to the identity column; the placeholder is never stored.
    let draft = Entry::from_new(EntryId(0), entry.clone());
    let mut qb = QueryBuilder::new(format!("INSERT INTO entries ({VALUE_COLUMNS}) "));
    qb.push_values([&draft], |row, e| push_values(row, e));
    qb.push(format!(" RETURNING {ENTRY_COLUMNS}"));
    if draft.also_departments.is_empty() && draft.partners.is_empty() {
        let row: EntryRow = qb.build_query_as().fetch_one(&mut *conn).await?;
        return row.into_entry();
    }
    // A savepoint when the caller holds a transaction already: the row and its links commit
    // together. RETURNING reads the links as they were before the row (none); they are the draft's.
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let row: EntryRow = qb.build_query_as().fetch_one(&mut *tx).await?;
    let mut stored = row.into_entry()?;
    stored.also_departments = draft.also_departments;
    stored.partners = draft.partners;
    let partners: Vec<PartnerId> = stored.partner_ids().collect();
    links::insert(&mut tx, links_of(&stored, &partners)).await?;
    tx.commit().await?;
    Ok(stored)
}

fn links_of<'a>(e: &'a Entry, partners: &'a [PartnerId]) -> links::Links<'a> {
    links::Links {
        entry: e.id,
        guild: e.guild,
        occurred_at: e.occurred_at,
        also_departments: &e.also_departments,
        partners,
    }
}

#[async_trait]
impl EntryStore for PostgresStore {
    async fn insert_entry(&self, entry: &NewEntry) -> StoreResult<Entry> {
        let mut conn = self.pool.acquire().await?;
        insert_new(&mut conn, entry).await
    }

    async fn import_entries(&self, entries: &[Entry]) -> StoreResult<u64> {
        let mut seen = HashSet::with_capacity(entries.len());
        if let Some(dup) = entries.iter().find(|e| !seen.insert(e.id)) {
            return Err(StoreError::DuplicateId(dup.id));
        }
        let ids: Vec<EntryId> = entries.iter().map(|e| e.id).collect();
        if let Some(&dup) = self.existing_ids(&ids).await?.first() {
            return Err(StoreError::DuplicateId(dup));
        }
        let mut tx = self.pool.begin().await?;
        for chunk in entries.chunks(IMPORT_ROWS_PER_STATEMENT) {
            let mut qb = QueryBuilder::new(format!("INSERT INTO entries (id, {VALUE_COLUMNS}) "));
            qb.push_values(chunk, |mut row, e| {
                row.push_bind(e.id.0);
                push_values(row, e);
            });
            if let Err(e) = qb.build().execute(&mut *tx).await {
                // Another process imported one of these ids since the check above: name it. The
                // transaction is aborted either way, so the check runs outside it.
                tx.rollback().await?;
                if is_unique_violation(&e) {
                    if let Some(&dup) = self.existing_ids(&ids).await?.first() {
                        return Err(StoreError::DuplicateId(dup));
                    }
                }
                return Err(e.into());
            }
        }
        for entry in entries {
            let partners: Vec<PartnerId> = entry.partner_ids().collect();
            let links = links_of(entry, &partners);
            if !links.is_empty() {
                links::insert(&mut tx, links).await?;
            }
        }
        // New entries continue after the imported ids (as SQLite's AUTOINCREMENT does).
        let through = entries.iter().map(|e| e.id).max().unwrap_or(EntryId(1));
        advance_sequence(&mut tx, through).await?;
        tx.commit().await?;
        Ok(entries.len() as u64)
    }

    async fn reserve_ids(&self, through: EntryId) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        advance_sequence(&mut conn, through).await
    }

    async fn existing_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<EntryId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let found: Vec<i64> = sqlx::query_scalar("SELECT id FROM entries WHERE id = ANY($1) ORDER BY id")
            .bind(list)
            .fetch_all(&self.pool)
            .await?;
        Ok(found.into_iter().map(EntryId).collect())
    }

    async fn entries_with_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<Stored>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ANY($1) ORDER BY id");
        let rows: Vec<EntryRow> = sqlx::query_as(&sql).bind(list).fetch_all(&self.pool).await?;
        rows.into_iter().map(|row| Stored::of(row.into_entry())).collect()
    }

    async fn entry(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Entry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id = $1 AND guild_id = $2");
        let row: Option<EntryRow> =
            sqlx::query_as(&sql).bind(id.0).bind(ids::guild(guild)).fetch_optional(&self.pool).await?;
        row.map(EntryRow::into_entry).transpose()
    }

    async fn edit_entry(&self, guild: GuildId, id: EntryId, edit: &EntryEdit) -> StoreResult<Option<Entry>> {
        let mut tx = self.pool.begin().await?;
        // An edit keeps the entry's share and expiry, which decide whether its new text is indexed.
        let Some((share, expired)) = terms::indexable(&mut tx, guild, id).await? else {
            return Ok(None);
        };
        if let Some(new_links) = &edit.links {
            let links = links::Links {
                entry: id,
                guild,
                occurred_at: edit.occurred_at,
                also_departments: &new_links.also_departments,
                partners: &new_links.partners,
            };
            links::replace(&mut tx, links).await?;
        } else {
            // The link rows carry the entry's time for the timelines and counts that read them.
            links::move_to(&mut tx, guild, id, edit.occurred_at).await?;
        }
        // The generated `search` column follows the note and tags, and the bucket index its
        // department, in the same statement; the update trigger widens the id bucket's days.
        let (owner, due, status, done_at) = match &edit.follow_up {
            None => (None, None, None, None),
            Some(f) => {
                (Some(ids::user(f.owner)), Some(f.due), Some(f.status.as_str()), f.done_at.map(millis))
            }
        };
        let sql = format!(
            "UPDATE entries SET note = $1, tags = $2, redactions = $3, updated_at = $4, department = $5, \
             channel = $6, informal = $7, occurred_at = $8, follow_up_owner = $9, follow_up_due = $10, \
             follow_up_status = $11, follow_up_done_at = $12, terms = $15, terms_version = $16 \
             WHERE id = $13 AND guild_id = $14 RETURNING {ENTRY_COLUMNS}"
        );
        let row: Option<EntryRow> = sqlx::query_as(&sql)
            .bind(edit.note.as_str())
            .bind(rows::join_tags(&edit.tags))
            .bind(i32::try_from(edit.redactions).unwrap_or(i32::MAX))
            .bind(millis(edit.updated_at))
            .bind(edit.department.as_str())
            .bind(edit.channel.as_str())
            .bind(edit.informal)
            .bind(millis(edit.occurred_at))
            .bind(owner)
            .bind(due)
            .bind(status)
            .bind(done_at)
            .bind(id.0)
            .bind(ids::guild(guild))
            // The update trigger moves the entry's `entry_terms` rows to its new terms and date.
            .bind(terms::stored_terms(edit.note.as_str(), &edit.tags, share, expired))
            .bind(TERMS_VERSION)
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        row.map(EntryRow::into_entry).transpose()
    }

    async fn entry_author(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Author>> {
        let row: Option<(i64, String)> =
            // An expired entry's name was cleared; it reads as the placeholder, as everywhere.
            sqlx::query_as(
                "SELECT author_id, CASE WHEN expired_at IS NULL THEN author_name ELSE $3 END \
                 FROM entries WHERE id = $1 AND guild_id = $2",
            )
            .bind(id.0)
                .bind(ids::guild(guild))
                .bind(EXPIRED_AUTHOR)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(author, name)| Author { id: UserId(ids::from_sql(author)), name }))
    }

    async fn delete_entry(&self, guild: GuildId, id: EntryId) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM entries WHERE id = $1 AND guild_id = $2")
            .bind(id.0)
            .bind(ids::guild(guild))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn entries_after(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<EntryId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        paging::entries_after(limit, after, |after, want| async move {
            let mut qb = QueryBuilder::new(format!("SELECT {ENTRY_COLUMNS} FROM entries"));
            push_filter(&mut qb, guild, filter);
            qb.push(" AND id > ").push_bind(after.map_or(i64::MIN, |id| id.0));
            qb.push(" ORDER BY id LIMIT ").push_bind(i64::from(want));
            let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(&self.pool).await?;
            let (fetched, last) = (rows.len(), rows.last().map(|r| EntryId(r.id)));
            Ok(Fetched { entries: rows::into_entries(rows), rows: fetched, last })
        })
        .await
    }

    async fn entries_in_time_order(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<TimeCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        paging::entries_after(limit, after, |after, want| async move {
            let mut qb = QueryBuilder::new(format!("SELECT {ENTRY_COLUMNS} FROM entries"));
            push_filter(&mut qb, guild, filter);
            if let Some(c) = after {
                qb.push(" AND occurred_at >= ").push_bind(millis(c.occurred_at));
                qb.push(" AND (occurred_at, id) > (").push_bind(millis(c.occurred_at));
                qb.push(", ").push_bind(c.id.0).push(")");
            }
            qb.push(" ORDER BY occurred_at, id LIMIT ").push_bind(i64::from(want));
            let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(&self.pool).await?;
            let last = rows.last().map(|r| TimeCursor { occurred_at: r.occurred_at, id: EntryId(r.id) });
            let fetched = rows.len();
            Ok(Fetched { entries: rows::into_entries(rows), rows: fetched, last })
        })
        .await
    }

    async fn count_entries(&self, guild: GuildId, filter: &EntryFilter) -> StoreResult<u64> {
        let mut qb = QueryBuilder::new("SELECT count(*) FROM entries");
        push_filter(&mut qb, guild, filter);
        let n: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// Moves the id sequence to at least `through`, never back below what it already handed out.
async fn advance_sequence(conn: &mut PgConnection, through: EntryId) -> StoreResult<()> {
    sqlx::query(
        "SELECT setval(pg_get_serial_sequence('entries', 'id'), \
         greatest($1, pg_sequence_last_value(pg_get_serial_sequence('entries', 'id')::regclass), 1))",
    )
    .bind(through.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// `WHERE` for a guild and an `EntryFilter`. Absent filters add no condition at all (rather than
/// `$n IS NULL OR ...`). A department takes the entries filed under it as their own department or
/// as one of their others: the latter's ids are read once (a hashed subplan), by
/// `entry_departments`' index.
pub(super) fn push_filter(qb: &mut QueryBuilder<'_, Postgres>, guild: GuildId, filter: &EntryFilter) {
    qb.push(" WHERE guild_id = ").push_bind(ids::guild(guild));
    if let Some(range) = filter.occurred {
        push_range(qb, range);
    }
    if let Some(department) = &filter.department {
        push_named_department(qb, guild, department);
    }
}

/// ` AND (...)`: entries filed under `department` as their own or as one of their others.
pub(super) fn push_named_department(
    qb: &mut QueryBuilder<'_, Postgres>,
    guild: GuildId,
    department: &DepartmentKeys,
) {
    qb.push(" AND (department = ANY(").push_bind(key_list(department));
    qb.push(") OR id IN (SELECT entry_id FROM entry_departments WHERE guild_id = ")
        .push_bind(ids::guild(guild));
    qb.push(" AND department = ANY(").push_bind(key_list(department)).push(")))");
}

/// A department's keys, to bind as a text array.
pub(super) fn key_list(department: &DepartmentKeys) -> Vec<String> {
    department.keys().iter().map(|k| k.as_str().to_string()).collect()
}

/// ` AND department = $n` for one key, as a department that was never renamed has;
/// ` AND department = ANY($n)` for one filed under several.
pub(super) fn push_department(qb: &mut QueryBuilder<'_, Postgres>, department: &DepartmentKeys) {
    match department.keys() {
        [key] => {
            qb.push(" AND department = ").push_bind(key.as_str().to_string());
        }
        keys => {
            let keys: Vec<String> = keys.iter().map(|k| k.as_str().to_string()).collect();
            qb.push(" AND department = ANY(").push_bind(keys).push(")");
        }
    }
}

fn push_range(qb: &mut QueryBuilder<'_, Postgres>, range: TimeRange) {
    qb.push(" AND occurred_at >= ").push_bind(bound(range.start));
    qb.push(" AND occurred_at < ").push_bind(bound(range.end));
}
