//! `liaison partner list`: partners by name, with filters (kind, owner, department, status, gone
//! quiet), their owner, last contact and entry count.

use chrono::Utc;
use serde::Serialize;

use super::{departments_text, parse_kind, parse_status, PartnerView};
use super::{resolve, CliError, CliResult, Context};
use crate::cli::output;
use crate::domain::ids::UserId;
use crate::domain::partner::{PartnerKind, PartnerStatus};
use crate::domain::words;
use crate::service::partners::{self, ListRequest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only partners of this kind: person, organisation, team or group.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<PartnerKind>,
    /// Only partners this Discord user id owns or co-owns.
    #[arg(long)]
    owner: Option<UserId>,
    /// Only partners of this department (name or alias).
    #[arg(long)]
    department: Option<String>,
    /// Only partners gone quiet: no entry for this many weeks.
    #[arg(long, value_name = "N")]
    quiet_weeks: Option<u32>,
    /// Only active or dormant partners.
    #[arg(long, value_parser = parse_status)]
    status: Option<PartnerStatus>,
    /// Page number, from 1.
    #[arg(long, default_value_t = 1)]
    page: u32,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonList {
    total: u64,
    page: u32,
    pages: u32,
    partners: Vec<JsonRow>,
}

#[derive(Serialize)]
struct JsonRow {
    #[serde(flatten)]
    partner: PartnerView,
    last_contact: Option<String>,
    entries: u64,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    if args.page == 0 {
        return Err(CliError::User("pages are numbered from 1".into()));
    }
    let rules = &ctx.config.rules;
    let request = ListRequest {
        kind: args.kind,
        owner: args.owner,
        department: resolve::optional_department(rules, args.department.as_deref())?,
        status: args.status,
        quiet_weeks: args.quiet_weeks,
        page: args.page - 1,
    };
    let list = partners::list(ctx.store.as_ref(), rules, ctx.guild, &request, Utc::now()).await?;
    let pages =
        u32::try_from(list.total.div_ceil(u64::from(list.per_page.max(1)))).unwrap_or(u32::MAX).max(1);
    if args.json {
        return output::print_json(&JsonList {
            total: list.total,
            page: list.page + 1,
            pages,
            partners: list
                .partners
                .iter()
                .map(|s| JsonRow {
                    partner: PartnerView::new(&s.partner),
                    last_contact: s
                        .last_contact
                        .as_ref()
                        .map(|c| c.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
                    entries: s.entries,
                })
                .collect(),
        });
    }
    if list.total == 0 {
        println!("No partners found.");
        return Ok(());
    }
    let noun = words::noun(list.total, "partner", "partners");
    println!("{} {noun} (page {} of {pages})", list.total, list.page + 1);
    println!(
        "{:<30} {:<12} {:<8} {:<20} {:<12} {:>7}  DEPARTMENTS",
        "NAME", "KIND", "STATUS", "OWNER", "LAST", "ENTRIES"
    );
    for s in &list.partners {
        let p = &s.partner.profile;
        println!(
            "{:<30} {:<12} {:<8} {:<20} {:<12} {:>7}  {}",
            output::truncate(p.name.as_str(), 30),
            p.kind.as_str(),
            p.status.as_str(),
            p.owner().map(|o| o.to_string()).unwrap_or_else(|| "-".into()),
            s.last_contact.as_ref().map(|c| output::date(c.at, rules)).unwrap_or_else(|| "never".into()),
            s.entries,
            departments_text(rules, &s.partner),
        );
    }
    if list.page + 1 < pages {
        println!("Next page: --page {}", list.page + 2);
    }
    Ok(())
}
