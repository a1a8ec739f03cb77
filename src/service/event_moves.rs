//! Moving a server's events between databases (`liaison event export` and `import`): every
//! event with the entries heard at it, read page by page; what makes an event the same as one
//! already here; and adding one from elsewhere, its entries linked and its due prompts settled.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::event_prompts;
use super::{ServiceError, ServiceResult};
use crate::config::Config;
use crate::domain::event::{Event, EventDates, EventId, EventName, NewEvent};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::Store;

/// Events read per query.
const PAGE: u32 = 500;

/// An event from another database, checked, its partners found in this server by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedEvent {
    pub event: NewEvent,
    /// The entries heard at it, which the entry import brought over with their ids.
    pub entries: Vec<EntryId>,
    /// The organisers who pressed Nothing needed after it.
    pub nothing_needed: Vec<UserId>,
}

/// What tells one event from another across databases, whose ids differ: its name ignoring case
/// and accents, and its dates (the same event comes back every year under one name).
pub type EventKey = (String, NaiveDate, NaiveDate);

pub fn key(name: &EventName, dates: &EventDates) -> EventKey {
    (name.key(), dates.starts_on(), dates.ends_on())
}

/// Every event of the guild in id order (the order they were added, which an import keeps), each
/// with the ids of the entries linked to it, given to `each`; how many there were.
pub async fn each_event(
    store: &dyn Store,
    guild: GuildId,
    mut each: impl FnMut(&Event, &[EntryId]),
) -> ServiceResult<u64> {
    let mut after = None;
    let mut count = 0u64;
    loop {
        let page = store.events_after(guild, after, PAGE).await?;
        let ids: Vec<_> = page.iter().map(|e| e.id).collect();
        let mut links: HashMap<EventId, Vec<EntryId>> = HashMap::new();
        for (event, entry) in store.event_entry_ids(guild, &ids).await? {
            links.entry(event).or_default().push(entry);
        }
        for event in &page {
            each(event, links.get(&event.id).map_or(&[], Vec::as_slice));
        }
        count += page.len() as u64;
        match page.last() {
            Some(last) if page.len() == PAGE as usize => after = Some(last.id),
            _ => return Ok(count),
        }
    }
}

/// The guild's events by key (the first added, where two share one): what an import skips.
pub async fn existing(store: &dyn Store, guild: GuildId) -> ServiceResult<HashMap<EventKey, Event>> {
    let mut found = HashMap::new();
    each_event(store, guild, |event, _| {
        found.entry(key(&event.name, &event.dates)).or_insert_with(|| event.clone());
    })
    .await?;
    Ok(found)
}

/// The organisers who pressed Nothing needed after the event.
pub async fn nothing_needed(store: &dyn Store, event: &Event) -> ServiceResult<Vec<UserId>> {
    let prompts = store.event_prompts(event.guild, event.id).await?;
    Ok(prompts.into_iter().filter(|p| p.nothing_needed_at.is_some()).map(|p| p.key.organiser).collect())
}

/// Adds a moved event, links its entries, and records its prompts already due as sent from the
/// other database, and who answered Nothing needed there (see [`event_prompts::settle_moved`]).
pub async fn add(
    store: &dyn Store,
    config: &Config,
    moved: &MovedEvent,
    now: DateTime<Utc>,
) -> ServiceResult<Event> {
    let event = store.insert_event(&moved.event).await?;
    event_prompts::settle_moved(store, config, &event, &moved.nothing_needed, now).await?;
    link(store, &event, &moved.entries).await?;
    Ok(event)
}

/// For a moved event the server has already as `event` (an import run again after it stopped part way):
/// links those of its entries that are linked to no event yet, and settles its prompts, so
/// that what a stop left undone is done; what members changed since is left alone.
pub async fn complete(
    store: &dyn Store,
    config: &Config,
    event: &Event,
    moved: &MovedEvent,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    event_prompts::settle_moved(store, config, event, &moved.nothing_needed, now).await?;
    let mut unlinked = Vec::new();
    for &entry in &moved.entries {
        if store.entry_event(event.guild, entry).await?.is_none() {
            unlinked.push(entry);
        }
    }
    link(store, event, &unlinked).await
}

async fn link(store: &dyn Store, event: &Event, entries: &[EntryId]) -> ServiceResult<()> {
    for &entry in entries {
        if !store.link_entry_event(event.guild, entry, event.id).await? {
            return Err(ServiceError::invalid(format!(
                "entry {entry} is not in this server any more; import the entries first"
            )));
        }
    }
    Ok(())
}
