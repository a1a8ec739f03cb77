//! `liaison show`: one entry in full.

use super::{output, CliResult, Context};
use crate::domain::ids::EntryId;
use crate::service::{entries, impact};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Entry id (as printed by add and search).
    id: EntryId,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let entry = entries::show(ctx.store.as_ref(), ctx.guild, args.id).await?;
    let view = output::EntryView::new(&entry, &ctx.config.rules);
    if args.json {
        output::print_json(&view)
    } else {
        print!("{}", view.long_text());
        if let Some(story) = impact::story(ctx.store.as_ref(), ctx.guild, args.id).await? {
            println!("Impact story ({}): {}", story.objective, story.outcome.as_str());
            if let Some(evidence) = &story.evidence {
                println!("Evidence: {}", evidence.as_str());
            }
        }
        Ok(())
    }
}
