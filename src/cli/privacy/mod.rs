//! `liaison privacy ...`: retention, access and erasure requests, and their record. One file per
//! subcommand.

mod expire;
mod log;

use super::{CliError, CliResult, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: PrivacyCommand,
}

#[derive(Debug, clap::Subcommand)]
enum PrivacyCommand {
    /// Clear the note, source and author name of every entry past its server's retention period
    /// now (the bot does it daily), and print how many per server. Counts, tags, dates and
    /// follow-ups stay.
    Expire(expire::Args),
    /// List the recorded erasures and expiry passes (when, by whom, how many entries), newest first.
    Log(log::Args),
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    match args.command {
        PrivacyCommand::Expire(args) => expire::run(ctx, args).await,
        PrivacyCommand::Log(args) => log::run(ctx, args).await,
    }
}
