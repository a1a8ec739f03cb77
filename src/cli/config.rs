//! `liaison config init [PATH] [--force]`: writes the built-in config out as a file to edit.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{CliError, CliResult};
use crate::config::{BUILT_IN_CONFIG, DEFAULT_CONFIG_PATH};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Write an editable copy of the built-in config [default: the file --config or
    /// LIAISON_CONFIG names, else config/liaison.toml, where liaison looks for it].
    Init(InitArgs),
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// Where to write it.
    path: Option<PathBuf>,
    /// Replace a file that is already there.
    #[arg(long)]
    force: bool,
}

/// `named` is the file `--config` or `LIAISON_CONFIG` names: where the copy is read from later.
pub fn run(named: Option<&Path>, args: Args) -> CliResult {
    let Command::Init(init) = args.command;
    let path = init.path.as_deref().or(named).unwrap_or(Path::new(DEFAULT_CONFIG_PATH));
    write(path, init.force)?;
    println!("wrote the built-in config to {}", path.display());
    let read_by_default = named == Some(path) || (named.is_none() && path == Path::new(DEFAULT_CONFIG_PATH));
    if read_by_default {
        println!("edit it, then check it with `liaison check-config`");
    } else {
        println!(
            "edit it, check it with `liaison --config {0} check-config`, and use it with `--config {0}` or LIAISON_CONFIG={0}",
            path.display()
        );
    }
    Ok(())
}

fn write(path: &Path, force: bool) -> CliResult {
    let failed = |e: std::io::Error| CliError::User(format!("cannot write {}: {e}", path.display()));
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    if force {
        // Written beside it and renamed over it, so a crash leaves the old file or the new one.
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(".new");
        let temporary = PathBuf::from(temporary);
        std::fs::write(&temporary, BUILT_IN_CONFIG).map_err(failed)?;
        return std::fs::rename(&temporary, path).map_err(failed);
    }
    // `create_new` refuses an existing file atomically: nothing is overwritten without --force.
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CliError::User(format!(
                "{} already exists; nothing was written (pass --force to replace it)",
                path.display()
            )))
        }
        Err(e) => return Err(failed(e)),
    };
    file.write_all(BUILT_IN_CONFIG.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| {
        // A half-written file would only be refused next time: leave none.
        let _ = std::fs::remove_file(path);
        failed(e)
    })
}
