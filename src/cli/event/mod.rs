//! `liaison event ...`: a server's events from a terminal. For now their CSV, to move them with
//! the entries heard at them from one database to another (events are added in Discord, with
//! `/event add`). One file per subcommand.

mod csv;
mod export;
mod import;

use super::{CliResult, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: EventCommand,
}

#[derive(Debug, clap::Subcommand)]
enum EventCommand {
    /// Write every event as CSV (name,starts_on,ends_on,place,organisers,partners,departments,
    /// entries,created_by,created_at,nothing_needed), with the ids of the entries heard at each.
    Export(export::Args),
    /// Add the events of a CSV as `event export` writes it, after `partner import` and `import`
    /// brought their partners and entries; every row is checked before any is written, and
    /// events the server has already (same name and dates) are skipped.
    Import(import::Args),
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    match args.command {
        EventCommand::Export(args) => export::run(ctx, args).await,
        EventCommand::Import(args) => import::run(ctx, args).await,
    }
}
