//! `liaison event export [--output FILE]`: every event of the server as CSV, with the ids of the
//! entries heard at each: what `event import` reads, to move a server's events to another
//! database after its partners and entries.

use std::path::PathBuf;

use super::csv;
use super::{CliResult, Context};
use crate::cli::export::write_text;
use crate::domain::words;
use crate::service::event_moves;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write here instead of stdout (readable by you only; written to a temporary file first).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let mut text = csv::header();
    let count = event_moves::each_event(ctx.store.as_ref(), ctx.guild, |event, entries| {
        text.push_str(&csv::line(event, entries));
    })
    .await?;
    write_text(args.output.as_deref(), &text)?;
    if let Some(path) = &args.output {
        eprintln!("exported {} to {}", words::count(count, "event", "events"), path.display());
    }
    Ok(())
}
