//! The command line: every use case without Discord, through the same services as the bot.
//! One module per subcommand; this one holds the shared options, start-up and error reporting.

mod add;
mod check_config;
mod config;
mod csv_rows;
mod delete;
mod departments;
mod digest;
mod edit;
mod event;
mod export;
mod follow_ups;
mod impact;
mod import;
mod logging;
mod migrate;
mod move_args;
mod output;
mod partner;
mod pipe;
mod privacy;
mod progress;
mod report;
mod resolve;
mod run;
mod search;
mod settings;
mod show;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError};
use crate::domain::ids::GuildId;
use crate::service::ServiceError;
use crate::store::{self, Store};

/// The database used when neither --database nor DATABASE_URL names one: a file beside where
/// liaison runs, created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://liaison.db";

#[derive(Debug, Parser)]
#[command(
    name = "liaison",
    version,
    about = "Capture, search and share what your library's liaison and enquiry-desk staff hear.",
    long_about = None,
)]
struct Cli {
    /// Config file [default: config/liaison.toml if there is one, else the built-in defaults].
    #[arg(long, global = true, env = "LIAISON_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL (sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE).
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database: String,
    /// Discord server (guild) id to work on [default: `default_guild` from the config].
    #[arg(long, global = true)]
    guild: Option<GuildId>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Record a piece of intel (the same fields as /intel).
    Add(add::Args),
    /// Search past intel: free text, ranked, with filters.
    Search(search::Args),
    /// Show one entry in full.
    Show(show::Args),
    /// Delete one entry (with --yes), even one that cannot be read.
    Delete(delete::Args),
    /// Change any field of one entry (the same fields as /entry edit).
    Edit(edit::Args),
    /// List open follow-ups (overdue first), or mark one done.
    Followups(follow_ups::Args),
    /// Count entries by department, channel, formal/informal and contributor.
    Stats(stats::Args),
    /// Write entries as CSV or JSON, every field, one row per entry.
    Export(export::Args),
    /// Write a report to a folder: the entries as CSV, charts, and a Markdown summary.
    Report(report::Args),
    /// Read a CSV written by `export`; nothing is imported unless every row is valid.
    Import(import::Args),
    /// Print a weekly digest (text, JSON, or the Discord messages) without posting it.
    Digest(digest::Args),
    /// Retention, access and erasure requests, and the record of them.
    Privacy(privacy::Args),
    /// Partners: the people, organisations, teams and groups the library works with.
    Partner(partner::Args),
    /// Impact stories: mark an entry with what changed; the server's objectives.
    Impact(impact::Args),
    /// Events: `event export` and `event import` move a server's events, and which entries were
    /// heard at them, to another database.
    Event(event::Args),
    /// List the departments and whether each is served here; `departments served NAME --no` marks
    /// one the library does not serve, so the digest never lists it as quiet.
    Departments(departments::Args),
    /// The server's settings, privacy log and latest digest posted: `settings export` and
    /// `settings import` move them to another database.
    Settings(settings::Args),
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Validate the config file and print what it resolved.
    CheckConfig,
    /// The config file: `config init` writes an editable copy of the built-in one.
    Config(config::Args),
    /// Run the Discord bot (needs DISCORD_TOKEN) until Ctrl-C or SIGTERM.
    Run(run::Args),
    /// Register the bot's slash commands with Discord and exit (needs DISCORD_TOKEN).
    Register,
}

/// Why a command failed: `User` is something the person can fix (exit 2); `Internal` is not
/// (exit 1) and carries the whole chain of causes.
#[derive(Debug)]
pub enum CliError {
    User(String),
    Internal(anyhow::Error),
}

