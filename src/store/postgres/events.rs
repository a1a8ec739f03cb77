//! Events and the entries heard at them.
//!
//! An event's lists are read for a whole listing at once (`= ANY` over its ids), not per event.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, QueryBuilder};

use super::rows::{self, millis, EntryRow, ENTRY_COLUMNS};
use super::PostgresStore;
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
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    place: Option<String>,
    created_by: i64,
    created_at: DateTime<Utc>,
}

impl EventRow {
    fn into_record(self) -> EventRecord {
        EventRecord {
            id: self.id,
            guild_id: self.guild_id,
            name: self.name,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            place: self.place,
            created_by: self.created_by,
            created_at: self.created_at,
        }
    }
}

/// Events from their rows, lists joined on.
async fn events(conn: &mut PgConnection, found: Vec<EventRow>) -> StoreResult<Vec<Event>> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let records: Vec<EventRecord> = found.into_iter().map(EventRow::into_record).collect();
    let event_ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let organisers: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT event_id, user_id FROM event_organisers WHERE event_id = ANY($1) ORDER BY event_id, position",
    )
    .bind(&event_ids)
    .fetch_all(&mut *conn)
    .await?;
    let partners: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT ep.event_id, p.id, p.name FROM event_partners ep JOIN partners p ON p.id = ep.partner_id \
         WHERE ep.event_id = ANY($1) ORDER BY ep.event_id, ep.position",
    )
    .bind(&event_ids)
    .fetch_all(&mut *conn)
    .await?;
    let departments: Vec<(i64, String)> = sqlx::query_as(
        "SELECT event_id, department FROM event_departments WHERE event_id = ANY($1) ORDER BY event_id, position",
    )
    .bind(&event_ids)
    .fetch_all(&mut *conn)
    .await?;
    Ok(assemble(records, EventLists { organisers, partners, departments }))
}

async fn listed(
    store: &PostgresStore,
    sql: String,
    guild: GuildId,
    day: NaiveDate,
    limit: u32,
) -> StoreResult<Vec<Event>> {
    let mut conn = store.pool.acquire().await?;
    let found: Vec<EventRow> = sqlx::query_as(&sql)
        .bind(ids::guild(guild))
        .bind(day)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    events(&mut conn, found).await
}

#[async_trait]
impl EventStore for PostgresStore {
    async fn insert_event(&self, event: &NewEvent) -> StoreResult<Event> {
        let guild = ids::guild(event.guild);
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (guild_id, name, name_key, starts_on, ends_on, place, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(guild)
        .bind(event.name.as_str())
        .bind(event.name.key())
        .bind(event.dates.starts_on())
        .bind(event.dates.ends_on())
        .bind(event.place.as_ref().map(|p| p.as_str()))
        .bind(ids::user(event.created_by))
        .bind(millis(event.created_at))
        .fetch_one(&mut *tx)
        .await?;
        for (position, user) in event.organisers.iter().enumerate() {
            sqlx::query(
                "INSERT INTO event_organisers (event_id, guild_id, user_id, position) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(guild)
            .bind(ids::user(*user))
            .bind(position as i32)
            .execute(&mut *tx)
            .await?;
        }
        for (position, partner) in event.partners.iter().enumerate() {
            sqlx::query(
                "INSERT INTO event_partners (event_id, partner_id, guild_id, position) \
                 SELECT $1, id, guild_id, $2 FROM partners WHERE id = $3 AND guild_id = $4 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(position as i32)
            .bind(partner.0)
            .bind(guild)
            .execute(&mut *tx)
            .await?;
        }
        for (position, department) in event.departments.iter().enumerate() {
            sqlx::query(
                "INSERT INTO event_departments (event_id, guild_id, department, position) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(guild)
            .bind(department.as_str())
            .bind(position as i32)
            .execute(&mut *tx)
            .await?;
        }
        let found: Vec<EventRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM events WHERE id = $1"))
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let read = events(&mut tx, found).await?;
        tx.commit().await?;
        read.into_iter().next().ok_or_else(|| vanished(id))
    }

    async fn event(&self, guild: GuildId, id: EventId) -> StoreResult<Option<Event>> {
        let mut conn = self.pool.acquire().await?;
        let found: Vec<EventRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM events WHERE id = $1 AND guild_id = $2"))
                .bind(id.0)
                .bind(ids::guild(guild))
                .fetch_all(&mut *conn)
                .await?;
        Ok(events(&mut conn, found).await?.into_iter().next())
    }

    async fn upcoming_events(&self, guild: GuildId, today: NaiveDate, limit: u32) -> StoreResult<Vec<Event>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE guild_id = $1 AND ends_on >= $2 \
             ORDER BY starts_on, ends_on, id LIMIT $3"
        );
        listed(self, sql, guild, today, limit).await
    }

    async fn past_events(&self, guild: GuildId, today: NaiveDate, limit: u32) -> StoreResult<Vec<Event>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE guild_id = $1 AND ends_on < $2 \
             ORDER BY ends_on DESC, id DESC LIMIT $3"
        );
        listed(self, sql, guild, today, limit).await
    }

