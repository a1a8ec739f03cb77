//! `liaison digest`: a guild's weekly digest in the terminal, without Discord.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::Utc;

use super::{output, CliError, CliResult, Context};
use crate::digest::{build, render_chart, render_discord, render_text, DigestPeriod, Schedule};
use crate::discord::send;
use crate::service::digest::{gather, Reading};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ISO week to cover, as 2026-W47 [default: the period of the latest scheduled digest].
    #[arg(long)]
    week: Option<String>,
    /// text, json (the digest's data), or discord-json (the messages as they would be posted).
    #[arg(long, short, default_value = "text")]
    format: String,
    /// Also write the chart as a PNG to this file.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let rules = &ctx.config.rules;
    let now = Utc::now();
    let period = match &args.week {
        Some(w) => parse_week(w, rules)?,
        None => {
            let d = &ctx.config.digest;
            let schedule = Schedule { weekday: d.weekday, time: d.time, timezone: rules.timezone };
            schedule.latest_due(now).digest_period()
        }
    };
    let format = args.format.trim().to_ascii_lowercase();
    if !["text", "json", "discord-json"].contains(&format.as_str()) {
        return Err(CliError::User(format!(
            "\"{}\" is not a format; use text, json or discord-json",
            args.format
        )));
    }
    let reading = Reading::defaults(&ctx.config);
    let input = gather(ctx.store.as_ref(), &ctx.config, reading, ctx.guild, period, now).await?;
    let Some(digest) = build(&input) else {
        println!(
            "No digest for {}: nothing was recorded, and empty weeks are not posted (post_empty_weeks).",
            input.period.label
        );
        return Ok(());
    };
    if let Some(path) = &args.chart {
        let png = render_chart(&digest)
            .map_err(|e| CliError::Internal(anyhow::anyhow!("drawing the chart: {e}")))?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))?;
    }
    match format.as_str() {
        "json" => output::print_json(&digest),
        "discord-json" => {
            let messages: Vec<_> =
                render_discord(&digest).into_iter().map(|m| send::message_payload(&m.fitted())).collect();
            output::print_json(&messages)
        }
        _ => {
            print!("{}", render_text(&digest));
            Ok(())
        }
    }
}

/// `2026-W47` (or `2026W47`, `2026-w47`).
fn parse_week(s: &str, rules: &crate::domain::rules::Rules) -> CliResult<DigestPeriod> {
    let bad = || CliError::User(format!("\"{s}\" is not a week; write it as 2026-W47"));
    let upper = s.trim().to_ascii_uppercase();
    let (year, week) = upper.split_once('W').ok_or_else(bad)?;
    let year: i32 = year.trim_end_matches('-').parse().map_err(|_| bad())?;
    let week: u32 = week.parse().map_err(|_| bad())?;
    DigestPeriod::iso_week(&rules.timezone, year, week).ok_or_else(bad)
}
