//! `liaison partner ...`: the partners a guild works with, as `/partner` manages them, from a
//! terminal; and their CSV, for a first set-up. One file per subcommand. The command line acts as
//! an admin (it holds the database), as user id 0.

mod add;
mod csv;
mod edit;
mod export;
mod import;
mod list;
mod merge;
mod show;

use super::{resolve, CliError, CliResult, Context};
use crate::domain::department::Department;
use crate::domain::ids::UserId;
use crate::domain::partner::{Partner, PartnerKind, PartnerLink, PartnerStatus};
use crate::domain::rules::Rules;
use crate::domain::words;
use crate::service::partners::{self, Actor};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: PartnerCommand,
}

#[derive(Debug, clap::Subcommand)]
enum PartnerCommand {
    /// Add a partner (a person, an organisation, a team or a group). A name close to an existing
    /// partner's is refused with the close names, unless --anyway.
    Add(add::Args),
    /// A partner's timeline: profile, owners, last contact, entries newest first, open
    /// follow-ups and entries per month for the last twelve months.
    Show(show::Args),
    /// List partners, by name, with filters.
    List(list::Args),
    /// Change a partner's profile; flags left out keep their value.
    Edit(edit::Args),
    /// Fold one partner into another: its entries, departments, owners and notes move over, and
    /// it is deleted.
    Merge(merge::Args),
    /// Write every partner as CSV (name,kind,departments,owners,status,link,notes).
    Export(export::Args),
    /// Add the partners of a CSV as `partner export` writes it; every row is checked before any
    /// is written, and partners whose name exists already are skipped.
    Import(import::Args),
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    match args.command {
        PartnerCommand::Add(args) => add::run(ctx, args).await,
        PartnerCommand::Show(args) => show::run(ctx, args).await,
        PartnerCommand::List(args) => list::run(ctx, args).await,
        PartnerCommand::Edit(args) => edit::run(ctx, args).await,
        PartnerCommand::Merge(args) => merge::run(ctx, args).await,
        PartnerCommand::Export(args) => export::run(ctx, args).await,
        PartnerCommand::Import(args) => import::run(ctx, args).await,
    }
}

/// Who the command line is to the partner services.
const ACTOR: Actor = Actor { user: UserId(0), is_admin: true };

/// For clap: a kind, with the valid ones named when it is not one.
fn parse_kind(s: &str) -> Result<PartnerKind, String> {
    PartnerKind::parse(s)
        .ok_or_else(|| format!("\"{s}\" is not a kind; use person, organisation, team or group"))
}

/// For clap: a status.
fn parse_status(s: &str) -> Result<PartnerStatus, String> {
    PartnerStatus::parse(s).ok_or_else(|| format!("\"{s}\" is not a status; use active or dormant"))
}

/// The partner a typed name names, or the closest names.
async fn named(ctx: &Context, typed: &str) -> CliResult<PartnerLink> {
    resolve::partner(ctx, typed).await
}

async fn partner(ctx: &Context, typed: &str) -> CliResult<Partner> {
    let link = named(ctx, typed).await?;
    Ok(partners::get(ctx.store.as_ref(), ctx.guild, link.id).await?)
}

/// Departments typed with repeated `--department`, each resolved; blanks are left out (so that
/// `--department ''` gives none).
fn departments(rules: &Rules, typed: &[String]) -> CliResult<Vec<Department>> {
    typed
        .iter()
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
        .map(|d| resolve::department(rules, d).cloned())
        .collect()
}

/// Owners typed with repeated `--owner`: Discord user ids; blanks are left out.
fn owners(typed: &[String]) -> CliResult<Vec<UserId>> {
    typed
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .map(|o| o.parse::<UserId>().map_err(|_| CliError::User(format!("\"{o}\" is not a Discord user id"))))
        .collect()
}

/// "owner 12, co-owners 34, 56", or "no owner".
fn owners_text(owners: &[UserId]) -> String {
    match owners.split_first() {
        None => "no owner".to_string(),
        Some((owner, [])) => format!("owner {owner}"),
        Some((owner, rest)) => format!(
            "owner {owner}, {} {}",
            words::noun(rest.len(), "co-owner", "co-owners"),
            rest.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The department names of a partner, for reading.
fn departments_text(rules: &Rules, partner: &Partner) -> String {
    partner
        .profile
        .departments
        .iter()
        .map(|d| rules.departments.display_name(d))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A partner as JSON shows it.
#[derive(Debug, serde::Serialize)]
struct PartnerView {
    id: String,
    name: String,
    kind: &'static str,
    status: &'static str,
    departments: Vec<String>,
    /// The owner first, then co-owners; Discord ids as strings.
    owners: Vec<String>,
    notes: String,
    link: Option<String>,
    created_at: String,
    updated_at: Option<String>,
}

impl PartnerView {
    fn new(p: &Partner) -> Self {
        let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        PartnerView {
            id: p.id.to_string(),
            name: p.profile.name.to_string(),
            kind: p.profile.kind.as_str(),
            status: p.profile.status.as_str(),
            departments: p.profile.departments.iter().map(|d| d.as_str().to_string()).collect(),
            owners: p.profile.owners.iter().map(|u| u.to_string()).collect(),
            notes: p.profile.notes.clone(),
            link: p.profile.link.clone(),
            created_at: time(p.created_at),
            updated_at: p.updated_at.map(time),
        }
    }
}
