//! `liaison privacy log [--all] [--limit N]`: what erasures and expiry passes were done, never
//! what they erased.

use super::super::output;
use super::{CliResult, Context};
use crate::domain::privacy::PrivacyAction;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Every server's record, not only this one's.
    #[arg(long)]
    all: bool,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct Row<'a> {
    guild_id: String,
    at: String,
    by: &'a str,
    action: &'a str,
    entries: u64,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let guild = (!args.all).then_some(ctx.guild);
    let actions =
        ctx.store.privacy_log(guild, args.limit).await.map_err(crate::service::ServiceError::from)?;
    if args.json {
        let rows: Vec<Row> = actions
            .iter()
            .map(|a| Row {
                guild_id: a.guild.to_string(),
                at: a.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                by: &a.by,
                action: a.kind.as_str(),
                entries: a.entries,
            })
            .collect();
        return output::print_json(&rows);
    }
    if actions.is_empty() {
        println!("Nothing erased or expired yet.");
        return Ok(());
    }
    println!("{:<17} {:<20} {:<14} {:>8}  BY", "WHEN", "SERVER", "ACTION", "ENTRIES");
    for a in &actions {
        println!("{}", line(a, ctx));
    }
    Ok(())
}

fn line(a: &PrivacyAction, ctx: &Context) -> String {
    format!(
        "{:<17} {:<20} {:<14} {:>8}  {}",
        output::date_time(a.at, &ctx.config.rules),
        a.guild.to_string(),
        a.kind.as_str(),
        a.entries,
        a.by
    )
}
