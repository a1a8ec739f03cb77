//! `liaison add`: record a piece of intel.

use chrono::Utc;

use super::{output, resolve, CliResult, Context};
use crate::domain::entry::Author;
use crate::domain::ids::UserId;
use crate::domain::privacy::Share;
use crate::service::capture::{capture, CaptureRequest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Academic department (name or alias).
    #[arg(long, short)]
    department: String,
    /// Another department it concerns (name or alias); repeat for more. A cross-disciplinary
    /// entry counts once in totals and once under each department it names.
    #[arg(long = "also-department", value_name = "D")]
    also_departments: Vec<String>,
    /// A partner it concerns (its name, as `liaison partner list` shows it); repeat for more.
    #[arg(long = "partner", value_name = "NAME")]
    partners: Vec<String>,
    /// What you heard (1 to 4000 characters; #hashtags become tags).
    #[arg(long, short)]
    note: String,
    /// How it reached you (a channel key or name from the config) [default: the config's].
    #[arg(long, short)]
    channel: Option<String>,
    /// Tags, separated by commas (or spaces).
    #[arg(long, short)]
    tags: Option<String>,
    /// When it happened: today, yesterday, monday, 3 days ago, 3 Nov, 2026-11-03 ...
    #[arg(long)]
    when: Option<String>,
    /// Create a follow-up for the author, due then: tomorrow, friday, in 7 days, 3 Dec ...
    #[arg(long)]
    follow_up: Option<String>,
    /// Discord user id of the author [default: 0, for entries made outside Discord].
    #[arg(long, default_value_t = UserId(0))]
    author_id: UserId,
    /// Author's name [default: $USER].
    #[arg(long)]
    author_name: Option<String>,
    /// Link to the message this came from.
    #[arg(long)]
    source: Option<String>,
    /// Keep the text to its author and admins (`/intel share:private`): counted everywhere, never
    /// shown in the digest, in "who else heard this" or in another member's searches.
    #[arg(long)]
    private: bool,
    /// Print the stored entry as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let name = args
        .author_name
        .or_else(|| std::env::var("USER").ok())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "liaison CLI".to_string());
    let rules = &ctx.config.rules;
    let mut partners = Vec::new();
    for typed in &args.partners {
        partners.push(resolve::partner(ctx, typed).await?);
    }
    let request = CaptureRequest {
        also_departments: args
            .also_departments
            .iter()
            .map(|d| resolve::department(rules, d).cloned())
            .collect::<CliResult<_>>()?,
        partners,
        guild: ctx.guild,
        author: Author { id: args.author_id, name },
        department: resolve::department(rules, &args.department)?.clone(),
        channel: resolve::optional_channel(rules, args.channel.as_deref())?,
        note: args.note,
        tags: args.tags,
        when: args.when,
        follow_up: args.follow_up,
        source: args.source,
        share: if args.private { Share::Private } else { Share::Team },
    };
    let entry = capture(ctx.store.as_ref(), &ctx.config.rules, request, Utc::now()).await?;
    if args.json {
        output::print_json(&output::EntryView::new(&entry, &ctx.config.rules))
    } else {
        println!("{}", output::saved_line(&entry, &ctx.config.rules));
        Ok(())
    }
}
