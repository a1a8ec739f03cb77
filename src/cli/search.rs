//! `liaison search`: ranked full-text search with filters, as a table or JSON; or, with
//! `--similar ID` (alone, as `/search similar:`), the colleagues' entries most like entry ID.

use chrono::Utc;
use serde::Serialize;

use super::output::{self, EntryView};
use super::{resolve, CliError, CliResult, Context};
use crate::domain::ids::{EntryId, UserId};
use crate::domain::search::SearchPage;
use crate::service::entries::Actor;
use crate::service::related;
use crate::service::search::{search, SearchRequest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words to look for (all of them must appear); leave out to list newest first.
    query: Vec<String>,
    /// Only this department (name or alias).
    #[arg(long, short)]
    department: Option<String>,
    /// Only this channel (key or name).
    #[arg(long, short)]
    channel: Option<String>,
    /// Only entries with this tag.
    #[arg(long, short)]
    tag: Option<String>,
    /// Only entries about this partner (its name).
    #[arg(long)]
    partner: Option<String>,
    /// Only entries by this Discord user id.
    #[arg(long)]
    author: Option<UserId>,
    /// From this date: 2026-09-01, last week, 3 days ago ...
    #[arg(long)]
    since: Option<String>,
    /// Up to and including this date.
    #[arg(long)]
    until: Option<String>,
    /// Page number, from 1.
    #[arg(long, default_value_t = 1)]
    page: u32,
    /// Results per page (1 to 100).
    #[arg(long, default_value_t = 10)]
    per_page: u32,
    /// List the colleagues' entries most like this entry (its id), with why; no other filter.
    #[arg(long, value_name = "ID", conflicts_with_all = [
        "query", "department", "channel", "tag", "partner", "author", "since", "until", "page", "per_page"
    ])]
    similar: Option<EntryId>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonSimilar {
    #[serde(flatten)]
    entry: EntryView,
    /// What it shares with the entry asked about, as that entry wrote it, most telling first.
    shared: Vec<String>,
}

#[derive(Serialize)]
struct JsonPage {
    total: u64,
    total_is_capped: bool,
    page: u32,
    pages: u32,
    hits: Vec<JsonHit>,
    /// Ids of matching entries on this page that cannot be read.
    unreadable: Vec<String>,
}

#[derive(Serialize)]
struct JsonHit {
    #[serde(flatten)]
    entry: EntryView,
    snippet: String,
    score: f64,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    if let Some(id) = args.similar {
        return similar(ctx, id, args.json).await;
    }
    if args.page == 0 {
        return Err(CliError::User("pages are numbered from 1".into()));
    }
    let rules = &ctx.config.rules;
    let partner = match args.partner.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(typed) => Some(resolve::partner(ctx, typed).await?.id),
        None => None,
    };
    let request = SearchRequest {
        partner,
        guild: ctx.guild,
        text: Some(args.query.join(" ")),
        department: resolve::optional_department(rules, args.department.as_deref())?,
        channel: resolve::optional_channel(rules, args.channel.as_deref())?,
        tag: args.tag,
        author: args.author,
        // Whoever runs the command line holds the database: they see private entries, as an admin.
        viewer: None,
        since: args.since,
        until: args.until,
        page: args.page - 1,
        per_page: Some(args.per_page),
    };
    let page = search(ctx.store.as_ref(), &ctx.config.rules, &request, Utc::now()).await?;
    if args.json {
        output::print_json(&JsonPage {
            total: page.total,
            total_is_capped: page.total_is_capped,
            page: page.page + 1,
            pages: page.page_count(),
            hits: page
                .hits
                .iter()
                .map(|h| JsonHit {
                    entry: EntryView::new(&h.entry, &ctx.config.rules),
                    snippet: output::plain(&h.snippet),
                    score: h.score,
                })
                .collect(),
            unreadable: page.unreadable.iter().map(|id| id.to_string()).collect(),
        })
    } else {
        print!("{}", table(ctx, &page));
        Ok(())
    }
}

/// `--similar ID`: as whoever holds the database, who sees private entries (as an admin does);
/// a private entry is never listed as like another, to anyone.
async fn similar(ctx: &Context, id: EntryId, json: bool) -> CliResult {
    let rules = &ctx.config.rules;
    let actor = Actor { id: UserId(0), is_admin: true };
    let (entry, found) =
        related::similar(ctx.store.as_ref(), rules, ctx.guild, id, actor, Utc::now()).await?;
    if json {
        let list: Vec<JsonSimilar> = found
            .iter()
            .map(|r| JsonSimilar { entry: EntryView::new(&r.entry, rules), shared: r.shared.clone() })
            .collect();
        return output::print_json(&list);
    }
    if found.is_empty() {
        println!("No colleague's entry from the six months before #{} is close enough.", entry.id);
        return Ok(());
    }
    println!("Most like #{} ({}), best first:", entry.id, output::truncate(&entry.note.excerpt(60), 60));
    println!(
        "{:<7} {:<10}  {:<22} {:<16} {:<16} {:<30} NOTE",
        "ID", "DATE", "DEPARTMENT", "CHANNEL", "AUTHOR", "SHARED"
    );
    for r in &found {
        let e = &r.entry;
        println!(
            "{:<7} {:<10}  {:<22} {:<16} {:<16} {:<30} {}",
            format!("#{}", e.id),
            output::date(e.occurred_at, rules),
            output::truncate(rules.departments.display_name(&e.department), 22),
            output::truncate(rules.channels.display_name(&e.channel), 16),
            output::truncate(&e.author.name, 16),
            output::truncate(&r.shared.join(", "), 30),
            e.note.excerpt(80),
        );
    }
    Ok(())
}

fn table(ctx: &Context, page: &SearchPage) -> String {
    let rules = &ctx.config.rules;
    let more = if page.total_is_capped { "+" } else { "" };
    if page.hits.is_empty() && page.unreadable.is_empty() {
        return if page.total == 0 {
            "No entries found.\n".to_string()
        } else {
            format!(
                "{}; page {} is past the last page ({}).\n",
                page.results_label(),
                page.page + 1,
                page.page_count()
            )
        };
    }
    let mut out =
        format!("{} (page {} of {}{more})\n", page.results_label(), page.page + 1, page.page_count());
    out.push_str(&format!(
        "{:<7} {:<10}  {:<22} {:<16} {:<16} {}\n",
        "ID", "DATE", "DEPARTMENT", "CHANNEL", "AUTHOR", "NOTE"
    ));
    for hit in &page.hits {
        let e = &hit.entry;
        out.push_str(&format!(
            "{:<7} {:<10}  {:<22} {:<16} {:<16} {}\n",
            format!("#{}", e.id),
            output::date(e.occurred_at, rules),
            output::truncate(rules.departments.display_name(&e.department), 22),
            output::truncate(rules.channels.display_name(&e.channel), 16),
            output::truncate(&e.author.name, 16),
            output::highlight(&hit.snippet),
        ));
    }
    for id in &page.unreadable {
        out.push_str(&format!(
            "{:<7} entry #{id} could not be read (`liaison delete {id}` removes it)\n",
            format!("#{id}")
        ));
    }
    if page.has_next() {
        out.push_str(&format!("Next page: --page {}\n", page.page + 2));
    }
    out
}
