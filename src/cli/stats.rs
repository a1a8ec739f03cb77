//! `liaison stats`: counts for a period, as text or JSON.

use chrono::Utc;

use super::{output, resolve, CliResult, Context};
use crate::domain::stats::Count;
use crate::service::stats::{stats, Period};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// week, month, term, year or all.
    #[arg(long, short, default_value = "term")]
    period: String,
    /// Only this department.
    #[arg(long, short)]
    department: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let period = Period::parse(&args.period)?;
    let rules = &ctx.config.rules;
    let department = resolve::optional_department(rules, args.department.as_deref())?;
    let s = stats(ctx.store.as_ref(), rules, ctx.guild, period, department.as_ref(), Utc::now()).await?;
    if args.json {
        return output::print_json(&s);
    }
    let span = match s.first_day {
        Some(first) => format!("{first} to {}", s.last_day),
        None => format!("all time to {}", s.last_day),
    };
    let scope = s.department.as_deref().map(|d| format!(", {d}")).unwrap_or_default();
    println!("{} entries, {span}{scope}", s.total);
    if s.total > 0 {
        println!("informal channels: {:.0}%", s.informal_share() * 100.0);
    }
    section("By department", &s.by_department, s.total);
    section("By channel", &s.by_channel, s.total);
    section("Formal / informal", &s.by_formality, s.total);
    section("By contributor", &s.by_author, s.total);
    Ok(())
}

fn section(title: &str, counts: &[Count], total: u64) {
    if counts.is_empty() {
        return;
    }
    println!("\n{title}:");
    for c in counts {
        let share = if total == 0 { 0.0 } else { c.count as f64 * 100.0 / total as f64 };
        println!("  {:<36} {:>6}  {:>5.1}%", output::truncate(&c.label, 36), c.count, share);
    }
}
