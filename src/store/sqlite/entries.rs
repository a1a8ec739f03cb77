//! Writing, reading and listing entries.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::query_builder::Separated;
use sqlx::sqlite::Sqlite;
use sqlx::{QueryBuilder, SqliteConnection};

use super::links;
use super::rows::{self, EntryRow, ENTRY_COLUMNS, ENTRY_JSON};
use super::terms;
use super::SqliteStore;
use crate::domain::department::DepartmentKeys;
use crate::domain::entry::{Author, Entry, EntryEdit, FollowUp, NewEntry};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::PartnerId;
use crate::domain::privacy::Share;
use crate::domain::privacy::EXPIRED_AUTHOR;
use crate::domain::tag::Tag;
use crate::domain::terms::TERMS_VERSION;
use crate::store::paging::{self, Fetched};
use crate::store::{ids, EntryFilter, EntryStore, StoreError, StoreResult, Stored, TimeCursor};

/// Rows per INSERT in an import: SQLite allows 32766 parameters (23 per row), and one statement
/// per row was measured 20 to 60 times slower (FTS5 writes a segment per statement).
const IMPORT_ROWS_PER_STATEMENT: usize = 500;

/// The columns `Values::push` fills, in its order.
const VALUE_COLUMNS: &str =
    "id, guild_id, author_id, author_name, department, channel, informal, note, tags, \
     occurred_at, created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, \
     follow_up_done_at, source, redactions, share, expired_at, link_facets, terms, terms_version";

struct Values<'a> {
    /// `None` lets SQLite assign the next id.
    id: Option<EntryId>,
    guild: GuildId,
    author_id: UserId,
    author_name: &'a str,
    department: &'a str,
    channel: &'a str,
    informal: bool,
    note: &'a str,
    tags: &'a [Tag],
    occurred_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    updated_at: Option<DateTime<Utc>>,
    follow_up: Option<&'a FollowUp>,
    source: Option<&'a str>,
    redactions: u32,
    share: Share,
    expired_at: Option<DateTime<Utc>>,
    link_facets: String,
}

impl<'a> Values<'a> {
    fn of_new(e: &'a NewEntry) -> Self {
        Values {
            id: None,
            guild: e.guild,
            author_id: e.author.id,
            author_name: e.author.name.as_str(),
            department: e.department.key().as_str(),
            channel: e.channel.key().as_str(),
            informal: e.channel.informal(),
            note: e.note.as_str(),
            tags: &e.tags,
            occurred_at: e.occurred_at,
            created_at: e.created_at,
            updated_at: None,
            follow_up: e.follow_up.as_ref(),
            source: e.source.as_deref(),
            redactions: e.redactions,
            share: e.share,
            expired_at: None,
            // Written once the id is known (`insert_new`).
            link_facets: String::new(),
        }
    }

    fn of_entry(e: &'a Entry) -> Self {
        let (note, author_name, source) = rows::cleared_text(e);
        Values {
            id: Some(e.id),
            guild: e.guild,
            author_id: e.author.id,
            author_name,
            department: e.department.as_str(),
            channel: e.channel.as_str(),
            informal: e.informal,
            note,
            tags: &e.tags,
            occurred_at: e.occurred_at,
            created_at: e.created_at,
            updated_at: e.updated_at,
            follow_up: e.follow_up.as_ref(),
            source,
            redactions: e.redactions,
            share: e.share,
            expired_at: e.expired_at,
            link_facets: String::new(),
        }
    }

    /// As `of_entry`, with the facet tokens of its links.
    fn of_linked(e: &'a Entry, partners: &'a [PartnerId]) -> Self {
        let links = links_of(e, partners);
        Values { link_facets: links.facets(), ..Values::of_entry(e) }
    }