impl From<ServiceError> for CliError {
    fn from(e: ServiceError) -> Self {
        if e.is_user_error() {
            CliError::User(e.to_string())
        } else {
            CliError::Internal(e.into())
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        CliError::Internal(e)
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

/// What most subcommands need: the validated config, the open store and the guild.
pub struct Context {
    pub config: Config,
    pub store: Arc<dyn Store>,
    pub guild: GuildId,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Run(_)) {
        pipe::end_when_the_reader_goes();
    }
    // The bot logs a line per interaction, which is what an operator wants to see by default;
    // one-shot commands only speak up when something is wrong.
    logging::init(if matches!(cli.command, Command::Run(_)) { "info" } else { "warn" });
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::User(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(CliError::Internal(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> CliResult {
    let Cli { config: named, database, guild, command } = cli;
    // Writing a config must work where the one there does not load.
    if let Command::Config(args) = command {
        return config::run(named.as_deref(), args);
    }
    let config = load_config(named.as_deref())?;
    match command {
        Command::CheckConfig => check_config::run(&config),
        Command::Config(args) => config::run(named.as_deref(), args),
        Command::Migrate => migrate::run(&database).await,
        Command::Run(args) => run::run(config, &database, args).await,
        Command::Register => run::register().await,
        Command::Add(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(add::run(&ctx, args).await).await
        }
        Command::Search(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(search::run(&ctx, args).await).await
        }
        Command::Show(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(show::run(&ctx, args).await).await
        }
        Command::Delete(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(delete::run(&ctx, args).await).await
        }
        Command::Edit(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(edit::run(&ctx, args).await).await
        }
        Command::Followups(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(follow_ups::run(&ctx, args).await).await
        }
        Command::Stats(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(stats::run(&ctx, args).await).await
        }
        Command::Export(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(export::run(&ctx, args).await).await
        }
        Command::Report(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(report::run(&ctx, args).await).await
        }
        Command::Digest(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(digest::run(&ctx, args).await).await
        }
        Command::Import(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(import::run(&ctx, args).await).await
        }
        Command::Privacy(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(privacy::run(&ctx, args).await).await
        }
        Command::Partner(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(partner::run(&ctx, args).await).await
        }
        Command::Impact(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(impact::run(&ctx, args).await).await
        }
        Command::Event(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(event::run(&ctx, args).await).await
        }
        Command::Departments(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(departments::run(&ctx, args).await).await
        }
        Command::Settings(args) => {
            let ctx = Context::open(config, &database, guild).await?;
            ctx.finish(settings::run(&ctx, args).await).await
        }
    }
}

impl Context {
    async fn open(config: Config, database: &str, guild: Option<GuildId>) -> CliResult<Context> {
        let guild = guild.or(config.default_guild).ok_or_else(|| {
            CliError::User("no guild: pass --guild ID or set default_guild in the config".into())
        })?;
        let store = open_store(database, &config.database).await?;
        Ok(Context { config, store, guild })
    }

    /// Closes the store (checkpointing its log) whatever the command's outcome.
    async fn finish(&self, result: CliResult) -> CliResult {
        self.store.close().await;
        result
    }
}

/// The named file, else `config/liaison.toml` in the working directory, else the built-in config.
fn load_config(named: Option<&std::path::Path>) -> CliResult<Config> {
    Config::find(named, std::path::Path::new("")).map_err(|e| match &e {
        ConfigError::Read { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
            CliError::User(format!(
                "{e} (`liaison config init {}` writes one; without --config and LIAISON_CONFIG the built-in defaults are used)",
                path.display()
            ))
        }
        _ => CliError::User(e.to_string()),
    })
}

/// Opens the store; the URL is named in errors without its password.
async fn open_store(url: &str, options: &store::DatabaseOptions) -> CliResult<Arc<dyn Store>> {
    store::connect_with(url, options).await.map_err(|e| match e {
        store::StoreError::UnsupportedUrl(_) => CliError::User(e.to_string()),
        other => CliError::Internal(
            anyhow::Error::new(other).context(format!("opening the database {}", store::redacted(url))),
        ),
    })
}
