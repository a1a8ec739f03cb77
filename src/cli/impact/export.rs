//! `liaison impact export [--output FILE]`: the server's objectives and every impact story, as CSV
//! (`csv`): what `impact import` reads, to move them to another database after the entries.

use std::path::PathBuf;

use super::csv;
use super::{CliResult, Context};
use crate::cli::export::write_text;
use crate::domain::words;
use crate::service::impact;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write here instead of stdout (readable by you only; written to a temporary file first).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

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