    fn push(self, mut row: Separated<'_, 'a, Sqlite, &'static str>) {
        let (owner, due, status, done_at) = rows::follow_up_columns(self.follow_up);
        row.push_bind(self.id.map(|id| id.0))
            .push_bind(ids::guild(self.guild))
            .push_bind(ids::user(self.author_id))
            .push_bind(self.author_name)
            .push_bind(self.department)
            .push_bind(self.channel)
            .push_bind(self.informal)
            .push_bind(self.note)
            .push_bind(rows::join_tags(self.tags))
            .push_bind(rows::millis(self.occurred_at))
            .push_bind(rows::millis(self.created_at))
            .push_bind(self.updated_at.map(rows::millis))
            .push_bind(owner)
            .push_bind(due)
            .push_bind(status)
            .push_bind(done_at)
            .push_bind(self.source)
            .push_bind(i64::from(self.redactions))
            .push_bind(self.share.as_str())
            .push_bind(self.expired_at.map(rows::millis))
            .push_bind(self.link_facets)
            // The insert trigger writes the entry's `entry_terms` rows from this column.
            .push_bind(terms::stored_terms(self.note, self.tags, self.share, self.expired_at.is_some()))
            .push_bind(TERMS_VERSION);
    }
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

/// Stores a new entry on `conn` (the writer, or a transaction of it) and returns it with its id.
pub(super) async fn insert_new(conn: &mut SqliteConnection, entry: &NewEntry) -> StoreResult<Entry> {
    if entry.also_departments.is_empty() && entry.partners.is_empty() {
        // One statement: the row and its index entries (written by the trigger) commit together.
        return insert_row(conn, entry).await;
    }
    // A savepoint when the caller holds a transaction already. The row is written first for its
    // id; its links and their facet tokens follow, re-indexing it, all committed together.
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let mut stored = insert_row(&mut tx, entry).await?;
    stored.also_departments = entry.also_departments.iter().map(|d| d.key().clone()).collect();
    stored.partners = entry.partners.clone();
    let partners: Vec<PartnerId> = stored.partner_ids().collect();
    links::replace(&mut tx, links_of(&stored, &partners)).await?;
    tx.commit().await?;
    Ok(stored)
}

async fn insert_row(conn: &mut SqliteConnection, entry: &NewEntry) -> StoreResult<Entry> {
    let mut qb = insert_sql([Values::of_new(entry)]);
    qb.push(format!(" RETURNING {ENTRY_COLUMNS}"));
    // `fetch_all`, never `fetch_one`, on a statement with RETURNING: stopping at the first row
    // resets the statement before SQLITE_DONE, which skips SQLite's WAL auto-checkpoint, and the
    // WAL then grows without bound (measured: 40 KB per insert, never reused).
    let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter().next().ok_or(sqlx::Error::RowNotFound)?.into_entry()
}

fn insert_sql<'a>(values: impl IntoIterator<Item = Values<'a>>) -> QueryBuilder<'a, Sqlite> {
    let mut qb = QueryBuilder::new(format!("INSERT INTO entries ({VALUE_COLUMNS}) "));
    qb.push_values(values, |row, v| v.push(row));
    qb
}

#[async_trait]
impl EntryStore for SqliteStore {
    async fn insert_entry(&self, entry: &NewEntry) -> StoreResult<Entry> {
        let mut conn = self.writer.acquire().await?;
        insert_new(&mut conn, entry).await
    }

