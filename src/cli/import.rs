//! `liaison import`: read a CSV written by `export`. Every row is validated first; one bad row
//! and nothing is imported. Rows already stored as the file has them are skipped, so an import
//! that was stopped can be run again.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use super::progress::{self, Kind};
use super::{CliError, CliResult, Context};
use crate::domain::words;
use crate::service::import::{read, write};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file.
    file: PathBuf,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let file = File::open(&args.file)
        .map_err(|e| CliError::User(format!("cannot open {}: {e}", args.file.display())))?;
    let visible = progress::stdout_is_terminal();
    let bar = progress::start(Kind::Count, "checking", visible);
    let mut tick = |n: u64| bar.set_position(n);
    let entries = read(ctx.store.as_ref(), &ctx.config.rules, BufReader::new(file), &mut tick).await;
    bar.finish_and_clear();
    let checked = entries?;
    let bar = progress::start(Kind::Bar(checked.new.len() as u64), "writing", visible);
    let mut tick = |n: u64| bar.set_position(n);
    let imported = write(ctx.store.as_ref(), &checked.new, &mut tick).await;
    bar.finish_and_clear();
    let imported = imported?;
    // Imported entries are indexed as they are written; any older ones left unindexed (a database
    // migrated by a command that does not index) are done now, before the bot needs them.
    super::migrate::index_terms(ctx.store.as_ref()).await?;
    let entries = words::noun(imported, "entry", "entries");
    match checked.present {
        0 => println!("imported {imported} {entries} from {}", args.file.display()),
        present => println!(
            "imported {imported} {entries} from {}; skipped {present} already in the database, unchanged",
            args.file.display()
        ),
    }
    Ok(())
}
