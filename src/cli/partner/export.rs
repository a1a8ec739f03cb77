//! `liaison partner export [--output FILE]`: every partner of the server as CSV, by name: what
//! `partner import` reads, to set up another server or database, or to edit in a spreadsheet.

use super::csv;
use super::{CliResult, Context};
use crate::cli::export::write_text;
pub use crate::cli::move_args::ExportArgs as Args;
use crate::domain::words;
use crate::service::ServiceError;
use crate::store::PartnerFilter;

/// Partners read per query.
const PAGE: u32 = 500;

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
