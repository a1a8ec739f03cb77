//! `liaison settings export [--output FILE]` and `liaison settings import FILE [--dry-run]`: a
//! server's settings, the record of its privacy actions and the latest digest it posted, as one
//! JSON document (`document`), to move them to another database with the rest of its data.

mod document;
mod export;
mod import;

use super::{CliResult, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: SettingsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum SettingsCommand {
    /// The server's settings (digest, privacy, departments served and their liaison librarians,
    /// locale), its privacy log and the latest digest posted, as JSON: what `settings import` reads.
    Export(export::Args),
    /// Make this database's settings for the server those of such a file (its privacy log and
    /// posted digests are added to); every value is checked first.
    Import(import::Args),
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    match args.command {
        SettingsCommand::Export(args) => export::run(ctx, args).await,
        SettingsCommand::Import(args) => import::run(ctx, args).await,
    }
}
