//! `liaison event export [--output FILE]`: every event of the server as CSV, with the ids of the
//! entries heard at each and who answered its prompt with Nothing needed: what `event import` reads, to move a server's events to another
//! database after its partners and entries.

use super::csv;
use super::{CliResult, Context};
use crate::cli::export::write_text;
pub use crate::cli::move_args::ExportArgs as Args;
use crate::domain::words;
use crate::service::event_moves;

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let store = ctx.store.as_ref();
    let mut events = Vec::new();
    let count = event_moves::each_event(store, ctx.guild, |event, entries| {
        events.push((event.clone(), entries.to_vec()));
    })
    .await?;
    let mut text = csv::header();
    for (event, entries) in &events {
        let decided = event_moves::nothing_needed(store, event).await?;
        text.push_str(&csv::line(event, entries, &decided));
    }
    write_text(args.output.as_deref(), &text)?;
    if let Some(path) = &args.output {
        eprintln!("exported {} to {}", words::count(count, "event", "events"), path.display());
    }
    Ok(())
}
