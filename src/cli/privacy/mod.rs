//! `liaison privacy ...`: retention, access and erasure requests, and their record. One file per
//! subcommand.

mod log;

use super::{CliResult, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: PrivacyCommand,
}

#[derive(Debug, clap::Subcommand)]
enum PrivacyCommand {
    /// List the recorded erasures and expiry passes (when, by whom, how many entries), newest first.
    Log(log::Args),
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    match args.command {
        PrivacyCommand::Log(args) => log::run(ctx, args).await,
    }
}
