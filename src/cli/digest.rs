//! `liaison digest`: a guild's weekly digest in the terminal, without Discord; with `--post`, the
//! latest due digest posted to the guild's digest channel through the bot's REST client, claimed
//! like the scheduler's so that it is never posted twice.

use std::path::PathBuf;

use anyhow::Context as _;
use std::sync::Arc;

use chrono::Utc;

use super::{output, CliError, CliResult, Context};
use crate::digest::{build, render_chart, render_messages, render_text, DigestPeriod, Schedule, CHART_FILE};
use crate::discord::bot::BotSettings;
use crate::discord::markup::DiscordMarkup;
use crate::discord::post::DiscordPoster;
use crate::discord::send;
use crate::domain::words::count;
use crate::service::digest::{gather, Reading};
use crate::service::digest_runs::{post_now, Outcome, PostNow};

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
    /// Post the latest due digest to the guild's digest channel now (needs DISCORD_TOKEN), unless
    /// it was posted already.
    #[arg(long, conflicts_with_all = ["week", "format", "chart"])]
    post: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    if args.post {
        return post(ctx).await;
    }
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
            // As posted: the chart attached to the first message.
            let messages: Vec<_> = render_messages(&digest, &DiscordMarkup, Some(CHART_FILE))
                .into_iter()
                .map(|m| send::message_payload(&m.fitted()))
                .collect();
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

async fn post(ctx: &Context) -> CliResult {
    let settings = BotSettings::from_env().map_err(|e| CliError::User(e.to_string()))?;
    let poster = DiscordPoster(Arc::new(settings.http()));
    let done = post_now(ctx.store.as_ref(), &ctx.config, &poster, ctx.guild, Utc::now()).await?;
    match done {
        PostNow::AlreadyPosted { label, channel, message_ids, sent_at } => {
            let ids: Vec<String> = message_ids.iter().map(u64::to_string).collect();
            println!(
                "The digest for {label} was already posted in channel {channel} at {sent_at} (messages {}); nothing posted.",
                ids.join(", ")
            );
            Ok(())
        }
        PostNow::Ran { label, channel, outcome } => match outcome {
            Outcome::Posted { messages, resumed_after, .. } => {
                let resumed = if resumed_after > 0 {
                    format!(", after the {resumed_after} an earlier attempt posted")
                } else {
                    String::new()
                };
                let messages = count(messages, "message", "messages");
                println!("Posted the digest for {label} in channel {channel}: {messages}{resumed}.");
                Ok(())
            }
            Outcome::Skipped { .. } => {
                println!("Nothing was recorded for {label} and empty weeks are not posted; marked done.");
                Ok(())
            }
            Outcome::AlreadyTaken { .. } => Err(CliError::User(format!(
                "The digest for {label} is being posted by another process right now; try again in a few minutes if it does not appear."
            ))),
            Outcome::Failed { error, .. } => Err(CliError::Internal(anyhow::anyhow!(
                "Discord did not take the digest for {label}: {error}. The scheduler will retry it."
            ))),
            Outcome::Stopped { error, .. } => Err(CliError::User(format!(
                "Discord refused to let the bot post in channel {channel}: {error}. The digest is now off; fix the bot's access and choose the channel again with /settings digest."
            ))),
        },
    }
}
