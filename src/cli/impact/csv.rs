//! The CSV that `impact export` writes and `impact import` reads, header
//! `objective,entry,outcome,evidence,marked_by,marked_at`. The server's objectives come first, in
//! the order they were added, each a row with only `objective`; then a row per story, oldest
//! marked first: its objective (as it was marked, listed or not), the entry's id, what changed,
//! the evidence link, who marked it (a Discord user id) and when (RFC 3339). Cells are neutralised
//! against spreadsheet formulas as the other exports are, and restored on import, so export,
//! import, export gives the same bytes.

use chrono::{DateTime, SecondsFormat};

use crate::domain::impact::{ImpactStory, ObjectiveName};
use crate::service::record::{csv_line, neutralise};

pub const COLUMNS: [&str; 6] = ["objective", "entry", "outcome", "evidence", "marked_by", "marked_at"];

pub fn header() -> String {
    csv_line(COLUMNS)
}

/// An objective of the server's list, `\n` included.
pub fn objective_line(name: &ObjectiveName) -> String {
    line([name.as_str(), "", "", "", "", ""])
}

/// A story's row, `\n` included.
pub fn story_line(story: &ImpactStory) -> String {
    let entry = story.entry.to_string();
    let marked_by = story.marked_by.to_string();
    let marked_at = time(story.marked_at);
    line([
        story.objective.as_str(),
        &entry,
        story.outcome.as_str(),
        story.evidence.as_ref().map_or("", |e| e.as_str()),
        &marked_by,
        &marked_at,
    ])
}

fn line(cells: [&str; 6]) -> String {
    let safe = cells.map(|c| neutralise(c).into_owned());
    csv_line(safe.iter().map(String::as_str))
}

/// As the entries' export writes its times.
fn time(t: DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
