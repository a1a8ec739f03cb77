//! `liaison impact import FILE [--dry-run]`: the objectives and impact stories of a CSV as `impact
//! export` writes it, into this database: after `import` has brought the entries (which keep
//! their ids). Every row is checked first, and every story's entry must be in the server; one bad
//! row and nothing is imported. An objective the server has already is skipped, and so is a story
//! already on its entry; an entry that has another story keeps it. So the import can be run again.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::BufReader;

use chrono::{DateTime, Utc};

use super::csv::COLUMNS;
use crate::cli::csv_rows;
pub use crate::cli::move_args::ImportArgs as Args;
use crate::cli::{CliError, CliResult, Context};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::impact::{Evidence, ImpactStory, ObjectiveName, Outcome};
use crate::domain::words;
use crate::service::impact::{self, Restored};
use crate::service::ServiceError;

/// A row of the file.
enum Row {
    Objective(ObjectiveName),
    Story(ImpactStory),
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let store = ctx.store.as_ref();
    let file = File::open(&args.file)
        .map_err(|e| CliError::User(format!("cannot open {}: {e}", args.file.display())))?;
    let rows = read(ctx.guild, BufReader::new(file))?;
    let mut missing = Vec::new();
    for (line, row) in &rows {
        if let Row::Story(s) = row {
            if store.entry(ctx.guild, s.entry).await.map_err(ServiceError::from)?.is_none() {
                missing.push((
                    *line,
                    format!("entry: there is no entry #{} in this server; import the entries first", s.entry),
                ));
            }
        }
    }
    if !missing.is_empty() {
        return Err(csv_rows::refused(missing));
    }
    let listed: HashSet<String> =
        impact::objectives(store, ctx.guild).await?.names().iter().map(ObjectiveName::key).collect();
    let (objectives, stories): (Vec<_>, Vec<_>) =
        rows.into_iter().map(|(_, row)| row).partition(|row| matches!(row, Row::Objective(_)));
    let new_objectives: Vec<ObjectiveName> = objectives
        .into_iter()
        .filter_map(|row| match row {
            Row::Objective(name) if !listed.contains(&name.key()) => Some(name),
            _ => None,
        })
        .collect();
    let name = args.file.display();
    if args.dry_run {
        println!(
            "{name} is good: would add {} and import up to {}",
            words::count(new_objectives.len(), "objective", "objectives"),
            words::count(stories.len(), "impact story", "impact stories")
        );
        return Ok(());
    }
    for objective in &new_objectives {
        impact::add_objective(store, ctx.guild, objective.as_str(), Utc::now()).await?;
    }
    let mut counts: HashMap<Restored, usize> = HashMap::new();
    for row in &stories {
        if let Row::Story(story) = row {
            *counts.entry(impact::restore(store, &ctx.config.rules, story).await?).or_default() += 1;
        }
    }
    let n = |r: Restored| counts.get(&r).copied().unwrap_or(0);
    let mut said = format!(
        "imported {} and {} from {name}",
        words::count(new_objectives.len(), "objective", "objectives"),
        words::count(n(Restored::Added), "impact story", "impact stories")
    );
    if n(Restored::AlreadyThere) > 0 {
        said.push_str(&format!("; skipped {} already there", n(Restored::AlreadyThere)));
    }
    if n(Restored::Kept) > 0 {
        said.push_str(&format!(
            "; {} kept the story marked on it here",
            words::count(n(Restored::Kept), "entry", "entries")
        ));
    }
    println!("{said}");
    Ok(())
}

/// Every row checked, with its line; or an error listing the bad rows.
fn read(guild: GuildId, input: impl std::io::Read) -> CliResult<Vec<(u64, Row)>> {
    let mut seen: HashMap<EntryId, u64> = HashMap::new();
    csv_rows::read(input, &COLUMNS, "impact import", |line, cell| {
        let row = row(guild, cell)?;
        if let Row::Story(story) = &row {
            if let Some(first) = seen.insert(story.entry, line) {
                return Err(vec![format!("entry: #{} has the story of line {first} already", story.entry)]);
            }
        }
        Ok(row)
    })
}

/// One row, column by column; every problem is reported, not only the first.
fn row(guild: GuildId, cell: &dyn Fn(&str) -> String) -> Result<Row, Vec<String>> {
    let mut errors = Vec::new();
    let objective = match ObjectiveName::parse(&cell("objective")) {
        Ok(name) => Some(name),
        Err(e) => {
            errors.push(format!("objective: {e}"));
            None
        }
    };
    let entry = cell("entry");
    if entry.trim().is_empty() {
        let rest = ["outcome", "evidence", "marked_by", "marked_at"];
        if let Some(column) = rest.iter().find(|c| !cell(c).trim().is_empty()) {
            errors.push(format!(
                "entry: empty, so the row is an objective of the list, yet its {column} is filled in"
            ));
        }
        return match objective {
            Some(name) if errors.is_empty() => Ok(Row::Objective(name)),
            _ => Err(errors),
        };
    }
    let entry = match entry.parse::<EntryId>() {
        Ok(id) if id.0 > 0 => Some(id),
        _ => {
            errors.push(format!("entry: \"{}\" is not an entry id", entry.trim()));
            None
        }
    };
    let outcome = match Outcome::parse(&cell("outcome")) {
        Ok(o) => Some(o),
        Err(e) => {
            errors.push(format!("outcome: {e}"));
            None
        }
    };
    let evidence = match cell("evidence").trim() {
        "" => Some(None),
        link => match Evidence::parse(link) {
            Ok(e) => Some(Some(e)),
            Err(e) => {
                errors.push(format!("evidence: {e}"));
                None
            }
        },
    };
    let marked_by = match cell("marked_by").trim().parse::<UserId>() {
        Ok(u) => Some(u),
        Err(_) => {
            errors.push(format!("marked_by: \"{}\" is not a Discord user id", cell("marked_by").trim()));
            None
        }
    };
    let marked_at = match DateTime::parse_from_rfc3339(cell("marked_at").trim()) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            errors.push(format!(
                "marked_at: \"{}\" is not an RFC 3339 time (2026-11-03T09:30:00Z)",
                cell("marked_at").trim()
            ));
            None
        }
    };
    match (objective, entry, outcome, evidence, marked_by, marked_at) {
        (Some(objective), Some(entry), Some(outcome), Some(evidence), Some(marked_by), Some(marked_at))
            if errors.is_empty() =>
        {
            Ok(Row::Story(ImpactStory { guild, entry, outcome, evidence, objective, marked_by, marked_at }))
        }
        _ => Err(errors),
    }
}
