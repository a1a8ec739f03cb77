//! `liaison partner add`: a new partner. A name close to an existing partner's is refused (exit 2)
//! with the close names, so that nobody adds "Dr A Field" beside "Dr A. Field" by mistake.

use chrono::Utc;

use super::{departments, owners, owners_text, parse_kind, PartnerView, ACTOR};
use super::{CliError, CliResult, Context};
use crate::cli::output;
use crate::domain::partner::{PartnerKind, PartnerStatus};
use crate::service::partners::{self, Added, PartnerInput};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The partner's name (unique in the server, ignoring case and accents).
    #[arg(long)]
    name: String,
    /// person, organisation, team or group.
    #[arg(long, value_parser = parse_kind)]
    kind: PartnerKind,
    /// A department it belongs to (name or alias); repeat for more.
    #[arg(long = "department", value_name = "D")]
    departments: Vec<String>,
    /// Discord user id of a member who looks after it; the first is the owner, the others
    /// co-owners.
    #[arg(long = "owner", value_name = "ID")]
    owners: Vec<String>,
    /// "They want / we offer": a short note.
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    notes: String,
    /// A link (their page, a profile).
    #[arg(long)]
    link: Option<String>,
    /// Add it even if a partner with a close name exists.
    #[arg(long)]
    anyway: bool,
    /// Print the stored partner as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let rules = &ctx.config.rules;
    let input = PartnerInput {
        kind: args.kind,
        name: args.name,
        departments: departments(rules, &args.departments)?,
        owners: owners(&args.owners)?,
        notes: args.notes,
        link: args.link.filter(|l| !l.trim().is_empty()),
        status: PartnerStatus::Active,
    };
    let name = input.name.trim().to_string();
    let added =
        partners::add(ctx.store.as_ref(), rules, ctx.guild, ACTOR.user, input, args.anyway, Utc::now())
            .await?;
    let partner = match added {
        Added::Added(partner) => partner,
        Added::Close(close) => {
            let names: Vec<String> = close.iter().map(|p| format!("\"{}\"", p.name)).collect();
            return Err(CliError::User(format!(
                "partners with close names exist: {}. Use one of them, or add \"{name}\" anyway with --anyway",
                names.join(", ")
            )));
        }
    };
    if args.json {
        return output::print_json(&PartnerView::new(&partner));
    }
    println!(
        "Added partner \"{}\" ({}) · {}",
        partner.profile.name,
        partner.profile.kind.as_str(),
        owners_text(&partner.profile.owners)
    );
    Ok(())
}
