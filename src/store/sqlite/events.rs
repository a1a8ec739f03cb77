//! Events and the entries heard at them.
//!
//! An event's lists are read for a whole listing at once (`IN` over its ids), not per event.

use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::sqlite::Sqlite;
use sqlx::{QueryBuilder, SqliteConnection};

use super::rows::{self, due_text, from_due_text, from_millis, millis, EntryRow, ENTRY_COLUMNS};
use super::SqliteStore;
use crate::domain::entry::Entry;
use crate::domain::event::{Event, EventChoice, EventId, NewEvent};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::events::{assemble, choice, vanished, EventLists, EventRecord};
use crate::store::{ids, EventStore, StoreResult};

const COLUMNS: &str = "id, guild_id, name, starts_on, ends_on, place, created_by, created_at";

#[derive(Debug, sqlx::FromRow)]
struct EventRow {
    id: i64,
    guild_id: i64,
    name: String,
    starts_on: String,
    ends_on: String,
    place: Option<String>,
    created_by: i64,
    created_at: i64,
}

impl EventRow {
    fn into_record(self) -> StoreResult<EventRecord> {
        Ok(EventRecord {
            starts_on: from_due_text(self.id, "events.starts_on", &self.starts_on)?,
            ends_on: from_due_text(self.id, "events.ends_on", &self.ends_on)?,
            created_at: from_millis(self.id, "events.created_at", self.created_at)?,
            id: self.id,
            guild_id: self.guild_id,
            name: self.name,
            place: self.place,
            created_by: self.created_by,
        })
    }
}

