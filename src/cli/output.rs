//! How entries and results read in a terminal, and as JSON for scripts.

use std::io::IsTerminal;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{CliError, CliResult};
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::domain::search::{HIGHLIGHT_END, HIGHLIGHT_START};
use crate::domain::words::count;
use crate::service::record::Record;

pub fn print_json(value: &impl Serialize) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Internal(e.into()))?;
    println!("{text}");
    Ok(())
}

/// An entry with the names a reader wants beside the keys a script wants.
#[derive(Debug, Serialize)]
pub struct EntryView {
    #[serde(flatten)]
    pub record: Record,
    /// For the text view; the JSON keeps the record's department, as exports do.
    #[serde(skip)]
    pub department_name: String,
    #[serde(skip)]
    pub also_department_names: Vec<String>,
    pub channel_name: String,
}

impl EntryView {
    pub fn new(entry: &Entry, rules: &Rules) -> Self {
        EntryView {
            record: Record::from(entry),
            department_name: rules.departments.display_name(&entry.department).to_string(),
            also_department_names: entry
                .also_departments
                .iter()
                .map(|d| rules.departments.display_name(d).to_string())
                .collect(),
            channel_name: rules.channels.display_name(&entry.channel).to_string(),
        }
    }

    pub fn long_text(&self) -> String {
        let r = &self.record;
        let mut out = format!("Entry #{}\n", r.id);
        let mut line = |label: &str, value: &str| {
            if !value.is_empty() {
                out.push_str(&format!("  {label:<11} {value}\n"));
            }
        };
        line("department", &self.department_name);
        line("also", &self.also_department_names.join(", "));
        line("partners", &r.partners.replace('\n', ", "));
        let formality = if r.informal == "true" { "informal" } else { "formal" };
        line("channel", &format!("{} ({formality})", self.channel_name));
        line("author", &format!("{} ({})", r.author_name, r.author_id));
        line("occurred", &r.occurred_at);
        line("recorded", &r.created_at);
        line("edited", &r.updated_at);
        line("tags", &r.tags);
        if !r.follow_up_status.is_empty() {
            let done = if r.follow_up_done_at.is_empty() {
                String::new()
            } else {
                format!(" at {}", r.follow_up_done_at)
            };
            line(
                "follow-up",
                &format!(
                    "{} by {} for user {}{done}",
                    r.follow_up_status, r.follow_up_due, r.follow_up_owner
                ),
            );
        }
        line("source", &r.source);
        if r.redactions != "0" {
            // The record holds the count as its CSV cell.
            let items = if r.redactions == "1" { "item" } else { "items" };
            line("redacted", &format!("{} {items}", r.redactions));
        }
        out.push('\n');
        for l in r.note.lines() {
            out.push_str("  ");
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

/// The one-line confirmation after `add`.
pub fn saved_line(entry: &Entry, rules: &Rules) -> String {
    let mut parts = vec![
        format!("Saved entry #{}", entry.id),
        rules.departments.display_name(&entry.department).to_string(),
        rules.channels.display_name(&entry.channel).to_string(),
    ];
    for d in &entry.also_departments {
        parts.push(format!("also {}", rules.departments.display_name(d)));
    }
    if !entry.partners.is_empty() {
        let names: Vec<&str> = entry.partners.iter().map(|p| p.name.as_str()).collect();
        parts.push(format!("partners: {}", names.join(", ")));
    }
    if !entry.tags.is_empty() {
        parts.push(format!("tags: {}", entry.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")));
    }
    if let Some(f) = &entry.follow_up {
        parts.push(format!("follow-up due {}", f.due.format("%a %-d %b %Y")));
    }
    if entry.redactions > 0 {
        parts.push(format!("{} redacted", count(entry.redactions, "item", "items")));
    }
    if entry.share == Share::Private {
        parts.push("private: only its author and admins see its text".to_string());
    }
    parts.join(" · ")
}

pub fn follow_up_line(entry: &Entry, rules: &Rules, today: chrono::NaiveDate) -> String {
    let Some(f) = &entry.follow_up else { return String::new() };
    let state = match f.status {
        FollowUpStatus::Done => "done",
        FollowUpStatus::Open if f.is_overdue(today) => "OVERDUE",
        FollowUpStatus::Open => "open",
    };
    format!(
        "#{:<6} {:<8} due {}  {:<22} owner {:<20} {}",
        entry.id,
        state,
        f.due,
        truncate(rules.departments.display_name(&entry.department), 22),
        f.owner,
        truncate(&entry.note.excerpt(60), 60)
    )
}

pub fn date(t: DateTime<Utc>, rules: &Rules) -> String {
    t.with_timezone(&rules.timezone).format("%Y-%m-%d").to_string()
}

/// A date and minute in the configured timezone: `2026-12-04 23:50`.
pub fn date_time(t: DateTime<Utc>, rules: &Rules) -> String {
    t.with_timezone(&rules.timezone).format("%Y-%m-%d %H:%M").to_string()
}

/// Cuts to `max` characters with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Turns the store's highlight markers into bold on a terminal, or `*word*` elsewhere.
pub fn highlight(snippet: &str) -> String {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (start, end) = if colour { ("\x1b[1m", "\x1b[0m") } else { ("*", "*") };
    snippet.replace(HIGHLIGHT_START, start).replace(HIGHLIGHT_END, end).replace('\n', " ")
}

/// Removes the markers, for JSON.
pub fn plain(snippet: &str) -> String {
    snippet.replace([HIGHLIGHT_START, HIGHLIGHT_END], "")
}
