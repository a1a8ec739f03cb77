//! `liaison impact export [--output FILE]`: the server's objectives and every impact story, as CSV
//! (`csv`): what `impact import` reads, to move them to another database after the entries.

use super::csv;
use super::{CliResult, Context};
use crate::cli::export::write_text;
pub use crate::cli::move_args::ExportArgs as Args;
use crate::domain::words;
use crate::service::impact;

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let store = ctx.store.as_ref();
    let objectives = impact::objectives(store, ctx.guild).await?;
    let stories = impact::all_stories(store, ctx.guild).await?;
    let mut text = csv::header();
    for name in objectives.names() {
        text.push_str(&csv::objective_line(name));
    }
    for story in &stories {
        text.push_str(&csv::story_line(story));
    }
    write_text(args.output.as_deref(), &text)?;
    if let Some(path) = &args.output {
        eprintln!(
            "exported {} and {} to {}",
            words::count(objectives.names().len(), "objective", "objectives"),
            words::count(stories.len(), "impact story", "impact stories"),
            path.display()
        );
    }
    Ok(())
}
