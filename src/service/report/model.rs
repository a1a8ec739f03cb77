//! What a report's summary holds: its counts, what is around them, the events held and impact
//! stories. Filled by `summary` (with `tally`'s counts), drawn by `charts`, written by `summary`.

use chrono::NaiveDate;

use super::Scope;
use crate::domain::ids::EntryId;
use crate::domain::stats::Count;

/// Entries in one calendar month of the report (the report's days of it only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    /// The month's first day.
    pub month: NaiveDate,
    pub formal: u64,
    pub informal: u64,
}

/// An event whose last day is in the report's days (`highlights::events`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventHeld {
    pub name: String,
    pub date: NaiveDate,
    /// Entries logged at it.
    pub entries: u64,
}

/// An impact story of an entry the report covers (`highlights::impact`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactStory {
    pub entry: EntryId,
    /// What changed; `None` where the report leaves the entry's text out (a private entry, or a
    /// guild that shares no excerpts).
    pub outcome: Option<String>,
    pub objective: Option<String>,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    pub scope: Scope,
    pub department: Option<String>,
    /// The partner's name, for a report about one.
    pub partner: Option<String>,
    pub total: u64,
    pub informal: u64,
    /// The period of the same length just before, and its total; `None` for all time.
    pub previous: Option<(Scope, u64)>,
    /// Labels are department names; an entry counts under each department it names.
    pub by_department: Vec<Count>,
    /// Labels are channel names; `key` the channel's key.
    pub by_channel: Vec<Count>,
    /// Partners with an entry in the report's days (of the whole guild), most first.
    pub partners: Vec<Count>,
    pub follow_ups_closed: u64,
    pub months: Vec<MonthCount>,
    pub hide_small_counts: bool,
    /// Events held in its days.
    pub events: Vec<EventHeld>,
    /// Impact stories of its entries.
    pub impact: Vec<ImpactStory>,
}

/// What the summary tells besides its entries' own counts: read from the store while the
/// entries are written and counted (`Tally`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Around {
    /// The period before, and how many entries it held.
    pub previous: Option<(Scope, u64)>,
    pub partners: Vec<Count>,
    pub follow_ups_closed: u64,
    pub events: Vec<EventHeld>,
    pub impact: Vec<ImpactStory>,
}
