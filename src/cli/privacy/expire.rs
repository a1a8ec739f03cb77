//! `liaison privacy expire [--dry-run]`: the retention pass the bot runs daily, now, over every
//! server in the database, each with its own period.

use chrono::Utc;

use super::super::output;
use super::{CliError, CliResult, Context};
use crate::domain::words;
use crate::service::privacy::retention::{self, GuildPass};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Count what would be cleared, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct Row {
    guild_id: String,
    /// Entries cleared, or that would be with --dry-run; null where the server's pass failed.
    entries: Option<u64>,
    dry_run: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let by = super::operator();
    let passes =
        retention::expire(ctx.store.as_ref(), &ctx.config.retention, Utc::now(), args.dry_run, &by).await?;
    let failed = passes.iter().filter(|p| matches!(p, GuildPass::Failed { .. })).count();
    if args.json {
        let rows: Vec<Row> = passes
            .iter()
            .map(|p| match p {
                GuildPass::Cleared { guild, entries } => {
                    Row { guild_id: guild.to_string(), entries: Some(*entries), dry_run: args.dry_run }
                }
                GuildPass::Failed { guild } => {
                    Row { guild_id: guild.to_string(), entries: None, dry_run: args.dry_run }
                }
            })
            .collect();
        output::print_json(&rows)?;
    } else {
        print_lines(&passes, args.dry_run);
    }
    if failed > 0 {
        return Err(CliError::Internal(anyhow::anyhow!(
            "the retention pass failed for {}; the log says why",
            words::count(failed, "server", "servers")
        )));
    }
    Ok(())
}

fn print_lines(passes: &[GuildPass], dry_run: bool) {
    let verb = if dry_run { "would clear" } else { "cleared" };
    let mut total = 0;
    for pass in passes {
        match pass {
            GuildPass::Cleared { guild, entries } => {
                total += entries;
                println!("guild {guild}: {verb} {}", words::count(*entries, "entry", "entries"));
            }
            GuildPass::Failed { guild } => println!("guild {guild}: failed (see the log)"),
        }
    }
    if total == 0 {
        println!("Nothing to clear.");
    } else {
        println!("total: {verb} {}", words::count(total, "entry", "entries"));
    }
}