    async fn import_entries(&self, entries: &[Entry]) -> StoreResult<u64> {
        let mut seen = HashSet::with_capacity(entries.len());
        if let Some(dup) = entries.iter().find(|e| !seen.insert(e.id)) {
            return Err(StoreError::DuplicateId(dup.id));
        }
        // IMMEDIATE takes the write lock up front, so the existence check below still holds when the
        // rows are written.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let ids: Vec<EntryId> = entries.iter().map(|e| e.id).collect();
        if let Some(&dup) = existing(&mut tx, &ids).await?.first() {
            return Err(StoreError::DuplicateId(dup));
        }
        let partners: Vec<Vec<PartnerId>> = entries.iter().map(|e| e.partner_ids().collect()).collect();
        for (chunk, partners) in
            entries.chunks(IMPORT_ROWS_PER_STATEMENT).zip(partners.chunks(IMPORT_ROWS_PER_STATEMENT))
        {
            let values = chunk.iter().zip(partners).map(|(e, p)| Values::of_linked(e, p));
            if let Err(e) = insert_sql(values).build().execute(&mut *tx).await {
                // Unreachable while the check above holds the write lock; named if it ever is not.
                if is_unique_violation(&e) {
                    let ids: Vec<EntryId> = chunk.iter().map(|e| e.id).collect();
                    if let Some(&dup) = existing(&mut tx, &ids).await?.first() {
                        return Err(StoreError::DuplicateId(dup));
                    }
                }
                return Err(e.into());
            }
            for (entry, partners) in chunk.iter().zip(partners) {
                let links = links_of(entry, partners);
                if !links.is_empty() {
                    links::insert(&mut tx, links).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(entries.len() as u64)
    }

    async fn reserve_ids(&self, through: EntryId) -> StoreResult<()> {
        // AUTOINCREMENT numbers a new row above the largest id `sqlite_sequence` records (SQLite
        // documents writing to that table); its row appears with the table's first insert.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'entries', 0 \
             WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'entries')",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'entries'")
            .bind(through.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn existing_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<EntryId>> {
        let mut conn = self.reader.acquire().await?;
        existing(&mut conn, ids).await
    }

    async fn entries_with_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<Stored>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql).bind(json_ids(ids)).fetch_all(&self.reader).await?;
        rows.into_iter().map(|row| Stored::of(row.into_entry())).collect()
    }

    async fn entry(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Entry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ? AND guild_id = ?");
        let row: Option<EntryRow> =
            sqlx::query_as(&sql).bind(id.0).bind(ids::guild(guild)).fetch_optional(&self.reader).await?;
        row.map(EntryRow::into_entry).transpose()
    }

    async fn edit_entry(&self, guild: GuildId, id: EntryId, edit: &EntryEdit) -> StoreResult<Option<Entry>> {
        let mut tx = self.writer.begin().await?;
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
        // The update trigger re-indexes the row in the same statement (its text, and the facet
        // tokens of its department, channel and dates).
        let (owner, due, status, done_at) = rows::follow_up_columns(edit.follow_up.as_ref());
        let sql = format!(
            "UPDATE entries SET note = ?, tags = ?, redactions = ?, updated_at = ?, department = ?, \
             channel = ?, informal = ?, occurred_at = ?, follow_up_owner = ?, follow_up_due = ?, \
             follow_up_status = ?, follow_up_done_at = ?, terms = ?, terms_version = ? \
             WHERE id = ? AND guild_id = ? RETURNING {ENTRY_COLUMNS}"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql)
            .bind(edit.note.as_str())
            .bind(rows::join_tags(&edit.tags))
            .bind(i64::from(edit.redactions))
            .bind(rows::millis(edit.updated_at))
            .bind(edit.department.as_str())
            .bind(edit.channel.as_str())
            .bind(edit.informal)
            .bind(rows::millis(edit.occurred_at))
            .bind(owner)
            .bind(due)
            .bind(status)
            .bind(done_at)
            // The update trigger moves the entry's `entry_terms` rows to its new terms and date.
            .bind(terms::stored_terms(edit.note.as_str(), &edit.tags, share, expired))
            .bind(TERMS_VERSION)
            .bind(id.0)
            .bind(ids::guild(guild))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        rows.into_iter().next().map(EntryRow::into_entry).transpose()
    }

    async fn entry_author(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Author>> {
        let row: Option<(i64, String)> =
            // An expired entry's name was cleared; it reads as the placeholder, as everywhere.
            sqlx::query_as(
                "SELECT author_id, CASE WHEN expired_at IS NULL THEN author_name ELSE ? END \
                 FROM entries WHERE id = ? AND guild_id = ?",
            )
            .bind(EXPIRED_AUTHOR)
            .bind(id.0)
                .bind(ids::guild(guild))
                .fetch_optional(&self.reader)
                .await?;
        Ok(row.map(|(author, name)| Author { id: UserId(ids::from_sql(author)), name }))
    }

    async fn delete_entry(&self, guild: GuildId, id: EntryId) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM entries WHERE id = ? AND guild_id = ?")
            .bind(id.0)
            .bind(ids::guild(guild))
            .execute(&self.writer)
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
            let mut qb = QueryBuilder::new(walk_page_select());
            push_filter(&mut qb, guild, filter);
            qb.push(" AND id > ").push_bind(after.map_or(i64::MIN, |id| id.0));
            qb.push(" ORDER BY id LIMIT ").push_bind(i64::from(want)).push(")");
            let rows = walk_page(&self.reader, qb, |r| r.id).await?;
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
        // The cursor as stored (milliseconds, id), so that a row's odd time cannot turn it back.
        let after = after.map(|c| (rows::millis(c.occurred_at), c.id.0));
        paging::entries_after(limit, after, |after, want| async move {
            let rows =
                walk_page(&self.reader, time_page(guild, filter, after, want), |r| (r.occurred_at, r.id))
                    .await?;
            let (fetched, last) = (rows.len(), rows.last().map(|r| (r.occurred_at, r.id)));
            Ok(Fetched { entries: rows::into_entries(rows), rows: fetched, last })
        })
        .await
    }

    async fn count_entries(&self, guild: GuildId, filter: &EntryFilter) -> StoreResult<u64> {
        let mut qb = QueryBuilder::new("SELECT count(*) FROM entries");
        push_filter(&mut qb, guild, filter);
        let n: i64 = qb.build_query_scalar().fetch_one(&self.reader).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// A page of entries oldest first, after the cursor `(occurred_at as stored, id)`, for
/// [`walk_page`].
pub(super) fn time_page<'a>(
    guild: GuildId,
    filter: &EntryFilter,
    after: Option<(i64, i64)>,
    want: u32,
) -> QueryBuilder<'a, Sqlite> {
    let mut qb = QueryBuilder::new(walk_page_select());
    push_filter_from(&mut qb, guild, filter, after.map(|(at, _)| at));
    if let Some((at, id)) = after {
        qb.push(" AND (occurred_at > ").push_bind(at).push(" OR id > ").push_bind(id).push(")");
    }
    qb.push(" ORDER BY occurred_at, id LIMIT ").push_bind(i64::from(want)).push(")");
    qb
}

/// How a walk's page query opens: the page's entries, selected by the rest of the query (which
/// closes the parenthesis), as one JSON array.
fn walk_page_select() -> String {
    format!("SELECT json_group_array({ENTRY_JSON}) FROM (SELECT {ENTRY_COLUMNS} FROM entries")
}

/// Reads a walk's page (an export's, a report's, an erasure's) as one value and puts its rows
/// back in the page's order, `key`, which an aggregate does not promise to keep. sqlx hands rows
/// from SQLite's thread one at a time, each value copied: read as one value, a year's report at
/// 1M entries took 40% less CPU (docs/benchmarks.md, "A year's report under 2 s"), as the search
/// window did (`search.rs`).
async fn walk_page<K: Ord>(
    pool: &sqlx::SqlitePool,
    mut qb: QueryBuilder<'_, Sqlite>,
    key: impl Fn(&EntryRow) -> K,
) -> StoreResult<Vec<EntryRow>> {
    let json: String = qb.build_query_scalar().fetch_one(pool).await?;
    let mut rows: Vec<EntryRow> =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    rows.sort_by_key(key);
    Ok(rows)
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// Ids as one JSON array, for `json_each`: any number of them fits one statement.
fn json_ids(ids: &[EntryId]) -> String {
    serde_json::Value::from(ids.iter().map(|id| id.0).collect::<Vec<_>>()).to_string()
}

async fn existing(conn: &mut SqliteConnection, ids: &[EntryId]) -> StoreResult<Vec<EntryId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM entries WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id")
            .bind(json_ids(ids))
            .fetch_all(&mut *conn)
            .await?;
    Ok(found.into_iter().map(EntryId).collect())
}

/// `WHERE` for a guild and an `EntryFilter`. Absent filters add no condition at all (rather than
/// `? IS NULL OR ...`). A department takes the entries filed under it as their own department or
/// as one of their others: the latter's ids are read once, by `entry_departments`' index.
pub(super) fn push_filter(qb: &mut QueryBuilder<'_, Sqlite>, guild: GuildId, filter: &EntryFilter) {
    push_filter_from(qb, guild, filter, None);
}

/// [`push_filter`] with the earliest time raised to `from` (milliseconds, as stored), for a page
/// after a cursor. There is one lower bound, the later of the two: given both, SQLite enters the
/// time index at the first, the range's start, and read the range up to the cursor again for every
/// page, which made a year's report quadratic (docs/benchmarks.md, "A year's report").
fn push_filter_from(
    qb: &mut QueryBuilder<'_, Sqlite>,
    guild: GuildId,
    filter: &EntryFilter,
    from: Option<i64>,
) {
    qb.push(" WHERE guild_id = ").push_bind(ids::guild(guild));
    if let Some(from) = filter.occurred.map(|r| rows::millis(r.start)).max(from) {
        qb.push(" AND occurred_at >= ").push_bind(from);
    }
    if let Some(range) = filter.occurred {
        qb.push(" AND occurred_at < ").push_bind(rows::millis(range.end));
    }
    if let Some(department) = &filter.department {
        push_named_department(qb, guild, department);
    }
}

/// ` AND (...)`: entries filed under `department` as their own or as one of their others.
pub(super) fn push_named_department(
    qb: &mut QueryBuilder<'_, Sqlite>,
    guild: GuildId,
    department: &DepartmentKeys,
) {
    push_key_list(qb, " AND (department IN (", department);
    qb.push(" OR id IN (SELECT entry_id FROM entry_departments WHERE guild_id = ")
        .push_bind(ids::guild(guild));
    push_key_list(qb, " AND department IN (", department);
    qb.push("))");
}

/// `{open}?, ?, ...)`: a department's keys as a list of bound values.
pub(super) fn push_key_list(qb: &mut QueryBuilder<'_, Sqlite>, open: &str, department: &DepartmentKeys) {
    qb.push(open);
    let mut list = qb.separated(", ");
    for key in department.keys() {
        list.push_bind(key.as_str().to_string());
    }
    list.push_unseparated(")");
}

/// ` AND department = ?` for one key, as a department that was never renamed has (the plans in
/// `plans` assume this form); ` AND department IN (?, ...)` for one filed under several.
pub(super) fn push_department(qb: &mut QueryBuilder<'_, Sqlite>, department: &DepartmentKeys) {
    match department.keys() {
        [key] => {
            qb.push(" AND department = ").push_bind(key.as_str().to_string());
        }
        _ => push_key_list(qb, " AND department IN (", department),
    }
}
