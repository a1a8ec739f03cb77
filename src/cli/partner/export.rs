//! `liaison partner export [--output FILE]`: every partner of the server as CSV, by name: what
//! `partner import` reads, to set up another server or database, or to edit in a spreadsheet.

use std::path::PathBuf;

use super::csv;
use super::{CliResult, Context};
use crate::cli::export::write_text;
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
    write_text(args.output.as_deref(), &text)?;
    if let Some(path) = &args.output {
        eprintln!("exported {} to {}", words::count(count, "partner", "partners"), path.display());
    }
    Ok(())
}
