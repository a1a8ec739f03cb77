//! The arguments of the exports and imports that move a server's records between databases
//! (`partner`, `event`, `impact` and `settings` export and import): one way to name the file, and
//! a dry run.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Write here instead of stdout (readable by you only; written to a temporary file first).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file, as the matching export writes it.
    pub file: PathBuf,
    /// Check the file and say what would be imported or changed, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}
