//! Events the library organises (an induction week, a research showcase, a stand at a fair): who
//! organised them, with which partners and for which departments, and what was heard there.

use super::date_style::DateStyle;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::department::{DepartmentCatalogue, DepartmentKey, DepartmentSpec};
use super::ids::{GuildId, UserId};
use super::partner::{name_key, PartnerId, PartnerLink};
use super::text::visible;

/// An event's id, assigned by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub i64);

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The longest event name, in characters (a Discord autocomplete choice holds 100).
pub const MAX_NAME_CHARS: usize = 100;
/// The longest place, in characters.
pub const MAX_PLACE_CHARS: usize = 100;
/// The most organisers, partners or departments one event has.
pub const MAX_LIST: usize = 10;

/// One line of visible text, trimmed, inner spacing collapsed.
fn one_line(raw: &str) -> String {
    visible(raw).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An event's name as people read it, checked: visible characters on one line, 1 to 100, with at
/// least one letter or digit. Not unique: the same event comes back every year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventName(String);

impl EventName {
    pub fn parse(raw: &str) -> Result<Self, EventError> {
        let name = one_line(raw);
        if name_key(&name).is_empty() {
            return Err(EventError::BlankName);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(EventError::NameTooLong);
        }
        Ok(EventName(name))
    }

    /// A name read back from the store, which checked it when it was written.
    pub fn from_stored(name: String) -> Self {
        EventName(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What typed names are compared by, as partners' are (`partner::name_key`).
    pub fn key(&self) -> String {
        name_key(&self.0)
    }
}

impl std::fmt::Display for EventName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an event took place: one line of visible text, 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Place(String);

impl Place {
    /// `None` for a blank place: an option left empty.
    pub fn parse(raw: &str) -> Result<Option<Self>, EventError> {
        let place = one_line(raw);
        if place.is_empty() {
            return Ok(None);
        }
        if place.chars().count() > MAX_PLACE_CHARS {
            return Err(EventError::PlaceTooLong);
        }
        Ok(Some(Place(place)))
    }

    pub fn from_stored(place: String) -> Self {
        Place(place)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The local days an event runs over, first to last: never ending before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventDates {
    starts_on: NaiveDate,
    ends_on: NaiveDate,
}

impl EventDates {
    /// `end` defaults to `start`: a one-day event.
    pub fn new(start: NaiveDate, end: Option<NaiveDate>) -> Result<Self, EventError> {
        let ends_on = end.unwrap_or(start);
        if ends_on < start {
            return Err(EventError::EndsBeforeStart);
        }
        Ok(EventDates { starts_on: start, ends_on })
    }

    /// Dates read back from the store, which checked them when they were written (and whose
    /// tables refuse an end before the start).
    pub fn from_stored(starts_on: NaiveDate, ends_on: NaiveDate) -> Self {
        EventDates { starts_on, ends_on: ends_on.max(starts_on) }
    }

    pub fn starts_on(&self) -> NaiveDate {
        self.starts_on
    }

    pub fn ends_on(&self) -> NaiveDate {
        self.ends_on
    }

    /// Upcoming or under way on `today`.
    pub fn is_upcoming(&self, today: NaiveDate) -> bool {
        self.ends_on >= today
    }

    /// `3 Dec 2026`, or `3 Dec 2026 to 5 Dec 2026`.
    pub fn describe(&self) -> String {
        self.describe_in(DateStyle::default())
    }

    /// As [`describe`](Self::describe), written in `dates`: `Dec 3, 2026` for en-US.
    pub fn describe_in(&self, dates: DateStyle) -> String {
        let day = |d: NaiveDate| dates.day(d);
        if self.starts_on == self.ends_on {
            day(self.starts_on)
        } else {
            format!("{} to {}", day(self.starts_on), day(self.ends_on))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("an event needs a name")]
    BlankName,
    #[error("an event's name is at most {MAX_NAME_CHARS} characters")]
    NameTooLong,
    #[error("a place is at most {MAX_PLACE_CHARS} characters")]
    PlaceTooLong,
    #[error("an event cannot end before it starts")]
    EndsBeforeStart,
    #[error("an event has at most {MAX_LIST} organisers, partners and departments each")]
    TooMany,
}

/// An event not stored yet. Its lists hold no duplicates, in the order first given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub guild: GuildId,
    pub name: EventName,
    pub dates: EventDates,
    /// Never empty: whoever adds an event organises it unless they name others.
    pub organisers: Vec<UserId>,
    pub partners: Vec<PartnerId>,
    pub departments: Vec<DepartmentKey>,
    pub place: Option<Place>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// What an event is, as typed, before it is checked into a [`NewEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub guild: GuildId,
    pub name: EventName,
    pub dates: EventDates,
    /// Empty: the creator.
    pub organisers: Vec<UserId>,
    pub partners: Vec<PartnerId>,
    pub departments: Vec<DepartmentKey>,
    pub place: Option<Place>,
}

impl NewEvent {
    pub fn new(draft: EventDraft, created_by: UserId, created_at: DateTime<Utc>) -> Result<Self, EventError> {
        let mut organisers = unique(draft.organisers);
        if organisers.is_empty() {
            organisers.push(created_by);
        }
        let partners = unique(draft.partners);
        let departments = unique(draft.departments);
        if organisers.len() > MAX_LIST || partners.len() > MAX_LIST || departments.len() > MAX_LIST {
            return Err(EventError::TooMany);
        }
        Ok(NewEvent {
            guild: draft.guild,
            name: draft.name,
            dates: draft.dates,
            organisers,
            partners,
            departments,
            place: draft.place,
            created_by,
            created_at,
        })
    }
}

fn unique<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: EventId,
    pub guild: GuildId,
    pub name: EventName,
    pub dates: EventDates,
    pub organisers: Vec<UserId>,
    /// With their names when the event was read, in the order given.
    pub partners: Vec<PartnerLink>,
    pub departments: Vec<DepartmentKey>,
    pub place: Option<Place>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl Event {
    pub fn is_organiser(&self, user: UserId) -> bool {
        self.organisers.contains(&user)
    }

    pub fn choice(&self) -> EventChoice {
        EventChoice { id: self.id, name: self.name.clone(), dates: self.dates }
    }
}

/// An event as a picker offers it: enough to tell this year's induction from last year's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventChoice {
    pub id: EventId,
    pub name: EventName,
    pub dates: EventDates,
}

impl EventChoice {
    /// `Induction week (3 Dec 2026)`, cut to fit an autocomplete choice (100 characters) by
    /// shortening the name, never the date.
    pub fn label(&self) -> String {
        let date = format!(" ({})", self.dates.describe());
        let room = 100usize.saturating_sub(date.chars().count());
        let name: String = if self.name.as_str().chars().count() > room {
            let mut cut: String = self.name.as_str().chars().take(room.saturating_sub(1)).collect();
            cut.push('…');
            cut
        } else {
            self.name.as_str().to_string()
        };
        format!("{name}{date}")
    }
}

/// A guild's recent and upcoming events as a fuzzy index, for autocomplete and for a typed name:
/// the department catalogue's matching (one implementation of fuzzy matching, not two) over each
/// event's label, so that two years' `Induction week` stay apart. The order given (the store's:
/// nearest to today first) breaks ties.
#[derive(Debug, Clone)]
pub struct EventIndex {
    choices: Vec<EventChoice>,
    labels: Vec<String>,
    catalogue: Option<DepartmentCatalogue>,
}

impl EventIndex {
    pub fn new(choices: Vec<EventChoice>) -> Self {
        let mut kept: Vec<EventChoice> = Vec::with_capacity(choices.len());
        let mut labels: Vec<String> = Vec::with_capacity(choices.len());
        for choice in choices {
            let label = choice.label();
            // Two events of one name on one day read alike; the first (nearest) is offered.
            if labels.iter().any(|l| name_key(l) == name_key(&label)) {
                continue;
            }
            labels.push(label);
            kept.push(choice);
        }
        let catalogue = DepartmentCatalogue::new(
            labels.iter().map(|l| DepartmentSpec { name: l.clone(), aliases: Vec::new() }).collect(),
        )
        .ok();
        EventIndex { choices: kept, labels, catalogue }
    }

    fn by_label(&self, label: &str) -> Option<&EventChoice> {
        self.labels.iter().position(|l| l == label).map(|n| &self.choices[n])
    }

    /// Up to `limit` events for a partial name: prefixes first, then word prefixes, then fuzzy
    /// matches; an empty input lists them nearest first.
    pub fn autocomplete(&self, partial: &str, limit: usize) -> Vec<&EventChoice> {
        if partial.trim().is_empty() {
            return self.choices.iter().take(limit).collect();
        }
        let Some(catalogue) = &self.catalogue else { return Vec::new() };
        // The catalogue finds the matches; they are ranked here, so that among equally good ones
        // the nearest event comes first rather than the first by name.
        let query = name_key(partial);
        let tier = |c: &EventChoice| {
            let key = c.name.key();
            if key.starts_with(&query) {
                0
            } else if c.name.as_str().split_whitespace().any(|w| name_key(w).starts_with(&query)) {
                1
            } else {
                2
            }
        };
        let mut found: Vec<(u8, usize)> = catalogue
            .autocomplete(partial, self.labels.len())
            .into_iter()
            .filter_map(|l| self.labels.iter().position(|x| x == l))
            .map(|n| (tier(&self.choices[n]), n))
            .collect();
        found.sort_unstable();
        found.into_iter().take(limit).map(|(_, n)| &self.choices[n]).collect()
    }

    /// The event a typed value names: its id (what a picked choice sends), its exact label, or
    /// the one event whose name has the typed name's key (the nearest, when several do).
    pub fn find(&self, typed: &str) -> Option<&EventChoice> {
        let typed = typed.trim();
        if let Ok(id) = typed.parse::<i64>() {
            if let Some(found) = self.choices.iter().find(|c| c.id.0 == id) {
                return Some(found);
            }
        }
        if let Some(found) = self.by_label(typed) {
            return Some(found);
        }
        let key = name_key(typed);
        self.choices.iter().find(|c| !key.is_empty() && c.name.key() == key)
    }

    pub fn is_empty(&self) -> bool {
        self.choices.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn names_are_one_visible_line_of_at_most_a_hundred_characters() {
        assert_eq!(
            EventName::parse("  Research \u{200B}showcase\n2026 ").unwrap().as_str(),
            "Research showcase 2026"
        );
        assert_eq!(EventName::parse(" -- "), Err(EventError::BlankName));
        assert_eq!(EventName::parse(&"x".repeat(101)), Err(EventError::NameTooLong));
        assert!(EventName::parse(&"x".repeat(100)).is_ok());
        assert_eq!(Place::parse("  "), Ok(None));
        assert_eq!(Place::parse(" Main  Library ").unwrap().unwrap().as_str(), "Main Library");
        assert_eq!(Place::parse(&"p".repeat(101)), Err(EventError::PlaceTooLong));
    }

    #[test]
    fn an_event_never_ends_before_it_starts_and_lasts_a_day_by_default() {
        assert_eq!(EventDates::new(day(3), Some(day(2))), Err(EventError::EndsBeforeStart));
        let one = EventDates::new(day(3), None).unwrap();
        assert_eq!((one.starts_on(), one.ends_on()), (day(3), day(3)));
        assert_eq!(one.describe(), "3 Dec 2026");
        let two = EventDates::new(day(3), Some(day(5))).unwrap();
        assert_eq!(two.describe(), "3 Dec 2026 to 5 Dec 2026");
        assert!(two.is_upcoming(day(5)) && !two.is_upcoming(day(6)));
    }

    #[test]
    fn whoever_adds_an_event_organises_it_unless_they_name_others() {
        let draft = EventDraft {
            guild: GuildId(1),
            name: EventName::parse("Fair").unwrap(),
            dates: EventDates::new(day(3), None).unwrap(),
            organisers: Vec::new(),
            partners: vec![PartnerId(4), PartnerId(4)],
            departments: Vec::new(),
            place: None,
        };
        let now = Utc::now();
        let e = NewEvent::new(draft.clone(), UserId(9), now).unwrap();
        assert_eq!((e.organisers, e.partners), (vec![UserId(9)], vec![PartnerId(4)]));
        let named = EventDraft { organisers: vec![UserId(2), UserId(3), UserId(2)], ..draft.clone() };
        assert_eq!(NewEvent::new(named, UserId(9), now).unwrap().organisers, vec![UserId(2), UserId(3)]);
        let crowded = EventDraft { organisers: (1..=11).map(UserId).collect(), ..draft };
        assert_eq!(NewEvent::new(crowded, UserId(9), now), Err(EventError::TooMany));
    }

    fn choice(id: i64, name: &str, d: u32) -> EventChoice {
        EventChoice {
            id: EventId(id),
            name: EventName::parse(name).unwrap(),
            dates: EventDates::new(day(d), None).unwrap(),
        }
    }

    #[test]
    fn events_autocomplete_by_name_nearest_first_and_are_found_by_id_or_name() {
        let index = EventIndex::new(vec![
            choice(1, "Induction week", 10),
            choice(2, "Research showcase", 2),
            choice(3, "Induction week", 1),
        ]);
        let ids = |found: Vec<&EventChoice>| found.into_iter().map(|c| c.id.0).collect::<Vec<_>>();
        assert_eq!(ids(index.autocomplete("induc", 25)), vec![1, 3]);
        assert_eq!(ids(index.autocomplete("showcase", 25)), vec![2]);
        assert_eq!(ids(index.autocomplete("reserch", 25)), vec![2]);
        assert_eq!(ids(index.autocomplete("", 2)), vec![1, 2]);
        assert_eq!(index.find("3").map(|c| c.id.0), Some(3));
        assert_eq!(index.find("induction  WEEK").map(|c| c.id.0), Some(1), "the nearest of a name");
        assert_eq!(index.find("Induction week (1 Dec 2026)").map(|c| c.id.0), Some(3));
        assert!(index.find("Gala").is_none());
        assert!(EventIndex::new(Vec::new()).autocomplete("x", 5).is_empty());
    }

    #[test]
    fn a_long_name_is_cut_to_keep_its_date_in_a_choice() {
        let long = choice(1, &"n".repeat(100), 3).label();
        assert_eq!(long.chars().count(), 100);
        assert!(long.ends_with("… (3 Dec 2026)"));
    }
}
