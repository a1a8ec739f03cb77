//! `liaison privacy erase --text "TEXT" [--dry-run]` and `liaison privacy erase --author ID
//! [--delete] [--dry-run]` and `liaison privacy erase --partner NAME [--dry-run]`: an erasure
//! request, done at once (the command line is the operator's tool) and recorded in the privacy log
//! without the text or name.

use chrono::Utc;

use super::find::{entries, partners};
use super::{CliError, CliResult, Context};
use crate::domain::ids::UserId;
use crate::domain::mention::Mention;
use crate::domain::privacy::FORMER_MEMBER;
use crate::service::privacy::erasure::{erase_author, erase_partner, erase_text, AuthorErasure};

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["text", "author", "partner"])))]
pub struct Args {
    /// Replace every mention of this (whole words, ignoring case and accents) with "[erased]",
    /// in entries and in partners' names and notes; a tag that mentions it is removed, an author
    /// name or source that does is cleared.
    #[arg(long)]
    text: Option<String>,
    /// Delete this person partner (by name) and its links to entries; the entries stay.
    #[arg(long, value_name = "NAME")]
    partner: Option<String>,
    /// Remove this Discord user id and their name from their entries (kept, attributed to
    /// "former member").
    #[arg(long)]
    author: Option<UserId>,
    /// With --author: delete their entries instead.
    #[arg(long)]
    delete: bool,
    /// Say how many entries would change, and change nothing.
    #[arg(long)]
    dry_run: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    if args.delete && args.author.is_none() {
        return Err(CliError::User("--delete goes with --author: it deletes a member's entries".into()));
    }
    let by = super::operator();
    let store = ctx.store.as_ref();
    let now = Utc::now();
    let message = match (args.text, args.author, args.partner) {
        (Some(text), None, None) => {
            let mention = Mention::new(&text).map_err(|e| CliError::User(e.to_string()))?;
            let n = erase_text(store, ctx.guild, &mention, args.dry_run, &by, now).await?;
            let text = text.trim();
            let verb = if args.dry_run { "would erase" } else { "erased" };
            let said = match n.partners {
                0 => format!("{verb} \"{text}\" in {}", entries(n.entries)),
                p => format!("{verb} \"{text}\" in {} and {}", entries(n.entries), partners(p)),
            };
            match n.impact_stories {
                0 => said,
                1 => format!("{said}, and in 1 impact story's outcome"),
                s => format!("{said}, and in {s} impact stories' outcomes"),
            }
        }
        (None, Some(author), None) => {
            let how = if args.delete { AuthorErasure::Delete } else { AuthorErasure::Anonymise };
            let n = erase_author(store, ctx.guild, author, how, args.dry_run, &by, now).await?;
            match (how, args.dry_run) {
                (AuthorErasure::Anonymise, false) => {
                    format!("{} now attributed to \"{FORMER_MEMBER}\"", entries(n))
                }
                (AuthorErasure::Anonymise, true) => {
                    format!("would attribute {} to \"{FORMER_MEMBER}\"", entries(n))
                }
                (AuthorErasure::Delete, false) => format!("deleted {}", entries(n)),
                (AuthorErasure::Delete, true) => format!("would delete {}", entries(n)),
            }
        }
        (None, None, Some(name)) => {
            let partner = crate::cli::resolve::partner(ctx, &name).await?;
            let n = erase_partner(store, ctx.guild, partner.id, args.dry_run, &by, now).await?;
            if args.dry_run {
                format!(
                    "would delete partner \"{}\" and its links to {} (they stay)",
                    partner.name,
                    entries(n)
                )
            } else {
                format!("deleted partner \"{}\" and its links to {} (they stay)", partner.name, entries(n))
            }
        }
        // clap requires exactly one of the three.
        _ => return Err(CliError::User("give exactly one of --text, --author and --partner".into())),
    };
    println!("{message}");
    Ok(())
}
