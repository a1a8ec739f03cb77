//! `liaison impact add ID --outcome TEXT [--evidence URL] --objective NAME`, `liaison impact
//! remove ID`, `liaison impact objectives add|remove|list [NAME]` and `liaison impact
//! export|import`: impact stories and the server's objectives, from a terminal, through the same
//! service as the Discord button and `/settings objectives`.

mod csv;
mod export;
mod import;

use chrono::Utc;

use super::{CliResult, Context};
use crate::domain::ids::{EntryId, UserId};
use crate::service::entries::Actor;
use crate::service::impact::{self, ImpactInput};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ImpactCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ImpactCommand {
    /// Mark an entry as an impact story (replacing the one it had): what changed, the objective
    /// it serves (one of the server's, matched as typed or closely), and an optional evidence link.
    Add(AddArgs),
    /// Take an entry's impact story off it (its note then expires with the others').
    Remove { id: EntryId },
    /// The server's objectives, which impact stories are reported against.
    Objectives(ObjectivesArgs),
    /// The objectives and every story as CSV: what `impact import` reads, to move them to another
    /// database after the entries.
    Export(export::Args),
    /// Add the objectives and stories of such a CSV; every row is checked first, and an entry
    /// that has a story already keeps it.
    Import(import::Args),
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// Entry id (as printed by add and search).
    id: EntryId,
    /// What changed, up to 1000 characters; redacted as notes are.
    #[arg(long, allow_hyphen_values = true)]
    outcome: String,
    /// A web address (http or https) showing it.
    #[arg(long)]
    evidence: Option<String>,
    /// The objective it serves, e.g. "Digital skills (JISC framework)".
    #[arg(long)]
    objective: String,
}

#[derive(Debug, clap::Args)]
struct ObjectivesArgs {
    #[command(subcommand)]
    command: ObjectivesCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ObjectivesCommand {
    /// Add an objective to the server's list.
    Add { name: String },
    /// Remove one (stories already marked with it keep it).
    Remove { name: String },
    /// List them, in the order they were added.
    List,
}

/// The command line is run by whoever administers the install, so it acts as an admin.
const ADMIN: Actor = Actor { id: UserId(0), is_admin: true };

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let store = ctx.store.as_ref();
    match args.command {
        ImpactCommand::Add(a) => {
            let input = ImpactInput { outcome: a.outcome, evidence: a.evidence, objective: a.objective };
            let story =
                impact::mark(store, &ctx.config.rules, ctx.guild, a.id, ADMIN, &input, Utc::now()).await?;
            println!("Entry #{} is marked as an impact story ({}).", story.entry, story.objective);
        }
        ImpactCommand::Remove { id } => {
            if impact::remove(store, ctx.guild, id, ADMIN).await? {
                println!("Entry #{id} is no longer an impact story.");
            } else {
                println!("Entry #{id} was not an impact story.");
            }
        }
        ImpactCommand::Export(args) => return export::run(ctx, args).await,
        ImpactCommand::Import(args) => return import::run(ctx, args).await,
        ImpactCommand::Objectives(o) => match o.command {
            ObjectivesCommand::Add { name } => {
                let added = impact::add_objective(store, ctx.guild, &name, Utc::now()).await?;
                println!("Added the objective \"{added}\".");
            }
            ObjectivesCommand::Remove { name } => {
                let removed = impact::remove_objective(store, ctx.guild, &name).await?;
                println!("Removed the objective \"{removed}\"; stories already marked with it keep it.");
            }
            ObjectivesCommand::List => {
                let listed = impact::objectives(store, ctx.guild).await?;
                if listed.names().is_empty() {
                    println!("No objectives yet: `liaison impact objectives add NAME` adds one.");
                }
                for name in listed.names() {
                    println!("{name}");
                }
            }
        },
    }
    Ok(())
}
