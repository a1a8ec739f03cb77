//! The CSV of events that `event export` writes and `event import` reads: one row per event,
//! header `name,starts_on,ends_on,place,organisers,partners,departments,entries,created_by,created_at,
//! nothing_needed`.
//! Dates are the event's local days (`YYYY-MM-DD`); organisers and `created_by` are Discord user
//! ids; partners are named (ids differ between databases), one a line as in the entry export,
//! since a partner's name may hold a `;`; departments are keys; `entries` are the ids of the
//! entries heard there, which the entry import keeps; `nothing_needed` the organisers who
//! answered the post-event prompt with Nothing needed. Organisers, departments, entries and
//! `nothing_needed` are separated by `;`. Cells are neutralised against spreadsheet formulas as the other exports'
//! are, and restored on import, so export, import, export gives the same bytes.

use chrono::SecondsFormat;

use crate::domain::event::Event;
use crate::domain::ids::{EntryId, UserId};
use crate::service::record::{csv_line, neutralise, PARTNER_SEPARATOR};

pub const COLUMNS: [&str; 11] = [
    "name",
    "starts_on",
    "ends_on",
    "place",
    "organisers",
    "partners",
    "departments",
    "entries",
    "created_by",
    "created_at",
    "nothing_needed",
];

/// Between organisers, departments, entries and those who answered Nothing needed.
pub const SEPARATOR: char = ';';

/// Between partners' names.
pub const PARTNERS_SEPARATOR: char = PARTNER_SEPARATOR;

/// The form dates take in the file.
pub const DATE: &str = "%Y-%m-%d";

fn joined<T: ToString>(items: &[T], separator: char) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(&separator.to_string())
}

/// An event's row, with the entries heard at it and who answered Nothing needed, `\n` included.
pub fn line(e: &Event, entries: &[EntryId], nothing_needed: &[UserId]) -> String {
    let partners: Vec<&str> = e.partners.iter().map(|p| p.name.as_str()).collect();
    let departments: Vec<&str> = e.departments.iter().map(|d| d.as_str()).collect();
    let cells = [
        e.name.to_string(),
        e.dates.starts_on().format(DATE).to_string(),
        e.dates.ends_on().format(DATE).to_string(),
        e.place.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default(),
        joined(&e.organisers, SEPARATOR),
        joined(&partners, PARTNERS_SEPARATOR),
        joined(&departments, SEPARATOR),
        joined(entries, SEPARATOR),
        e.created_by.to_string(),
        e.created_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        joined(nothing_needed, SEPARATOR),
    ];
    let safe: Vec<String> = cells.iter().map(|c| neutralise(c).into_owned()).collect();
    csv_line(safe.iter().map(String::as_str))
}

pub fn header() -> String {
    csv_line(COLUMNS)
}
