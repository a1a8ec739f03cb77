//! `liaison privacy ...`: retention, access and erasure requests, and their record. One file per
//! subcommand.

mod erase;
mod expire;
mod find;
mod forget_guild;
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
    /// List every entry whose note, tags, author name or source mentions a name or words (whole
    /// words, ignoring case and accents): what a subject-access request needs.
    Find(find::Args),
    /// Erase every mention of a text, or a member from their entries (or their entries), at once.
    /// Recorded in the privacy log, without the text.
    Erase(erase::Args),
    /// List the recorded erasures and expiry passes (when, by whom, how many entries), newest first.
    Log(log::Args),
    /// Delete everything stored for one server now (the bot does it by itself once a server it
    /// was removed from has waited out `[retention] guild_grace_days`).
    ForgetGuild(forget_guild::Args),
}

/// Who the privacy log records a command-line action as: the operator's login name.
fn operator() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default();
    if user.trim().is_empty() {
        "liaison CLI".to_string()
    } else {
        format!("liaison CLI ({})", user.trim())
    }
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    match args.command {
        PrivacyCommand::Expire(args) => expire::run(ctx, args).await,
        PrivacyCommand::Log(args) => log::run(ctx, args).await,
        PrivacyCommand::ForgetGuild(args) => forget_guild::run(ctx, args).await,
        PrivacyCommand::Find(args) => find::run(ctx, args).await,
        PrivacyCommand::Erase(args) => erase::run(ctx, args).await,
    }
}
