//! The report's entries as CSV: the export's columns, or LibInsight's. Unlike the host's export,
//! this file goes to people in the guild, so it keeps what the guild keeps to itself out: a
//! private entry's text, every note where the guild shares no excerpts, and names where it shares
//! none. Each entry is still a row: it is counted everywhere.

use std::borrow::Cow;
use std::io::Write;

use super::{Format, Plan};
use crate::domain::channel::ChannelKey;
use crate::domain::entry::Entry;
use crate::domain::privacy::{PrivacySettings, Share};
use crate::domain::rules::Rules;
use crate::domain::tag::Tag;
use crate::service::pages::{for_each_page, Order};
use crate::service::record::{self, column, csv_line, neutralise, push_csv_cells, push_csv_line, COLUMNS};
use crate::service::ServiceResult;
use crate::store::Store;

/// The LibInsight columns, in order: a custom dataset maps each to a field on import. Date and
/// time are the guild's local ones, as LibInsight records a transaction's.
pub const LIBINSIGHT_COLUMNS: [&str; 10] = [
    "Date",
    "Time",
    "Department",
    "Contact Type",
    "Formality",
    "Tags",
    "Notes",
    "Follow-up",
    "Partners",
    "Entry ID",
];

pub async fn write(
    store: &dyn Store,
    rules: &Rules,
    plan: &Plan,
    out: &mut (dyn Write + Send),
    progress: &mut (dyn FnMut(u64) + Send),
) -> ServiceResult<u64> {
    let header: &[&str] = match plan.format {
        Format::Csv => &COLUMNS,
        Format::LibInsight => &LIBINSIGHT_COLUMNS,
    };
    out.write_all(csv_line(header.iter().copied()).as_bytes())?;
    let mut lines = String::new();
    let mut rows = |entries: &[Entry]| -> ServiceResult<()> {
        lines.clear();
        for e in entries {
            match plan.format {
                Format::Csv => push_csv_cells(&mut lines, &shared_cells(e, &plan.privacy)),
                Format::LibInsight => {
                    let cells = libinsight_cells(e, rules, &plan.privacy);
                    let cells = cells.each_ref().map(|c| neutralise(c));
                    push_csv_line(&mut lines, cells.iter().map(AsRef::as_ref))
                }
            };
        }
        out.write_all(lines.as_bytes())?;
        Ok(())
    };
    let n = match &plan.partner {
        Some((_, entries)) => {
            rows(entries)?;
            progress(entries.len() as u64);
            entries.len() as u64
        }
        // Oldest first: a report reads as the year went, and the time index pages a date range
        // cheaply (docs/benchmarks.md, "A year's report").
        None => for_each_page(store, plan.guild, &plan.filter, Order::Time, progress, rows).await?,
    };
    out.flush()?;
    Ok(n)
}

/// Whether the entry's note may go in the file.
fn note_shared(e: &Entry, privacy: &PrivacySettings) -> bool {
    privacy.excerpts && e.share == Share::Team
}

/// The export's cells with what the guild does not share left empty.
pub fn shared_cells<'e>(e: &'e Entry, privacy: &PrivacySettings) -> [Cow<'e, str>; 22] {
    let mut cells = record::cells(e);
    let mut withhold = |columns: &[usize]| columns.iter().for_each(|&c| cells[c] = Cow::Borrowed(""));
    if !note_shared(e, privacy) {
        withhold(&[column::NOTE, column::SOURCE]);
    }
    if !privacy.names {
        withhold(&[column::AUTHOR_ID, column::AUTHOR_NAME, column::FOLLOW_UP_OWNER]);
    }
    cells
}

fn libinsight_cells(e: &Entry, rules: &Rules, privacy: &PrivacySettings) -> [String; 10] {
    let local = e.occurred_at.with_timezone(&rules.timezone);
    let department = match rules.departments.by_key(&e.department) {
        Some(d) => d.name().to_string(),
        None => e.department.as_str().to_string(),
    };
    let channel = match rules.channels.by_key(&ChannelKey::from_stored(e.channel.as_str())) {
        Some(c) => c.name().to_string(),
        None => e.channel.as_str().to_string(),
    };
    let follow_up = match &e.follow_up {
        None => String::new(),
        Some(f) => match f.done_at {
            Some(done) => format!(
                "{} (due {}, done {})",
                f.status.as_str(),
                f.due,
                done.with_timezone(&rules.timezone).date_naive()
            ),
            None => format!("{} (due {})", f.status.as_str(), f.due),
        },
    };
    [
        local.format("%Y-%m-%d").to_string(),
        local.format("%H:%M").to_string(),
        department,
        channel,
        if e.informal { "Informal" } else { "Formal" }.to_string(),
        e.tags.iter().map(Tag::as_str).collect::<Vec<_>>().join(", "),
        if note_shared(e, privacy) { e.note.as_str().to_string() } else { String::new() },
        follow_up,
        e.partners.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "),
        e.id.to_string(),
    ]
}
