//! `liaison stats`: counts for a period, as text or JSON.

use chrono::Utc;

use super::{output, resolve, CliResult, Context};
use crate::domain::period::Period;
use crate::domain::stats::Count;
use crate::domain::words::shown;
use crate::service::stats::{stats, Stats};
use crate::service::ServiceError;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// week, month, term, semester, year (this academic year), last-year or all [default: term].
    #[arg(long, short)]
    period: Option<String>,
    /// From this day instead of a period: 2026-10-01, 1 Oct, 3 weeks ago, last week ...
    #[arg(long, conflicts_with = "period")]
    since: Option<String>,
    /// To this day, included [default: today].
    #[arg(long, conflicts_with = "period")]
    until: Option<String>,
    /// Only this department.
    #[arg(long, short)]
    department: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let rules = &ctx.config.rules;
    let now = Utc::now();
    let period = Period::from_request(
        args.period.as_deref(),
        args.since.as_deref(),
        args.until.as_deref(),
        rules.today(now),
        Period::default_for(&rules.academic),
    )
    .map_err(ServiceError::invalid)?;
    let department = resolve::optional_department(rules, args.department.as_deref())?;
    let s = stats(ctx.store.as_ref(), rules, ctx.guild, &period, department.as_ref(), now).await?;
    if args.json {
        return output::print_json(&s);
    }
    let span = s.period.describe();
    let scope = s.department.as_deref().map(|d| format!(" · {d}")).unwrap_or_default();
    println!("{span}{scope}");
    println!("{}", shown(s.hide_small_counts, s.total, "entry", "entries"));
    if s.total > 0 && !s.is_hidden(s.total) {
        println!("informal channels: {:.0}%", s.informal_share() * 100.0);
    }
    section(&s, "By department", &s.by_department);
    section(&s, "By channel", &s.by_channel);
    section(&s, "Formal / informal", &s.by_formality);
    if s.contributor_counts {
        section(&s, "By contributor", &s.by_author);
    } else {
        println!("\nCounts per contributor are off in this server.");
    }
    Ok(())
}

fn section(s: &Stats, title: &str, counts: &[Count]) {
    if counts.is_empty() {
        return;
    }
    println!("\n{title}:");
    for c in counts {
        // A hidden count's share would tell it.
        let share = if s.total == 0 || s.is_hidden(c.count) {
            String::new()
        } else {
            format!("{:>5.1}%", c.count as f64 * 100.0 / s.total as f64)
        };
        println!("  {:<36} {:>12}  {share}", output::truncate(&c.label, 36), s.count(c.count));
    }
}
