//! Events as people use them: adding one (dates as phrases in the guild's time), finding one by a
//! typed or picked name, listing upcoming and past ones, and what an event led to (the entries
//! heard there and the follow-ups decided).

use chrono::{DateTime, NaiveDate, Utc};

use super::dates::event_day;
use super::{ServiceError, ServiceResult};
use crate::domain::department::Department;
use crate::domain::entry::Entry;
use crate::domain::event::{
    Event, EventChoice, EventDates, EventDraft, EventId, EventIndex, EventName, NewEvent, Place,
};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::PartnerLink;
use crate::domain::rules::Rules;
use crate::store::Store;

/// An event as typed: dates as phrases, partners and departments already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub name: String,
    pub date: String,
    pub end: Option<String>,
    pub partners: Vec<PartnerLink>,
    pub departments: Vec<Department>,
    /// Left out: whoever adds it.
    pub organisers: Vec<UserId>,
    pub place: Option<String>,
}

/// Adds an event. Its first day may be past (an event recorded afterwards) or to come.
pub async fn add(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    by: UserId,
    input: EventInput,
    now: DateTime<Utc>,
) -> ServiceResult<Event> {
    let invalid = ServiceError::invalid;
    // Redacted as notes are: a name or place is people's text, and may hold an address.
    let name = EventName::parse(&rules.redactor.redact(&input.name).text).map_err(invalid)?;
    let start = event_day(rules, &input.date, now)?;
    let end = match input.end.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(phrase) => Some(event_day(rules, phrase, now)?),
        None => None,
    };
    let dates = EventDates::new(start, end).map_err(invalid)?;
    let place = match input.place {
        Some(p) => Place::parse(&rules.redactor.redact(&p).text).map_err(invalid)?,
        None => None,
    };
    let draft = EventDraft {
        guild,
        name,
        dates,
        organisers: input.organisers,
        partners: input.partners.iter().map(|p| p.id).collect(),
        departments: input.departments.iter().map(|d| d.key().clone()).collect(),
        place,
    };
    let event = NewEvent::new(draft, by, now).map_err(invalid)?;
    Ok(store.insert_event(&event).await?)
}

/// The channel entries heard at an event go through when none is named, where the guild
/// configured one.
pub const EVENT_CHANNEL: &str = "event";

/// How many events a picker reads to match a typed name against: the nearest to today.
const CHOICES_READ: u32 = 500;

/// The most choices Discord shows for an autocompleted option.
pub const MAX_CHOICES: usize = 25;

async fn index_of(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    now: DateTime<Utc>,
) -> ServiceResult<EventIndex> {
    Ok(EventIndex::new(store.event_choices(guild, rules.today(now), CHOICES_READ).await?))
}

/// Up to `limit` events for a partial name, recent and upcoming ones first.
pub async fn autocomplete(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    partial: &str,
    limit: usize,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<EventChoice>> {
    let index = index_of(store, rules, guild, now).await?;
    Ok(index.autocomplete(partial, limit.min(MAX_CHOICES)).into_iter().cloned().collect())
}

/// The event a typed or picked value names (a picked choice sends the event's id); `Invalid`,
/// with the closest names, when none does.
pub async fn resolve(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    typed: &str,
    now: DateTime<Utc>,
) -> ServiceResult<EventChoice> {
    if typed.trim().is_empty() {
        return Err(ServiceError::invalid("name an event"));
    }
    let index = index_of(store, rules, guild, now).await?;
    if let Some(found) = index.find(typed) {
        return Ok(found.clone());
    }
    // An id typed for an event too old to be among the nearest is still the guild's event.
    if let Ok(id) = typed.trim().parse::<i64>() {
        if let Some(event) = store.event(guild, EventId(id)).await? {
            return Ok(event.choice());
        }
    }
    let closest: Vec<String> = index.autocomplete(typed, 3).into_iter().map(EventChoice::label).collect();
    let typed = typed.trim();
    Err(ServiceError::invalid(if closest.is_empty() {
        format!("no event called \"{typed}\"; add one with /event add")
    } else {
        format!("no event called \"{typed}\"; the closest are: {}", closest.join(", "))
    }))
}

/// Which events a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Which {
    /// Under way or to come, soonest first.
    #[default]
    Upcoming,
    /// Over, most recent first.
    Past,
}

impl Which {
    pub fn parse(typed: &str) -> Option<Which> {
        match typed.trim().to_lowercase().as_str() {
            "upcoming" => Some(Which::Upcoming),
            "past" => Some(Which::Past),
            _ => None,
        }
    }
}

/// The most events one listing shows.
pub const LIST_LIMIT: u32 = 20;

