//! `liaison report`: the files `/report` posts (entries CSV, charts, Markdown summary), written to
//! a folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::Utc;

use super::export::{create_private, temp_path};
use super::progress::{self, Kind};
use super::{resolve, CliError, CliResult, Context};
use crate::domain::period::Period;
use crate::domain::words;
use crate::service::report::{build, plan, Format, ReportFile, ReportRequest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day: 2025-09-01, last month ...
    #[arg(long)]
    since: Option<String>,
    /// Last day, included.
    #[arg(long)]
    until: Option<String>,
    /// Instead of dates: week, month, term, semester, year (the academic year, the default),
    /// last-year or all, from the [academic] calendar.
    #[arg(long, conflicts_with_all = ["since", "until"])]
    period: Option<String>,
    /// csv (the export's columns) or libinsight (columns a LibInsight dataset imports).
    #[arg(long, short, default_value = "csv")]
    format: String,
    /// Only this department.
    #[arg(long, short)]
    department: Option<String>,
    /// Only entries about this partner.
    #[arg(long)]
    partner: Option<String>,
    /// The folder to write the files to (created if missing).
    #[arg(long)]
    out: PathBuf,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let format = Format::parse(&args.format)?;
    let now = Utc::now();
    let period = Period::from_request(
        args.period.as_deref(),
        args.since.as_deref(),
        args.until.as_deref(),
        ctx.config.rules.today(now),
        Period::Year,
    )
    .map_err(|e| CliError::User(e.to_string()))?;
    let department = resolve::optional_department(&ctx.config.rules, args.department.as_deref())?;
    let partner = match args.partner.as_deref() {
        Some(typed) => Some(resolve::partner(ctx, typed).await?),
        None => None,
    };
    let request = ReportRequest { guild: ctx.guild, period, department, partner, format };
    let store = ctx.store.as_ref();
    let plan = plan(store, &ctx.config.rules, &request, now).await?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| CliError::User(format!("cannot create {}: {e}", args.out.display())))?;
    let bar = progress::start(Kind::Bar(plan.total), "reporting", true);
    let mut tick = |n: u64| bar.set_position(n);
    let files = build(store, &ctx.config.rules, &plan, &mut tick).await?;
    bar.finish_and_clear();
    for file in &files {
        write_file(&args.out, file)?;
    }
    eprintln!(
        "wrote a report of {} {} ({}) to {}: {}",
        plan.total,
        words::noun(plan.total, "entry", "entries"),
        plan.scope.label(),
        args.out.display(),
        files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// Each file private and whole, as the export writes its one: a crash leaves no half file.
fn write_file(dir: &Path, file: &ReportFile) -> CliResult {
    let path = dir.join(&file.name);
    let tmp = temp_path(&path);
    let mut out =
        create_private(&tmp).map_err(|e| CliError::User(format!("cannot create {}: {e}", tmp.display())))?;
    out.write_all(&file.bytes).with_context(|| format!("writing {}", tmp.display()))?;
    out.sync_all().with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("moving the report to {}", path.display()))?;
    Ok(())
}