/// Events from their rows, lists joined on; a row that cannot be decoded is left out and logged.
async fn events(conn: &mut SqliteConnection, found: Vec<EventRow>) -> StoreResult<Vec<Event>> {
    let records: Vec<EventRecord> = found
        .into_iter()
        .filter_map(|row| match row.into_record() {
            Ok(r) => Some(r),
            Err(e) => {
                crate::store::rows::logged(e);
                None
            }
        })
        .collect();
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let event_ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let in_ids = |select: &str, order: &str| {
        let mut qb: QueryBuilder<'_, Sqlite> = QueryBuilder::new(select);
        qb.push(" IN (");
        let mut list = qb.separated(", ");
        for id in &event_ids {
            list.push_bind(*id);
        }
        qb.push(")").push(order);
        qb
    };
    let mut q = in_ids(
        "SELECT event_id, user_id FROM event_organisers WHERE event_id",
        " ORDER BY event_id, position",
    );
    let organisers: Vec<(i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut q = in_ids(
        "SELECT ep.event_id, p.id, p.name FROM event_partners ep JOIN partners p ON p.id = ep.partner_id \
         WHERE ep.event_id",
        " ORDER BY ep.event_id, ep.position",
    );
    let partners: Vec<(i64, i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut q = in_ids(
        "SELECT event_id, department FROM event_departments WHERE event_id",
        " ORDER BY event_id, position",
    );
    let departments: Vec<(i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(assemble(records, EventLists { organisers, partners, departments }))
}

async fn listed(
    store: &SqliteStore,
    sql: String,
    guild: GuildId,
    a: String,
    limit: u32,
) -> StoreResult<Vec<Event>> {
    let mut conn = store.reader.acquire().await?;
    let found: Vec<EventRow> = sqlx::query_as(&sql)
        .bind(ids::guild(guild))
        .bind(a)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    events(&mut conn, found).await
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn insert_event(&self, event: &NewEvent) -> StoreResult<Event> {
        let guild = ids::guild(event.guild);
        let mut tx = self.writer.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (guild_id, name, name_key, starts_on, ends_on, place, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(guild)
        .bind(event.name.as_str())
        .bind(event.name.key())
        .bind(due_text(event.dates.starts_on()))
        .bind(due_text(event.dates.ends_on()))
        .bind(event.place.as_ref().map(|p| p.as_str()))
        .bind(ids::user(event.created_by))
        .bind(millis(event.created_at))
        .fetch_one(&mut *tx)
        .await?;
        for (position, user) in event.organisers.iter().enumerate() {
            sqlx::query(
                "INSERT INTO event_organisers (event_id, guild_id, user_id, position) VALUES (?, ?, ?, ?) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(guild)
            .bind(ids::user(*user))
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        for (position, partner) in event.partners.iter().enumerate() {
            sqlx::query(
                "INSERT INTO event_partners (event_id, partner_id, guild_id, position) \
                 SELECT ?, id, guild_id, ? FROM partners WHERE id = ? AND guild_id = ? ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(position as i64)
            .bind(partner.0)
            .bind(guild)
            .execute(&mut *tx)
            .await?;
        }
        for (position, department) in event.departments.iter().enumerate() {
            sqlx::query(
                "INSERT INTO event_departments (event_id, guild_id, department, position) VALUES (?, ?, ?, ?) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(guild)
            .bind(department.as_str())
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        let found: Vec<EventRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM events WHERE id = ?"))
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let read = events(&mut tx, found).await?;
        tx.commit().await?;
        read.into_iter().next().ok_or_else(|| vanished(id))
    }

    async fn event(&self, guild: GuildId, id: EventId) -> StoreResult<Option<Event>> {
        let mut conn = self.reader.acquire().await?;
        let found: Vec<EventRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM events WHERE id = ? AND guild_id = ?"))
                .bind(id.0)
                .bind(ids::guild(guild))
                .fetch_all(&mut *conn)
                .await?;
        Ok(events(&mut conn, found).await?.into_iter().next())
    }

    async fn upcoming_events(&self, guild: GuildId, today: NaiveDate, limit: u32) -> StoreResult<Vec<Event>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE guild_id = ? AND ends_on >= ? ORDER BY starts_on, ends_on, id LIMIT ?"
        );
        listed(self, sql, guild, due_text(today), limit).await
    }

    async fn past_events(&self, guild: GuildId, today: NaiveDate, limit: u32) -> StoreResult<Vec<Event>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE guild_id = ? AND ends_on < ? ORDER BY ends_on DESC, id DESC LIMIT ?"
        );
        listed(self, sql, guild, due_text(today), limit).await
    }

    async fn event_choices(
        &self,
        guild: GuildId,
        today: NaiveDate,
        limit: u32,
    ) -> StoreResult<Vec<EventChoice>> {
        // Days from today to the event: 0 while it runs, else to its nearer end.
        let found: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, name, starts_on, ends_on FROM events WHERE guild_id = ?1 \
             ORDER BY CASE WHEN starts_on > ?2 THEN julianday(starts_on) - julianday(?2) \
                           WHEN ends_on < ?2 THEN julianday(?2) - julianday(ends_on) ELSE 0 END, \
                      starts_on DESC, id DESC LIMIT ?3",
        )
        .bind(ids::guild(guild))
        .bind(due_text(today))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        let mut out = Vec::with_capacity(found.len());
        for (id, name, starts, ends) in found {
            let dates = from_due_text(id, "events.starts_on", &starts)
                .and_then(|s| Ok((s, from_due_text(id, "events.ends_on", &ends)?)));
            match dates {
                Ok((s, e)) => out.push(choice(id, name, s, e)),
                Err(e) => {
                    crate::store::rows::logged(e);
                }
            }
        }
        Ok(out)
    }

    async fn link_entry_event(&self, guild: GuildId, entry: EntryId, event: EventId) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO entry_events (entry_id, event_id, guild_id) \
             SELECT e.id, ev.id, e.guild_id FROM entries e JOIN events ev ON ev.guild_id = e.guild_id \
             WHERE e.id = ?1 AND ev.id = ?2 AND e.guild_id = ?3 \
             ON CONFLICT (entry_id) DO UPDATE SET event_id = excluded.event_id",
        )
        .bind(entry.0)
        .bind(event.0)
        .bind(ids::guild(guild))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn entry_event(&self, guild: GuildId, entry: EntryId) -> StoreResult<Option<EventChoice>> {
        let found: Option<(i64, String, String, String)> = sqlx::query_as(
            "SELECT ev.id, ev.name, ev.starts_on, ev.ends_on FROM entry_events ee \
             JOIN events ev ON ev.id = ee.event_id WHERE ee.entry_id = ? AND ee.guild_id = ?",
        )
        .bind(entry.0)
        .bind(ids::guild(guild))
        .fetch_optional(&self.reader)
        .await?;
        found
            .map(|(id, name, starts, ends)| {
                Ok(choice(
                    id,
                    name,
                    from_due_text(id, "events.starts_on", &starts)?,
                    from_due_text(id, "events.ends_on", &ends)?,
                ))
            })
            .transpose()
    }

    async fn event_entries(
        &self,
        guild: GuildId,
        event: EventId,
        viewer: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        let mut qb = QueryBuilder::new(format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE guild_id = "));
        qb.push_bind(ids::guild(guild))
            .push(" AND id IN (SELECT entry_id FROM entry_events WHERE event_id = ")
            .push_bind(event.0)
            .push(")");
        if let Some(viewer) = viewer {
            // `IS NOT`: an entry whose author was erased stays hidden whatever its author id became.
            qb.push(" AND (share <> 'private' OR author_id IS ").push_bind(ids::user(viewer)).push(")");
        }
        qb.push(" ORDER BY occurred_at, id LIMIT ").push_bind(i64::from(limit));
        let found: Vec<EntryRow> = qb.build_query_as().fetch_all(&self.reader).await?;
        Ok(rows::into_entries(found))
    }

    async fn events_ended(
        &self,
        guild: GuildId,
        start: NaiveDate,
        end: NaiveDate,
    ) -> StoreResult<Vec<Event>> {
        let mut conn = self.reader.acquire().await?;
        let found: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM events WHERE guild_id = ? AND ends_on >= ? AND ends_on < ? ORDER BY ends_on, id"
        ))
        .bind(ids::guild(guild))
        .bind(due_text(start))
        .bind(due_text(end))
        .fetch_all(&mut *conn)
        .await?;
        events(&mut conn, found).await
    }

    async fn all_events_ended(&self, start: NaiveDate, end: NaiveDate) -> StoreResult<Vec<Event>> {
        let mut conn = self.reader.acquire().await?;
        let found: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM events WHERE ends_on >= ? AND ends_on < ? ORDER BY ends_on, id"
        ))
        .bind(due_text(start))
        .bind(due_text(end))
        .fetch_all(&mut *conn)
        .await?;
        events(&mut conn, found).await
    }

    async fn has_event_follow_up(&self, guild: GuildId, event: EventId, author: UserId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM entry_events ee JOIN entries e ON e.id = ee.entry_id \
             WHERE ee.event_id = ? AND ee.guild_id = ? AND e.author_id = ? AND e.follow_up_status IS NOT NULL \
             LIMIT 1",
        )
        .bind(event.0)
        .bind(ids::guild(guild))
        .bind(ids::user(author))
        .fetch_optional(&self.reader)
        .await?;
        Ok(found.is_some())
    }

    async fn events_after(
        &self,
        guild: GuildId,
        after: Option<EventId>,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        let mut conn = self.reader.acquire().await?;
        let found: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM events WHERE guild_id = ? AND id > ? ORDER BY id LIMIT ?"
        ))
        .bind(ids::guild(guild))
        .bind(after.map_or(i64::MIN, |e| e.0))
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
        events(&mut conn, found).await
    }

    async fn event_entry_ids(
        &self,
        guild: GuildId,
        events: &[EventId],
    ) -> StoreResult<Vec<(EventId, EntryId)>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::new("SELECT event_id, entry_id FROM entry_events WHERE guild_id = ");
        qb.push_bind(ids::guild(guild)).push(" AND event_id IN (");
        let mut list = qb.separated(", ");
        for event in events {
            list.push_bind(event.0);
        }
        qb.push(") ORDER BY event_id, entry_id");
        let found: Vec<(i64, i64)> = qb.build_query_as().fetch_all(&self.reader).await?;
        Ok(found.into_iter().map(|(event, entry)| (EventId(event), EntryId(entry))).collect())
    }
}