pub async fn list(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    which: Which,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Event>> {
    let today = rules.today(now);
    Ok(match which {
        Which::Upcoming => store.upcoming_events(guild, today, LIST_LIMIT).await?,
        Which::Past => store.past_events(guild, today, LIST_LIMIT).await?,
    })
}

/// The most entries an event's page lists.
pub const SHOWN_ENTRIES: u32 = 20;

/// An event with what it led to.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub event: Event,
    /// Entries heard there that the viewer may see, oldest first (up to [`SHOWN_ENTRIES`]).
    pub entries: Vec<Entry>,
    pub today: NaiveDate,
}

impl EventView {
    /// The entries with a follow-up: what was decided after it.
    pub fn follow_ups(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.follow_up.is_some())
    }
}

/// An event by a typed or picked value, with its entries; `viewer` hides other members' private
/// entries (`None`: an admin, who sees all).
pub async fn show(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    typed: &str,
    viewer: Option<UserId>,
    now: DateTime<Utc>,
) -> ServiceResult<EventView> {
    let choice = resolve(store, rules, guild, typed, now).await?;
    let event = store.event(guild, choice.id).await?.ok_or_else(no_such_event)?;
    let entries = store.event_entries(guild, event.id, viewer, SHOWN_ENTRIES).await?;
    Ok(EventView { event, entries, today: rules.today(now) })
}

/// Links a saved entry to the event it was heard at.
pub async fn link(store: &dyn Store, guild: GuildId, entry: EntryId, event: EventId) -> ServiceResult<()> {
    if store.link_entry_event(guild, entry, event).await? {
        Ok(())
    } else {
        Err(no_such_event())
    }
}

/// The event an entry was heard at, if any.
pub async fn of_entry(
    store: &dyn Store,
    guild: GuildId,
    entry: EntryId,
) -> ServiceResult<Option<EventChoice>> {
    Ok(store.entry_event(guild, entry).await?)
}

/// Whether `user` organises the guild's event (`false` when there is no such event).
pub async fn is_organiser(
    store: &dyn Store,
    guild: GuildId,
    event: EventId,
    user: UserId,
) -> ServiceResult<bool> {
    Ok(store.event(guild, event).await?.is_some_and(|e| e.is_organiser(user)))
}

fn no_such_event() -> ServiceError {
    ServiceError::invalid("there is no such event in this server")
}

/// How far back the digest looks for events after which nothing was decided.
pub const UNDECIDED_LOOK_BACK_DAYS: u64 = 28;

/// The most entries read per event to count what was logged and decided there.
const COUNTED_ENTRIES: u32 = 10_000;

/// The digest's Events section for the period `[start, end)`, read in `timezone`: the events whose
/// last day fell in it, with what was logged and decided there, and the events that ended in the
/// four weeks up to its end with no follow-up added and nobody answering Nothing needed.
pub async fn digest_section(
    store: &dyn Store,
    guild: GuildId,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    timezone: chrono_tz::Tz,
) -> ServiceResult<crate::digest::Events> {
    use crate::digest::{Events, HeldEvent, UndecidedEvent};
    let first = start.with_timezone(&timezone).date_naive();
    let after = end.with_timezone(&timezone).date_naive();
    let since = after.checked_sub_days(chrono::Days::new(UNDECIDED_LOOK_BACK_DAYS)).unwrap_or(after);
    let mut out = Events::default();
    // One read of the events ended in the period or the look-back before its end, each counted
    // once: the period's are listed as held, and any of them nothing was decided after, too.
    for event in store.events_ended(guild, first.min(since), after).await? {
        let ends_on = event.dates.ends_on();
        let (logged, decided) = counted(store, &event).await?;
        if ends_on >= first {
            out.held.push(HeldEvent { name: event.name.to_string(), ends_on, logged, decided });
        }
        if ends_on >= since && decided == 0 {
            let prompts = store.event_prompts(guild, event.id).await?;
            if !prompts.iter().any(|p| p.nothing_needed_at.is_some()) {
                out.undecided.push(UndecidedEvent { name: event.name.to_string(), ends_on });
            }
        }
    }
    Ok(out)
}

/// Entries heard at an event (private ones counted: counts are never private), and how many of
/// them carry a follow-up: what the digest and a report say of it.
pub(crate) async fn counted(store: &dyn Store, event: &Event) -> ServiceResult<(u64, u64)> {
    let entries = store.event_entries(event.guild, event.id, None, COUNTED_ENTRIES).await?;
    let decided = entries.iter().filter(|e| e.follow_up.is_some()).count() as u64;
    Ok((entries.len() as u64, decided))
}
