//! `liaison partner merge FROM INTO --yes`: folds a partner added twice into the one to keep. Its
//! entries, departments, owners and notes move over and it is deleted, which cannot be undone:
//! without --yes nothing happens.

use chrono::Utc;

use super::{named, ACTOR};
use super::{CliError, CliResult, Context};
use crate::service::partners;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The partner to fold in and delete.
    from: String,
    /// The partner to keep.
    into: String,
    /// Do it (without it, nothing is changed).
    #[arg(long)]
    yes: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let from = named(ctx, &args.from).await?;
    let into = named(ctx, &args.into).await?;
    if from.id == into.id {
        return Err(CliError::User(format!("\"{}\" and \"{}\" are the same partner", args.from, args.into)));
    }
    if !args.yes {
        return Err(CliError::User(format!(
            "merging moves every entry, department, owner and note of \"{}\" to \"{}\" and deletes \
             \"{}\"; run again with --yes to do it",
            from.name, into.name, from.name
        )));
    }
    let kept = partners::merge(ctx.store.as_ref(), ctx.guild, ACTOR, from.id, into.id, Utc::now()).await?;
    println!("Merged \"{}\" into \"{}\".", from.name, kept.profile.name);
    Ok(())
}
