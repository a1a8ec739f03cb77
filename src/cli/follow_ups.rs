//! `liaison followups`: open follow-ups, overdue first; `--done ID` marks one done.

use chrono::Utc;

use super::output::{self, EntryView};
use super::{resolve, CliResult, Context};
use crate::domain::ids::{EntryId, UserId};
use crate::service::entries::Actor;
use crate::service::follow_ups::{mark_done, open, FollowUpRequest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only those owned by this Discord user id.
    #[arg(long)]
    owner: Option<UserId>,
    /// Only this department.
    #[arg(long, short)]
    department: Option<String>,
    /// Only overdue ones.
    #[arg(long)]
    overdue: bool,
    /// Mark this entry's follow-up done instead of listing.
    #[arg(long, value_name = "ID")]
    done: Option<EntryId>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let rules = &ctx.config.rules;
    let now = Utc::now();
    if let Some(id) = args.done {
        // The command line is run by whoever administers the install, so it acts as an admin.
        let actor = Actor { id: UserId(0), is_admin: true };
        let entry = mark_done(ctx.store.as_ref(), ctx.guild, id, actor, now).await?;
        println!("Follow-up on entry #{} is done.", entry.id);
        return Ok(());
    }
    let request = FollowUpRequest {
        guild: ctx.guild,
        owner: args.owner,
        department: resolve::optional_department(rules, args.department.as_deref())?,
        overdue_only: args.overdue,
    };
    let entries = open(ctx.store.as_ref(), rules, &request, now).await?;
    if args.json {
        return output::print_json(&entries.iter().map(|e| EntryView::new(e, rules)).collect::<Vec<_>>());
    }
    if entries.is_empty() {
        println!("No open follow-ups.");
    }
    let today = rules.today(now);
    for e in &entries {
        println!("{}", output::follow_up_line(e, rules, today));
    }
    Ok(())
}
