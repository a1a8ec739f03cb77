//! Events: what the library organised, and which entries were heard there.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{ids, StoreError, StoreResult};
use crate::domain::department::DepartmentKey;
use crate::domain::entry::Entry;
use crate::domain::event::{Event, EventChoice, EventDates, EventId, EventName, NewEvent, Place};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::{PartnerId, PartnerLink, PartnerName};

#[async_trait]
pub trait EventStore: Send + Sync {
    /// Stores a new event. Partners that are not the guild's are left out.
    async fn insert_event(&self, event: &NewEvent) -> StoreResult<Event>;

    async fn event(&self, guild: GuildId, id: EventId) -> StoreResult<Option<Event>>;

    /// Events not over on `today` (the guild's local date): under way first, then soonest.
    async fn upcoming_events(&self, guild: GuildId, today: NaiveDate, limit: u32) -> StoreResult<Vec<Event>>;

    /// Events over before `today`, most recently ended first.
    async fn past_events(&self, guild: GuildId, today: NaiveDate, limit: u32) -> StoreResult<Vec<Event>>;

    /// What a picker offers: the guild's events nearest to `today` first (under way, then by how
    /// many days they are from it, before or after), so that recent and upcoming events lead.
    async fn event_choices(
        &self,
        guild: GuildId,
        today: NaiveDate,
        limit: u32,
    ) -> StoreResult<Vec<EventChoice>>;

    /// Links an entry to an event of its guild, replacing any earlier link (an entry was heard at
    /// one event); `false` when the entry or the event is not the guild's.
    async fn link_entry_event(&self, guild: GuildId, entry: EntryId, event: EventId) -> StoreResult<bool>;

    /// The event an entry was heard at, if any.
    async fn entry_event(&self, guild: GuildId, entry: EntryId) -> StoreResult<Option<EventChoice>>;

    /// The entries linked to an event, oldest first (then by id), up to `limit`. `viewer` hides
    /// other members' private entries, as in search (`None` sees all).
    async fn event_entries(
        &self,
        guild: GuildId,
        event: EventId,
        viewer: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>>;

    /// The guild's events whose last day is in `[start, end)`, by end, then id.
    async fn events_ended(&self, guild: GuildId, start: NaiveDate, end: NaiveDate)
        -> StoreResult<Vec<Event>>;

    /// Every guild's events whose last day is in `[start, end)`, by end, then id: what the
    /// post-event prompts are made from (each guild's day is its own, so the caller picks).
    async fn all_events_ended(&self, start: NaiveDate, end: NaiveDate) -> StoreResult<Vec<Event>>;

    /// Whether `author` wrote an entry linked to the event that has a follow-up: they already
    /// decided what happens after it.
    async fn has_event_follow_up(&self, guild: GuildId, event: EventId, author: UserId) -> StoreResult<bool>;

    /// Up to `limit` of the guild's events with ids above `after`, in id order: keyset paging for
    /// an export of them all.
    async fn events_after(
        &self,
        guild: GuildId,
        after: Option<EventId>,
        limit: u32,
    ) -> StoreResult<Vec<Event>>;

    /// The entries linked to `events` (of the guild), by event then entry id. Read from the links
    /// alone, so that an entry whose row cannot be decoded still keeps its event when moved.
    async fn event_entry_ids(
        &self,
        guild: GuildId,
        events: &[EventId],
    ) -> StoreResult<Vec<(EventId, EntryId)>>;
}

/// An event row, as both backends read it, before its lists are joined on.
#[derive(Debug)]
pub(crate) struct EventRecord {
    pub id: i64,
    pub guild_id: i64,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: Option<String>,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
}

/// The lists of a set of events, as both backends read them: rows of (event, position-ordered
/// value), each list in position order.
#[derive(Debug, Default)]
pub(crate) struct EventLists {
    pub organisers: Vec<(i64, i64)>,
    pub partners: Vec<(i64, i64, String)>,
    pub departments: Vec<(i64, String)>,
}

/// Events from their rows and lists, in the rows' order. Both backends assemble through this.
pub(crate) fn assemble(records: Vec<EventRecord>, lists: EventLists) -> Vec<Event> {
    let mut organisers: HashMap<i64, Vec<UserId>> = HashMap::new();
    for (event, user) in lists.organisers {
        organisers.entry(event).or_default().push(UserId(ids::from_sql(user)));
    }
    let mut partners: HashMap<i64, Vec<PartnerLink>> = HashMap::new();
    for (event, id, name) in lists.partners {
        partners
            .entry(event)
            .or_default()
            .push(PartnerLink { id: PartnerId(id), name: PartnerName::from_stored(name) });
    }
    let mut departments: HashMap<i64, Vec<DepartmentKey>> = HashMap::new();
    for (event, key) in lists.departments {
        departments.entry(event).or_default().push(DepartmentKey::from_stored(key));
    }
    records
        .into_iter()
        .map(|r| Event {
            id: EventId(r.id),
            guild: GuildId(ids::from_sql(r.guild_id)),
            name: EventName::from_stored(r.name),
            dates: EventDates::from_stored(r.starts_on, r.ends_on),
            organisers: organisers.remove(&r.id).unwrap_or_default(),
            partners: partners.remove(&r.id).unwrap_or_default(),
            departments: departments.remove(&r.id).unwrap_or_default(),
            place: r.place.map(Place::from_stored),
            created_by: UserId(ids::from_sql(r.created_by)),
            created_at: r.created_at,
        })
        .collect()
}

/// A choice from its row.
pub(crate) fn choice(id: i64, name: String, starts_on: NaiveDate, ends_on: NaiveDate) -> EventChoice {
    EventChoice {
        id: EventId(id),
        name: EventName::from_stored(name),
        dates: EventDates::from_stored(starts_on, ends_on),
    }
}

/// The event that was just written but cannot be read back: only a concurrent deletion (a guild
/// forgotten at that instant) does this.
pub(crate) fn vanished(id: i64) -> StoreError {
    StoreError::Corrupt { id, reason: "the event went as it was written".to_string() }
}
