//! `liaison settings import FILE [--dry-run]`: makes the server's settings in this database those
//! of a file `settings export` wrote. Every value is checked first; one bad value and nothing is
//! written. Settings are replaced; privacy actions and posted digests not already here are added,
//! so a second import changes nothing.

use chrono::Utc;

use super::document::Document;
use super::{CliResult, Context};
pub use crate::cli::move_args::ImportArgs as Args;
use crate::cli::CliError;
use crate::domain::words;
use crate::service::settings_moves;

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let store = ctx.store.as_ref();
    let name = args.file.display();
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| CliError::User(format!("cannot read {name}: {e}")))?;
    let document = Document::parse(&text).map_err(|e| CliError::User(format!("{name}: {e}")))?;
    let wanted = document.check(ctx.guild, &ctx.config).map_err(|errors| {
        CliError::User(format!(
            "nothing was imported: {} fixing first in {name}:\n  {}",
            words::count(errors.len(), "value needs", "values need"),
            errors.join("\n  ")
        ))
    })?;
    let now = Utc::now();
    let plan = settings_moves::plan(store, &wanted, now).await?;
    if plan.is_empty() {
        println!("nothing to change: this server's settings are already those of {name}");
        return Ok(());
    }
    let verb = if args.dry_run { "would change" } else { "changed" };
    for c in &plan.changes {
        println!("{}: {} -> {}", c.field, c.was, c.becomes);
    }
    if args.dry_run {
        println!("{name} is good: {verb} {}", words::count(plan.changes.len(), "setting", "settings"));
        return Ok(());
    }
    settings_moves::apply(store, &plan, now).await?;
    println!("imported {name}: {verb} {}", words::count(plan.changes.len(), "setting", "settings"));
    Ok(())
}
