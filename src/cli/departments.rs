//! `liaison departments`: the catalogue's departments and whether the library serves each here;
//! `liaison departments served NAME --no` (or `--yes`) says so for this server, as
//! `/settings departments` does. The command line acts as an admin (it holds the database).

use chrono::Utc;

use super::{output, resolve, CliResult, Context};
use crate::service::departments::{self, ServedChange};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<DepartmentsCommand>,
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum DepartmentsCommand {
    /// Say whether the library serves a department on this server; one not served is never
    /// listed as quiet in the digest, though entries can still be filed under it.
    Served(ServedArgs),
}

#[derive(Debug, clap::Args)]
struct ServedArgs {
    /// The department (any of its names).
    department: String,
    /// It is served.
    #[arg(long, conflicts_with = "no", required_unless_present = "no")]
    yes: bool,
    /// It is not served.
    #[arg(long)]
    no: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let catalogue = &ctx.config.rules.departments;
    let store = ctx.store.as_ref();
    if let Some(DepartmentsCommand::Served(served)) = args.command {
        let department = resolve::department(&ctx.config.rules, &served.department)?;
        let change =
            departments::set_served(store, catalogue, ctx.guild, department, served.yes, true, Utc::now())
                .await?;
        let state = if served.yes { "served" } else { "not served" };
        match change {
            ServedChange::Unchanged => println!("{} was already {state}.", department.name()),
            ServedChange::Changed => println!("{} is now {state}.", department.name()),
        }
        return Ok(());
    }
    let listed = departments::listed(store, catalogue, ctx.guild).await?;
    if args.json {
        return output::print_json(&listed);
    }
    let width = listed.iter().map(|d| d.name.chars().count()).max().unwrap_or(0);
    for d in &listed {
        let state = match (d.served, d.chosen_here) {
            (true, false) => "served",
            (false, false) => "not served (config)",
            (true, true) => "served (this server)",
            (false, true) => "not served (this server)",
        };
        println!("{:width$}  {state}", d.name);
    }
    Ok(())
}
