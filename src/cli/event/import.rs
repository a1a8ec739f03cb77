//! `liaison event import FILE [--dry-run]`: events from a CSV as `event export` writes it, into
//! the database their partners and entries were moved to first (`partner import`, then
//! `import`). Every row is checked before any is written: its fields with the domain's parsers,
//! its partners by name and its entries by id in this server; one bad row and nothing is
//! imported, and the error names each bad row by line. An event the server has already (the same
//! name ignoring case and accents, and the same dates) is skipped, except that entries of the
//! file not yet linked to any event are linked to it, so the import can be run again after a stop.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;

use chrono::{DateTime, NaiveDate, Utc};

use super::csv::{COLUMNS, DATE, PARTNERS_SEPARATOR, SEPARATOR};
use crate::cli::csv_rows::{self, Problem};
pub use crate::cli::move_args::ImportArgs as Args;
use crate::cli::progress::{self, Kind};
use crate::cli::{CliError, CliResult, Context};
use crate::domain::event::{EventDates, EventDraft, EventName, NewEvent, Place};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::{name_key, PartnerId};
use crate::domain::rules::Rules;
use crate::domain::words;
use crate::service::event_moves::{self, key, EventKey, MovedEvent};
use crate::service::ServiceError;

/// A row checked on its own, before its partners and entries are looked up in the server.
struct Row {
    line: u64,
    event: NewEvent,
    partners: Vec<String>,
    entries: Vec<EntryId>,
    nothing_needed: Vec<UserId>,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let file = File::open(&args.file)
        .map_err(|e| CliError::User(format!("cannot open {}: {e}", args.file.display())))?;
    let (rows, mut problems) = read(&ctx.config.rules, ctx.guild, BufReader::new(file))?;
    let moved = found_here(ctx, rows, &mut problems).await?;
    if !problems.is_empty() {
        return Err(csv_rows::refused(problems));
    }
    let store = ctx.store.as_ref();
    let existing = event_moves::existing(store, ctx.guild).await?;
    let (new, skipped): (Vec<_>, Vec<_>) =
        moved.into_iter().partition(|(_, m)| !existing.contains_key(&key(&m.event.name, &m.event.dates)));
    let file = args.file.display();
    if args.dry_run {
        let entries: usize = new.iter().map(|(_, m)| m.entries.len()).sum();
        println!(
            "{file} is good: would import {} (with {} heard there) and skip {} already in the server",
            events_count(new.len()),
            words::count(entries, "entry", "entries"),
            skipped.len()
        );
        return Ok(());
    }
    let total = new.len();
    let bar = progress::start(
        Kind::Bar((total + skipped.len()) as u64),
        "importing",
        progress::stdout_is_terminal(),
    );
    let stopped = |done: usize, line: u64, e: ServiceError| {
        CliError::User(format!(
            "stopped after {done} of {}, at line {line}: {e}; the events imported stay, and running \
             the import again skips them and finishes what was left",
            events_count(total)
        ))
    };
    // Those already here first: an import run again finishes linking them before adding more.
    for (line, moved) in &skipped {
        if let Some(event) = existing.get(&key(&moved.event.name, &moved.event.dates)) {
            event_moves::complete(store, &ctx.config, event, moved, Utc::now())
                .await
                .map_err(|e| stopped(0, *line, e))?;
        }
        bar.inc(1);
    }
    for (done, (line, moved)) in new.iter().enumerate() {
        event_moves::add(store, &ctx.config, moved, Utc::now()).await.map_err(|e| stopped(done, *line, e))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    match skipped.len() {
        0 => println!("imported {} from {file}", events_count(total)),
        n => println!("imported {} from {file}; skipped {n} already in the server", events_count(total)),
    }
    Ok(())
}

fn events_count(n: usize) -> String {
    words::count(n, "event", "events")
}

/// The rows with their partners found by name and their entries by id in this server; a row
/// naming what the server lacks is a problem that says what to import first.
async fn found_here(
    ctx: &Context,
    rows: Vec<Row>,
    problems: &mut Vec<(u64, String)>,
) -> CliResult<Vec<(u64, MovedEvent)>> {
    let store = ctx.store.as_ref();
    let partners: HashMap<String, PartnerId> = store
        .partner_names(ctx.guild)
        .await
        .map_err(ServiceError::from)?
        .into_iter()
        .map(|p| (p.name.key(), p.id))
        .collect();
    let mut linked: HashMap<EntryId, u64> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for mut row in rows {
        let mut errors = Vec::new();
        for name in &row.partners {
            match partners.get(&name_key(name)) {
                Some(&id) if row.event.partners.contains(&id) => {}
                Some(&id) => row.event.partners.push(id),
                None => errors.push(format!(
                    "partners: no partner called \"{name}\" in this server; import partners first \
                     (liaison partner import)"
                )),
            }
        }
        for &entry in &row.entries {
            if let Some(first) = linked.insert(entry, row.line) {
                errors.push(format!("entries: entry {entry} is at the event of line {first} too"));
            } else if store.entry_author(ctx.guild, entry).await.map_err(ServiceError::from)?.is_none() {
                errors.push(format!(
                    "entries: no entry {entry} in this server; import the entries first (liaison import)"
                ));
            }
        }
        if errors.is_empty() {
            let moved =
                MovedEvent { event: row.event, entries: row.entries, nothing_needed: row.nothing_needed };
            out.push((row.line, moved));
        } else {
            problems.push((row.line, errors.join("; ")));
        }
    }
    Ok(out)
}

/// Every row checked on its own, with its line, and the problems found (by line).
type Read = (Vec<Row>, Vec<Problem>);

fn read(rules: &Rules, guild: GuildId, input: impl std::io::Read) -> CliResult<Read> {
    let mut seen: HashMap<EventKey, u64> = HashMap::new();
    let (rows, problems) = csv_rows::check_rows(input, &COLUMNS, "event import", |line, cell| {
        let row = row(rules, guild, line, cell)?;
        let k = key(&row.event.name, &row.event.dates);
        if let Some(first) = seen.get(&k) {
            return Err(vec![format!(
                "name: \"{}\" on the same dates is the event of line {first} again",
                row.event.name
            )]);
        }
        seen.insert(k, line);
        Ok(row)
    })?;
    Ok((rows.into_iter().map(|(_, row)| row).collect(), problems))
}

/// The cells of a list column, blanks left out.
fn items(cell: &str, separator: char) -> impl Iterator<Item = &str> {
    cell.split(separator).map(str::trim).filter(|s| !s.is_empty())
}

/// One row, column by column, with its partners' names and its entries' ids still to be found
/// here; every problem is reported, not only the first.
fn row(rules: &Rules, guild: GuildId, line: u64, cell: &dyn Fn(&str) -> String) -> Result<Row, Vec<String>> {
    let mut errors = Vec::new();
    // Redacted as `/event add` redacts them; text liaison already redacted comes through as it is.
    let name = match EventName::parse(&rules.redactor.redact(&cell("name")).text) {
        Ok(n) => Some(n),
        Err(e) => {
            errors.push(format!("name: {e}"));
            None
        }
    };
    let mut date = |column: &str| {
        let typed = cell(column);
        match NaiveDate::parse_from_str(typed.trim(), DATE) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(format!("{column}: \"{}\" is not a date (2026-11-03)", typed.trim()));
                None
            }
        }
    };
    let (starts_on, ends_on) = (date("starts_on"), date("ends_on"));
    let dates = match (starts_on, ends_on) {
        (Some(s), Some(e)) => match EventDates::new(s, Some(e)) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(format!("ends_on: {e}"));
                None
            }
        },
        _ => None,
    };
    let place = match Place::parse(&rules.redactor.redact(&cell("place")).text) {
        Ok(p) => p,
        Err(e) => {
            errors.push(format!("place: {e}"));
            None
        }
    };
    let mut user = |column: &str, typed: &str| match typed.parse::<UserId>() {
        Ok(u) => Some(u),
        Err(_) => {
            errors.push(format!("{column}: \"{typed}\" is not a Discord user id"));
            None
        }
    };
    let organisers_cell = cell("organisers");
    let organisers: Vec<UserId> =
        items(&organisers_cell, SEPARATOR).filter_map(|typed| user("organisers", typed)).collect();
    let created_by = user("created_by", cell("created_by").trim());
    let decided_cell = cell("nothing_needed");
    let nothing_needed: Vec<UserId> =
        items(&decided_cell, SEPARATOR).filter_map(|typed| user("nothing_needed", typed)).collect();
    let partners: Vec<String> = items(&cell("partners"), PARTNERS_SEPARATOR).map(str::to_string).collect();
    let mut departments = Vec::new();
    for typed in items(&cell("departments"), SEPARATOR) {
        match rules.departments.resolve(typed) {
            Ok(d) => departments.push(d.key().clone()),
            Err(e) => errors.push(format!("departments: {e}")),
        }
    }
    let mut entries = Vec::new();
    for typed in items(&cell("entries"), SEPARATOR) {
        match typed.parse::<i64>() {
            Ok(id) if id > 0 => {
                let id = EntryId(id);
                if entries.contains(&id) {
                    errors.push(format!("entries: {id} is named twice"));
                } else {
                    entries.push(id);
                }
            }
            _ => errors.push(format!("entries: \"{typed}\" is not an entry id")),
        }
    }
    let created_at_cell = cell("created_at");
    let created_at = match DateTime::parse_from_rfc3339(created_at_cell.trim()) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            errors.push(format!(
                "created_at: \"{}\" is not an RFC 3339 time (2026-11-03T09:30:00Z)",
                created_at_cell.trim()
            ));
            None
        }
    };
    let (Some(name), Some(dates), Some(created_by), Some(created_at)) = (name, dates, created_by, created_at)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    // Partners are found in this server afterwards; the lists' length is checked with them here.
    let draft = EventDraft { guild, name, dates, organisers, partners: Vec::new(), departments, place };
    let event = NewEvent::new(draft, created_by, created_at).map_err(|e| vec![e.to_string()])?;
    if partners.len() > crate::domain::event::MAX_LIST {
        return Err(vec![crate::domain::event::EventError::TooMany.to_string()]);
    }
    if let Some(other) = nothing_needed.iter().find(|u| !event.organisers.contains(u)) {
        return Err(vec![format!("nothing_needed: {other} is not one of the organisers")]);
    }
    Ok(Row { line, event, partners, entries, nothing_needed })
}
