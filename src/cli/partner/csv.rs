//! The CSV of partners that `partner export` writes and `partner import` reads: one row per
//! partner, by name, header `name,kind,departments,owners,status,link,notes`. Departments (their
//! keys, or on import any name or alias) and owners (Discord user ids, the owner first) are
//! separated by `;`. Cells are neutralised against spreadsheet formulas as entry exports are, and
//! restored on import, so export, import, export gives the same bytes.

use crate::domain::partner::Partner;
use crate::service::record::{csv_line, neutralise};

pub const COLUMNS: [&str; 7] = ["name", "kind", "departments", "owners", "status", "link", "notes"];

/// Between departments, and between owners.
pub const SEPARATOR: char = ';';

/// A partner's row, `\n` included.
pub fn line(p: &Partner) -> String {
    let profile = &p.profile;
    let departments =
        profile.departments.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(&SEPARATOR.to_string());
    let owners =
        profile.owners.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(&SEPARATOR.to_string());
    let cells = [
        profile.name.as_str(),
        profile.kind.as_str(),
        &departments,
        &owners,
        profile.status.as_str(),
        profile.link.as_deref().unwrap_or(""),
        &profile.notes,
    ];
    let safe: Vec<String> = cells.iter().map(|c| neutralise(c).into_owned()).collect();
    csv_line(safe.iter().map(String::as_str))
}

pub fn header() -> String {
    csv_line(COLUMNS)
}
