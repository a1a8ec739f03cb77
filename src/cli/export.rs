//! `liaison export`: every field of every entry, as CSV or JSON, to stdout or a file.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::Utc;

use super::progress::{self, Kind};
use super::{resolve, CliError, CliResult, Context};
use crate::domain::words::count;
use crate::service::export::{plan, write, ExportRequest, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// csv or json.
    #[arg(long, short, default_value = "csv")]
    format: String,
    /// Only entries from this date: 2026-09-01, last week ...
    #[arg(long)]
    since: Option<String>,
    /// Only entries up to and including this date.
    #[arg(long)]
    until: Option<String>,
    /// Only this department.
    #[arg(long, short)]
    department: Option<String>,
    /// Write here instead of stdout (readable by you only; written to a temporary file first, so
    /// a failed export never leaves half a file).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let format = Format::parse(&args.format)?;
    let department = resolve::optional_department(&ctx.config.rules, args.department.as_deref())?;
    let request = ExportRequest { guild: ctx.guild, since: args.since, until: args.until, department };
    let (filter, total) = plan(ctx.store.as_ref(), &ctx.config.rules, &request, Utc::now()).await?;
    // Drawing a bar over the data itself would garble it: only when the data goes to a file.
    let bar = progress::start(
        Kind::Bar(total),
        "exporting",
        args.output.is_some() && progress::stdout_is_terminal(),
    );
    let mut tick = |n: u64| bar.set_position(n);
    let written = match &args.output {
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let n = write(ctx.store.as_ref(), ctx.guild, &filter, format, &mut out, &mut tick).await?;
            out.flush().context("writing to stdout")?;
            n
        }
        Some(path) => {
            let tmp = temp_path(path);
            let file = create_private(&tmp)
                .map_err(|e| CliError::User(format!("cannot create {}: {e}", tmp.display())))?;
            let mut out = BufWriter::new(file);
            let result = write(ctx.store.as_ref(), ctx.guild, &filter, format, &mut out, &mut tick).await;
            let n = match result {
                Ok(n) => n,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
            };
            let file =
                out.into_inner().map_err(|e| anyhow::anyhow!("writing {}: {}", tmp.display(), e.error()))?;
            file.sync_all().with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("moving the export to {}", path.display()))?;
            n
        }
    };
    bar.finish_and_clear();
    if let Some(path) = &args.output {
        eprintln!("exported {} to {}", count(written, "entry", "entries"), path.display());
    }
    Ok(())
}

/// Text written whole: to stdout, or to `path` through a private temporary file renamed into
/// place, so that a failed write never leaves half a file. What the small CSV exports share.
pub(crate) fn write_text(output: Option<&Path>, text: &str) -> CliResult {
    match output {
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush()).context("writing to stdout")?;
        }
        Some(path) => {
            let tmp = temp_path(path);
            let mut file = create_private(&tmp)
                .map_err(|e| CliError::User(format!("cannot create {}: {e}", tmp.display())))?;
            if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
                let _ = std::fs::remove_file(&tmp);
                return Err(anyhow::Error::new(e).context(format!("writing {}", tmp.display())).into());
            }
            std::fs::rename(&tmp, path)
                .with_context(|| format!("moving the export to {}", path.display()))?;
        }
    }
    Ok(())
}

/// A new file only its owner can read or write (0600 on unix): an export holds every note, so it
/// is created private rather than made private after its data is in it. A `.partial` left by an
/// export that was killed is removed first, because opening it would keep its old permissions;
/// `create_new` then also refuses to follow a link planted in its place.
pub(crate) fn create_private(path: &Path) -> std::io::Result<File> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

pub(crate) fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}
