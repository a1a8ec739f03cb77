//! `liaison partner show NAME`: what `/partner show` gives, in a terminal: the profile, owners,
//! last contact and its channel, the entries newest first (paged as search is), open follow-ups
//! and entries per month for the last twelve months.

use chrono::Utc;
use serde::Serialize;

use super::{departments_text, owners_text, partner, PartnerView};
use super::{CliError, CliResult, Context};
use crate::cli::output::{self, EntryView};
use crate::domain::rules::Rules;
use crate::service::partners::{self, Timeline};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The partner's name (case, accents and punctuation ignored).
    name: String,
    /// Page of entries, from 1.
    #[arg(long, default_value_t = 1)]
    page: u32,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonTimeline {
    partner: PartnerView,
    last_contact: Option<JsonContact>,
    total: u64,
    page: u32,
    pages: u32,
    entries: Vec<EntryView>,
    /// Ids of the partner's entries on this page that cannot be read.
    unreadable: Vec<String>,
    follow_ups: Vec<EntryView>,
    months: Vec<JsonMonth>,
}

#[derive(Serialize)]
struct JsonContact {
    at: String,
    channel: String,
    channel_name: String,
    entry: String,
}

#[derive(Serialize)]
struct JsonMonth {
    /// `2026-03`.
    month: String,
    entries: u64,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    if args.page == 0 {
        return Err(CliError::User("pages are numbered from 1".into()));
    }
    let rules = &ctx.config.rules;
    let found = partner(ctx, &args.name).await?;
    // The command line sees private entries, as an admin.
    let timeline =
        partners::show(ctx.store.as_ref(), rules, ctx.guild, found.id, None, args.page - 1, Utc::now())
            .await?;
    if args.json {
        output::print_json(&JsonTimeline {
            partner: PartnerView::new(&timeline.partner),
            last_contact: timeline.last_contact.as_ref().map(|c| JsonContact {
                at: c.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                channel: c.channel.as_str().to_string(),
                channel_name: rules.channels.display_name(&c.channel).to_string(),
                entry: c.entry.to_string(),
            }),
            total: timeline.total,
            page: timeline.page + 1,
            pages: pages(&timeline),
            entries: timeline.entries.iter().map(|e| EntryView::new(e, rules)).collect(),
            unreadable: timeline.unreadable.iter().map(|id| id.to_string()).collect(),
            follow_ups: timeline.follow_ups.iter().map(|e| EntryView::new(e, rules)).collect(),
            months: timeline
                .months
                .iter()
                .map(|(m, n)| JsonMonth { month: m.format("%Y-%m").to_string(), entries: *n })
                .collect(),
        })
    } else {
        print!("{}", text(&timeline, rules));
        Ok(())
    }
}

fn pages(t: &Timeline) -> u32 {
    let per_page = u64::from(t.per_page.max(1));
    u32::try_from(t.total.div_ceil(per_page)).unwrap_or(u32::MAX).max(1)
}

fn text(t: &Timeline, rules: &Rules) -> String {
    let p = &t.partner.profile;
    let mut out = format!("{} ({}, {})\n", p.name, p.kind.as_str(), p.status.as_str());
    let mut line = |label: &str, value: &str| {
        if !value.is_empty() {
            out.push_str(&format!("  {label:<13} {value}\n"));
        }
    };
    line("departments", &departments_text(rules, &t.partner));
    line("looked after", &owners_text(&p.owners));
    line("link", p.link.as_deref().unwrap_or(""));
    let contact = match &t.last_contact {
        Some(c) => format!(
            "{} through {} (entry #{})",
            output::date(c.at, rules),
            rules.channels.display_name(&c.channel),
            c.entry
        ),
        None => "never".to_string(),
    };
    line("last contact", &contact);
    line("added", &output::date(t.partner.created_at, rules));
    if !p.notes.is_empty() {
        out.push_str("  they want / we offer:\n");
        for l in p.notes.lines() {
            out.push_str(&format!("    {l}\n"));
        }
    }

    out.push('\n');
    if t.total == 0 && t.unreadable.is_empty() {
        out.push_str("No entries yet.\n");
    } else {
        out.push_str(&format!("Entries: {} (page {} of {}), newest first\n", t.total, t.page + 1, pages(t)));
        if t.entries.is_empty() && t.unreadable.is_empty() {
            out.push_str(&format!("  page {} is past the last page\n", t.page + 1));
        }
        for e in &t.entries {
            out.push_str(&format!(
                "  {:<7} {:<10}  {:<22} {:<16} {:<16} {}\n",
                format!("#{}", e.id),
                output::date(e.occurred_at, rules),
                output::truncate(rules.departments.display_name(&e.department), 22),
                output::truncate(rules.channels.display_name(&e.channel), 16),
                output::truncate(&e.author.name, 16),
                e.note.excerpt(60),
            ));
        }
        for id in &t.unreadable {
            out.push_str(&format!("  #{id:<6} could not be read (`liaison delete {id}` removes it)\n"));
        }
        if (t.page + 1) < pages(t) {
            out.push_str(&format!("  Next page: --page {}\n", t.page + 2));
        }
    }

    if !t.follow_ups.is_empty() {
        out.push_str("\nOpen follow-ups\n");
        let today = Utc::now().with_timezone(&rules.timezone).date_naive();
        for e in &t.follow_ups {
            out.push_str(&format!("  {}\n", output::follow_up_line(e, rules, today)));
        }
    }

    out.push_str("\nEntries per month\n");
    let most = t.months.iter().map(|(_, n)| *n).max().unwrap_or(0);
    for (month, n) in &t.months {
        // A bar of at most 30 marks, so the busiest month fills a narrow terminal's line.
        let width = if most == 0 { 0 } else { (n * 30).div_ceil(most) as usize };
        out.push_str(&format!("  {}  {n:>4}  {}\n", month.format("%Y-%m"), "#".repeat(width)));
    }
    out
}
