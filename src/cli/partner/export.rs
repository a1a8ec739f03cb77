//! `liaison partner export [--output FILE]`: every partner of the server as CSV, by name: what
//! `partner import` reads, to set up another server or database, or to edit in a spreadsheet.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;

use super::csv;
use super::{CliError, CliResult, Context};
use crate::cli::export::{create_private, temp_path};
use crate::domain::words;
use crate::service::ServiceError;
use crate::store::PartnerFilter;

/// Partners read per query.
const PAGE: u32 = 500;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write here instead of stdout (readable by you only; written to a temporary file first).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let mut text = csv::header();
    let mut count = 0u64;
    loop {
        let page = ctx
            .store
            .partners(ctx.guild, &PartnerFilter::default(), count, PAGE)
            .await
            .map_err(ServiceError::from)?;
        for summary in &page {
            text.push_str(&csv::line(&summary.partner));
        }
        count += page.len() as u64;
        if page.len() < PAGE as usize {
            break;
        }
    }
    match &args.output {
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
            eprintln!("exported {} to {}", words::count(count, "partner", "partners"), path.display());
        }
    }
    Ok(())
}
