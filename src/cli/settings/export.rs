//! `liaison settings export [--output FILE]`: the server's settings as JSON (`document`).

use chrono::Utc;

use super::document::Document;
use super::{CliResult, Context};
use crate::cli::export::write_text;
pub use crate::cli::move_args::ExportArgs as Args;
use crate::service::settings_moves;

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let settings = settings_moves::read(ctx.store.as_ref(), ctx.guild, Utc::now()).await?;
    let text = Document::from_settings(&settings).to_json()?;
    write_text(args.output.as_deref(), &text)?;
    if let Some(path) = &args.output {
        eprintln!("exported the server's settings to {}", path.display());
    }
    Ok(())
}
