//! `liaison privacy ...`: retention, access and erasure requests, and their record. One file per
//! subcommand.

mod erase;
mod find;
mod log;

use super::{CliError, CliResult, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: PrivacyCommand,
}

#[derive(Debug, clap::Subcommand)]
enum PrivacyCommand {
    /// List the recorded erasures and expiry passes (when, by whom, how many entries), newest first.
    Log(log::Args),
    /// List every entry whose note, tags, author name or source mentions a name or words (whole
    /// words, ignoring case and accents): what a subject-access request needs.
    Find(find::Args),
    /// Erase every mention of a text, or a member from their entries (or their entries), at once.
    /// Recorded in the privacy log, without the text.
    Erase(erase::Args),
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    match args.command {
        PrivacyCommand::Log(args) => log::run(ctx, args).await,
        PrivacyCommand::Find(args) => find::run(ctx, args).await,
        PrivacyCommand::Erase(args) => erase::run(ctx, args).await,
    }
}
