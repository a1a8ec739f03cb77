//! `liaison privacy find "TEXT" [--format table|csv|json]`: every entry whose note, tags, author
//! name or source mentions TEXT (whole words, ignoring case and accents), for a subject-access
//! request. CSV and JSON hold every field, as `liaison export` writes them. Partners whose name or
//! "they want / we offer" note mentions it are listed too (in the table, and on stderr beside CSV
//! and JSON, which hold entries only so that they import as an export does).

use std::io::Write;

use anyhow::Context as _;

use super::super::output;
use super::{CliError, CliResult, Context};
use crate::domain::entry::Entry;
use crate::domain::mention::Mention;
use crate::domain::partner::Partner;
use crate::domain::words;
use crate::service::privacy::erasure::{find, find_partners};
use crate::service::record::{cells, csv_line, push_csv_cells, Record, COLUMNS};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The name or words to look for, as whole words, ignoring case and accents.
    text: String,
    /// table (for reading), csv or json (every field, as `liaison export` writes them).
    #[arg(long, short, default_value = "table")]
    format: String,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let mention = Mention::new(&args.text).map_err(|e| CliError::User(e.to_string()))?;
    let format = args.format.trim().to_ascii_lowercase();
    if !["table", "csv", "json"].contains(&format.as_str()) {
        return Err(CliError::User(format!("\"{format}\" is not a format; use table, csv or json")));
    }
    let found = find(ctx.store.as_ref(), ctx.guild, &mention).await?;
    let found_partners = find_partners(ctx.store.as_ref(), ctx.guild, &mention).await?;
    let text = match format.as_str() {
        "csv" => csv(&found),
        "json" => json(&found)?,
        _ => table(ctx, &found) + &partner_table(&found_partners),
    };
    if format != "table" && !found_partners.is_empty() {
        eprint!("{}", partner_table(&found_partners));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).context("writing to stdout")?;
    Ok(())
}

fn csv(found: &[Entry]) -> String {
    let mut out = csv_line(COLUMNS);
    for e in found {
        // As export: a cell a spreadsheet would run as a formula is neutralised.
        push_csv_cells(&mut out, &cells(e));
    }
    out
}

/// As `liaison export --format json` writes it: an array, one record a line.
fn json(found: &[Entry]) -> CliResult<String> {
    let mut out = String::from(if found.is_empty() { "[]" } else { "[\n  " });
    for (i, e) in found.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n  ");
        }
        out.push_str(&serde_json::to_string(&Record::from(e)).map_err(|e| CliError::Internal(e.into()))?);
    }
    out.push_str(if found.is_empty() { "\n" } else { "\n]\n" });
    Ok(out)
}

fn table(ctx: &Context, found: &[Entry]) -> String {
    let rules = &ctx.config.rules;
    if found.is_empty() {
        return "No entries mention it.\n".to_string();
    }
    let mut out = format!("{} mentioning it\n", entries(found.len() as u64));
    out.push_str(&format!(
        "{:<7} {:<10}  {:<22} {:<16} {:<16} {}\n",
        "ID", "DATE", "DEPARTMENT", "CHANNEL", "AUTHOR", "NOTE"
    ));
    for e in found {
        out.push_str(&format!(
            "{:<7} {:<10}  {:<22} {:<16} {:<16} {}\n",
            format!("#{}", e.id),
            output::date(e.occurred_at, rules),
            output::truncate(rules.departments.display_name(&e.department), 22),
            output::truncate(rules.channels.display_name(&e.channel), 16),
            output::truncate(&e.author.name, 16),
            e.note.excerpt(60),
        ));
    }
    out
}

/// The partners that mention it, by name; nothing when none do.
fn partner_table(found: &[Partner]) -> String {
    if found.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{} mentioning it (name or notes)\n", partners(found.len() as u64));
    for p in found {
        out.push_str(&format!(
            "  {:<30} {:<12} {}\n",
            output::truncate(p.profile.name.as_str(), 30),
            p.profile.kind.as_str(),
            output::truncate(&p.profile.notes.replace('\n', " "), 60)
        ));
    }
    out
}

/// "1 partner", "3 partners".
pub fn partners(n: u64) -> String {
    words::count(n, "partner", "partners")
}

/// "1 entry", "3 entries".
pub fn entries(n: u64) -> String {
    words::count(n, "entry", "entries")
}
