//! `liaison delete ID --yes`: removes one entry, including one that cannot be read.

use super::{CliError, CliResult, Context};
use crate::domain::ids::{EntryId, UserId};
use crate::service::entries::{self, Actor};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Entry id (as printed by add and search).
    id: EntryId,
    /// Delete it. Without this nothing is deleted: the command line never asks a question, so a
    /// script cannot delete by accident.
    #[arg(long)]
    yes: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    // The command line is run by whoever administers the install, so it acts as an admin.
    let actor = Actor { id: UserId(0), is_admin: true };
    if !args.yes {
        // Checked first, so that a wrong id is said as such rather than as a missing flag.
        entries::deletable(ctx.store.as_ref(), ctx.guild, args.id, actor).await?;
        return Err(CliError::User(format!(
            "entry #{} was not deleted: pass --yes to delete it (this cannot be undone)",
            args.id
        )));
    }
    entries::delete(ctx.store.as_ref(), ctx.guild, args.id, actor).await?;
    println!("Deleted entry #{}.", args.id);
    Ok(())
}
