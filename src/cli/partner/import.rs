//! `liaison partner import FILE [--dry-run]`: partners from a CSV as `partner export` writes it
//! (or as a LibConnect admin puts one together for a first set-up). Every row is checked before
//! any is written; one bad row and nothing is imported, and the error names each bad row by line
//! and column. A partner whose name (ignoring case and accents) the server has already is skipped,
//! never overwritten: the import is for setting up, and leaves what members edited since alone,
//! so it can be run again (`partner edit` changes a partner).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::BufReader;

use chrono::Utc;

use super::csv::{COLUMNS, SEPARATOR};
use super::{CliError, CliResult, Context, ACTOR};
use crate::cli::csv_rows;
pub use crate::cli::move_args::ImportArgs as Args;
use crate::domain::ids::UserId;
use crate::domain::partner::{
    PartnerKind, PartnerName, PartnerStatus, MAX_LINK_CHARS, MAX_NOTES_CHARS, MAX_OWNERS,
};
use crate::domain::rules::Rules;
use crate::domain::text::visible;
use crate::domain::words;
use crate::service::partners::{self, Added, PartnerInput};

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let file = File::open(&args.file)
        .map_err(|e| CliError::User(format!("cannot open {}: {e}", args.file.display())))?;
    let rows = read(&ctx.config.rules, BufReader::new(file))?;
    let existing: HashSet<String> = partners_names(ctx).await?;
    let (new, skipped): (Vec<_>, Vec<_>) =
        rows.into_iter().partition(|(_, input)| !existing.contains(&key_of(&input.name)));
    let skipped = skipped.len();
    let file = args.file.display();
    if args.dry_run {
        println!(
            "{file} is good: would import {} and skip {skipped} already in the server",
            partners_count(new.len())
        );
        return Ok(());
    }
    let total = new.len();
    for (done, (line, input)) in new.into_iter().enumerate() {
        let added = partners::add(
            ctx.store.as_ref(),
            &ctx.config.rules,
            ctx.guild,
            ACTOR.user,
            input,
            true,
            Utc::now(),
        )
        .await;
        match added {
            Ok(Added::Added(_)) => {}
            // `even_if_close` adds it anyway; kept for a service that one day says otherwise.
            Ok(Added::Close(_)) => {}
            Err(e) => {
                return Err(CliError::User(format!(
                    "stopped after {done} of {}, at line {line}: {e}; the partners \
                     imported stay, and running the import again skips them",
                    partners_count(total)
                )))
            }
        }
    }
    match skipped {
        0 => println!("imported {} from {file}", partners_count(total)),
        n => println!("imported {} from {file}; skipped {n} already in the server", partners_count(total)),
    }
    Ok(())
}

fn partners_count(n: usize) -> String {
    words::count(n, "partner", "partners")
}

fn key_of(name: &str) -> String {
    crate::domain::partner::name_key(name)
}

async fn partners_names(ctx: &Context) -> CliResult<HashSet<String>> {
    let names = ctx.store.partner_names(ctx.guild).await.map_err(crate::service::ServiceError::from)?;
    Ok(names.into_iter().map(|p| p.name.key()).collect())
}

/// Every row checked into a profile, with its line; or an error listing the bad rows.
fn read(rules: &Rules, input: impl std::io::Read) -> CliResult<Vec<(u64, PartnerInput)>> {
    let mut seen: HashMap<String, u64> = HashMap::new();
    csv_rows::read(input, &COLUMNS, "partner import", |line, cell| {
        let input = row(rules, cell)?;
        let key = key_of(&input.name);
        if let Some(first) = seen.get(&key) {
            return Err(vec![format!(
                "name: \"{}\" is the partner of line {first} again \
                 (names are compared ignoring case and accents)",
                input.name
            )]);
        }
        seen.insert(key, line);
        Ok(input)
    })
}

/// One row, column by column; every problem is reported, not only the first.
fn row(rules: &Rules, cell: &dyn Fn(&str) -> String) -> Result<PartnerInput, Vec<String>> {
    let mut errors = Vec::new();
    let name = cell("name");
    let name = match PartnerName::parse(&name) {
        Ok(n) => Some(n.to_string()),
        Err(e) => {
            errors.push(format!("name: {e}"));
            None
        }
    };
    let kind_text = cell("kind");
    let kind = PartnerKind::parse(&kind_text);
    if kind.is_none() {
        errors.push(format!("kind: \"{}\" is not person, organisation, team or group", kind_text.trim()));
    }
    let mut departments = Vec::new();
    for typed in cell("departments").split(SEPARATOR).map(str::trim).filter(|d| !d.is_empty()) {
        match rules.departments.resolve(typed) {
            Ok(d) => departments.push(d.clone()),
            Err(e) => errors.push(format!("departments: {e}")),
        }
    }
    let mut owners: Vec<UserId> = Vec::new();
    for typed in cell("owners").split(SEPARATOR).map(str::trim).filter(|o| !o.is_empty()) {
        match typed.parse::<UserId>() {
            Ok(u) if !owners.contains(&u) => owners.push(u),
            Ok(_) => errors.push(format!("owners: {typed} is named twice")),
            Err(_) => errors.push(format!("owners: \"{typed}\" is not a Discord user id")),
        }
    }
    if owners.len() > MAX_OWNERS {
        errors.push(format!("owners: a partner has at most {MAX_OWNERS} owners"));
    }
    let status_text = cell("status");
    let status = match status_text.trim() {
        "" => Some(PartnerStatus::Active),
        typed => PartnerStatus::parse(typed),
    };
    if status.is_none() {
        errors.push(format!("status: \"{}\" is not active or dormant", status_text.trim()));
    }
    // As `partners::add` checks them, so that no row is refused once writing has begun.
    let link = Some(cell("link").trim().to_string()).filter(|l| !l.is_empty());
    if let Some(link) = &link {
        let web = url::Url::parse(link).ok().is_some_and(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        });
        if link.chars().count() > MAX_LINK_CHARS {
            errors.push(format!("link: is longer than {MAX_LINK_CHARS} characters"));
        } else if !web || link.chars().any(char::is_whitespace) {
            errors.push(format!("link: \"{link}\" is not a web address starting with https:// or http://"));
        }
    }
    let notes = cell("notes");
    if visible(&notes).trim().chars().count() > MAX_NOTES_CHARS {
        errors.push(format!("notes: is longer than {MAX_NOTES_CHARS} characters"));
    }
    match (name, kind, status) {
        (Some(name), Some(kind), Some(status)) if errors.is_empty() => {
            Ok(PartnerInput { kind, name, departments, owners, notes, link, status })
        }
        _ => Err(errors),
    }
}
