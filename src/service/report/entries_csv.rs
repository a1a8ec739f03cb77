//! The report's entries as CSV: the export's columns, or LibInsight's, each entry counted for the
//! summary as it is written (`Tally`). Unlike the host's export,
//! this file goes to people in the guild, so it keeps what the guild keeps to itself out: a
//! private entry's text, every note where the guild shares no excerpts, and names where it shares
//! none. Each entry is still a row: it is counted everywhere.

use std::borrow::Cow;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use super::tally::Tally;
use super::{Format, Plan};
use crate::domain::channel::ChannelKey;
use crate::domain::entry::Entry;
use crate::domain::privacy::{PrivacySettings, Share};
use crate::domain::rules::Rules;
use crate::domain::tag::Tag;
use crate::domain::time_range::TimeRange;
use crate::service::pages::{for_each_page, Order};
use crate::service::record::{self, column, csv_line, neutralise, push_csv_cells, push_csv_line, COLUMNS};
use crate::service::ServiceResult;
use crate::store::{EntryFilter, Store};

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

/// Writes the plan's entries to `out`, `progress` getting how many so far; returns their counts.
pub async fn write(
    store: &dyn Store,
    rules: &Rules,
    plan: &Plan,
    out: &mut (dyn Write + Send),
    progress: &mut (dyn FnMut(u64) + Send),
) -> ServiceResult<Tally> {
    write_split_from(store, rules, plan, out, progress, SPLIT_FROM).await
}

/// [`write`], reading a period in two halves at once from `split_from` entries: what a test
/// needs to compare the two ways on a small period.
pub async fn write_split_from(
    store: &dyn Store,
    rules: &Rules,
    plan: &Plan,
    out: &mut (dyn Write + Send),
    progress: &mut (dyn FnMut(u64) + Send),
    split_from: u64,
) -> ServiceResult<Tally> {
    let header: &[&str] = match plan.format {
        Format::Csv => &COLUMNS,
        Format::LibInsight => &LIBINSIGHT_COLUMNS,
    };
    out.write_all(csv_line(header.iter().copied()).as_bytes())?;
    let mut tally = Tally::new(rules, &plan.scope);
    match &plan.partner {
        Some((_, entries)) => {
            rows(plan, rules, &mut *out, &mut tally)(entries)?;
            progress(entries.len() as u64);
        }
        // Oldest first: a report reads as the year went, and the time index pages a date range
        // cheaply (docs/benchmarks.md, "A year's report").
        None => match plan.filter.occurred.filter(|_| plan.total >= split_from) {
            Some(range) => in_two_halves(store, rules, plan, range, out, progress, &mut tally).await?,
            None => {
                let rows = rows(plan, rules, out, &mut tally);
                for_each_page(store, plan.guild, &plan.filter, Order::Time, progress, rows).await?;
            }
        },
    };
    out.flush()?;
    Ok(tally)
}

/// What a CSV row takes, on average: 336 bytes in the benchmark's year of realistic notes.
const ROW_BYTES: usize = 336;

/// Bytes to reserve for the file of `entries` rows: an eighth more than the average row needs, as
/// a reservation costs only address space until it is written, where outgrowing a year's buffer
/// copies all of it into one twice its size. A file of longer notes still grows.
pub fn room_for(entries: u64) -> usize {
    usize::try_from(entries).unwrap_or(usize::MAX).saturating_mul(ROW_BYTES / 8 * 9)
}

/// From how many entries a report's period is read in two halves at once: a few pages each.
pub const SPLIT_FROM: u64 = 5_000;

/// The period's first half written to `out` while its second half is read, on a connection of
/// its own, into memory and appended after: the database (PostgreSQL's server, SQLite's readers)
/// works on both halves at once, on both cores, where one walk waited for its pages one after
/// another (docs/benchmarks.md, "A year's report"). The report holds its file in memory anyway.
async fn in_two_halves(
    store: &dyn Store,
    rules: &Rules,
    plan: &Plan,
    range: TimeRange,
    out: &mut (dyn Write + Send),
    progress: &mut (dyn FnMut(u64) + Send),
    tally: &mut Tally,
) -> ServiceResult<()> {
    let middle = range.start + (range.end - range.start) / 2;
    let first = EntryFilter { occurred: Some(TimeRange::new(range.start, middle)), ..plan.filter.clone() };
    let second = EntryFilter { occurred: Some(TimeRange::new(middle, range.end)), ..plan.filter.clone() };
    let mut later: Vec<u8> = Vec::with_capacity(room_for(plan.total / 2));
    let mut later_tally = Tally::new(rules, &plan.scope);
    let done = [AtomicU64::new(0), AtomicU64::new(0)];
    let progress = Mutex::new(progress);
    let report = |half: usize, n: u64| {
        done[half].store(n, Ordering::Relaxed);
        let total = done[0].load(Ordering::Relaxed) + done[1].load(Ordering::Relaxed);
        if let Ok(mut progress) = progress.lock() {
            progress(total);
        }
    };
    let (mut report_first, mut report_second) = (|n| report(0, n), |n| report(1, n));
    let (a, b) = tokio::join!(
        for_each_page(
            store,
            plan.guild,
            &first,
            Order::Time,
            &mut report_first,
            rows(plan, rules, out, tally)
        ),
        for_each_page(
            store,
            plan.guild,
            &second,
            Order::Time,
            &mut report_second,
            rows(plan, rules, &mut later, &mut later_tally)
        ),
    );
    a?;
    b?;
    out.write_all(&later)?;
    tally.merge(later_tally);
    Ok(())
}

/// Writes pages of entries to `out` as CSV rows, in the plan's format, and counts them.
fn rows<'a>(
    plan: &'a Plan,
    rules: &'a Rules,
    out: &'a mut (dyn Write + Send),
    tally: &'a mut Tally,
) -> impl FnMut(&[Entry]) -> ServiceResult<()> + 'a {
    let mut lines = String::new();
    move |entries: &[Entry]| -> ServiceResult<()> {
        lines.clear();
        for e in entries {
            tally.add(e);
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
    }
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
