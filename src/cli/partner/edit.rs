//! `liaison partner edit NAME`: changes a partner's profile. A flag left out keeps its value; a
//! repeated `--department` or `--owner` replaces the whole list (`--department ''` and
//! `--owner ''` empty it), and `--link ''` removes the link.

use chrono::Utc;

use super::{departments, owners, owners_text, parse_kind, parse_status, partner, PartnerView, ACTOR};
use super::{CliError, CliResult, Context};
use crate::cli::output;
use crate::domain::partner::{PartnerKind, PartnerStatus};
use crate::service::partners::{self, PartnerInput};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The partner's current name.
    partner: String,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    /// person, organisation, team or group.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<PartnerKind>,
    /// Its departments (name or alias), replacing the current ones; repeat for more.
    #[arg(long = "department", value_name = "D")]
    departments: Option<Vec<String>>,
    /// Its owner then co-owners (Discord user ids), replacing the current ones; repeat for more.
    #[arg(long = "owner", value_name = "ID")]
    owners: Option<Vec<String>>,
    /// "They want / we offer".
    #[arg(long, allow_hyphen_values = true)]
    notes: Option<String>,
    /// A link; '' removes it.
    #[arg(long)]
    link: Option<String>,
    /// active or dormant.
    #[arg(long, value_parser = parse_status)]
    status: Option<PartnerStatus>,
    /// Print the stored partner as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let rules = &ctx.config.rules;
    let current = partner(ctx, &args.partner).await?;
    let p = &current.profile;
    let departments = match &args.departments {
        Some(typed) => departments(rules, typed)?,
        // Kept as they are, each through the catalogue (a renamed department is found by its
        // old key); one that left the config has to be named again, or left out.
        None => p
            .departments
            .iter()
            .map(|key| {
                rules.departments.by_key(key).cloned().ok_or_else(|| {
                    CliError::User(format!(
                        "the department \"{key}\" is no longer in the config; give the partner's \
                         departments with --department",
                        key = key.as_str()
                    ))
                })
            })
            .collect::<CliResult<Vec<_>>>()?,
    };
    let input = PartnerInput {
        kind: args.kind.unwrap_or(p.kind),
        name: args.name.unwrap_or_else(|| p.name.to_string()),
        departments,
        owners: match &args.owners {
            Some(typed) => owners(typed)?,
            None => p.owners.clone(),
        },
        notes: args.notes.unwrap_or_else(|| p.notes.clone()),
        link: match args.link {
            Some(link) => Some(link).filter(|l| !l.trim().is_empty()),
            None => p.link.clone(),
        },
        status: args.status.unwrap_or(p.status),
    };
    let edited =
        partners::edit(ctx.store.as_ref(), rules, ctx.guild, current.id, ACTOR, input, Utc::now()).await?;
    if args.json {
        return output::print_json(&PartnerView::new(&edited));
    }
    println!(
        "Saved partner \"{}\" ({}, {}) · {}",
        edited.profile.name,
        edited.profile.kind.as_str(),
        edited.profile.status.as_str(),
        owners_text(&edited.profile.owners)
    );
    Ok(())
}