    async fn event_choices(
        &self,
        guild: GuildId,
        today: NaiveDate,
        limit: u32,
    ) -> StoreResult<Vec<EventChoice>> {
        // Days from today to the event: 0 while it runs, else to its nearer end.
        let found: Vec<(i64, String, NaiveDate, NaiveDate)> = sqlx::query_as(
            "SELECT id, name, starts_on, ends_on FROM events WHERE guild_id = $1 \
             ORDER BY CASE WHEN starts_on > $2 THEN starts_on - $2 \
                           WHEN ends_on < $2 THEN $2 - ends_on ELSE 0 END, \
                      starts_on DESC, id DESC LIMIT $3",
        )
        .bind(ids::guild(guild))
        .bind(today)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(found.into_iter().map(|(id, name, s, e)| choice(id, name, s, e)).collect())
    }

    async fn link_entry_event(&self, guild: GuildId, entry: EntryId, event: EventId) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO entry_events (entry_id, event_id, guild_id) \
             SELECT e.id, ev.id, e.guild_id FROM entries e JOIN events ev ON ev.guild_id = e.guild_id \
             WHERE e.id = $1 AND ev.id = $2 AND e.guild_id = $3 \
             ON CONFLICT (entry_id) DO UPDATE SET event_id = excluded.event_id",
        )
        .bind(entry.0)
        .bind(event.0)
        .bind(ids::guild(guild))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn entry_event(&self, guild: GuildId, entry: EntryId) -> StoreResult<Option<EventChoice>> {
        let found: Option<(i64, String, NaiveDate, NaiveDate)> = sqlx::query_as(
            "SELECT ev.id, ev.name, ev.starts_on, ev.ends_on FROM entry_events ee \
             JOIN events ev ON ev.id = ee.event_id WHERE ee.entry_id = $1 AND ee.guild_id = $2",
        )
        .bind(entry.0)
        .bind(ids::guild(guild))
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.map(|(id, name, s, e)| choice(id, name, s, e)))
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
            // `IS NOT DISTINCT FROM`: an erased author's private entries stay hidden.
            qb.push(" AND (share <> 'private' OR author_id IS NOT DISTINCT FROM ")
                .push_bind(ids::user(viewer))
                .push(")");
        }
        qb.push(" ORDER BY occurred_at, id LIMIT ").push_bind(i64::from(limit));
        let found: Vec<EntryRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows::into_entries(found))
    }

    async fn events_ended(
        &self,
        guild: GuildId,
        start: NaiveDate,
        end: NaiveDate,
    ) -> StoreResult<Vec<Event>> {
        let mut conn = self.pool.acquire().await?;
        let found: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM events WHERE guild_id = $1 AND ends_on >= $2 AND ends_on < $3 \
             ORDER BY ends_on, id"
        ))
        .bind(ids::guild(guild))
        .bind(start)
        .bind(end)
        .fetch_all(&mut *conn)
        .await?;
        events(&mut conn, found).await
    }

    async fn all_events_ended(&self, start: NaiveDate, end: NaiveDate) -> StoreResult<Vec<Event>> {
        let mut conn = self.pool.acquire().await?;
        let found: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM events WHERE ends_on >= $1 AND ends_on < $2 ORDER BY ends_on, id"
        ))
        .bind(start)
        .bind(end)
        .fetch_all(&mut *conn)
        .await?;
        events(&mut conn, found).await
    }

    async fn has_event_follow_up(&self, guild: GuildId, event: EventId, author: UserId) -> StoreResult<bool> {
        let found: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM entry_events ee JOIN entries e ON e.id = ee.entry_id \
             WHERE ee.event_id = $1 AND ee.guild_id = $2 AND e.author_id = $3 \
             AND e.follow_up_status IS NOT NULL LIMIT 1",
        )
        .bind(event.0)
        .bind(ids::guild(guild))
        .bind(ids::user(author))
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    async fn events_after(
        &self,
        guild: GuildId,
        after: Option<EventId>,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        let mut conn = self.pool.acquire().await?;
        let found: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM events WHERE guild_id = $1 AND id > $2 ORDER BY id LIMIT $3"
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
        let found: Vec<(i64, i64)> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(found.into_iter().map(|(event, entry)| (EventId(event), EntryId(entry))).collect())
    }
}
