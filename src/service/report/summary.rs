//! The report's summary: the counts of its entries (`Tally`, counted as the entries are written),
//! what is around them (the period before, partners, follow-ups closed, events, impact stories),
//! and their Markdown for an annual report.

use std::fmt::Write as _;

use super::model::{Around, ReportSummary};
use super::scope::everything;
use super::tally::EntryCounts;
use super::{highlights, partner, Plan};
use crate::domain::privacy::shown_count;
use crate::domain::rules::Rules;
use crate::domain::stats::Count;
use crate::service::ServiceResult;
use crate::store::{EntryFilter, Store};

impl ReportSummary {
    /// The summary of `plan`'s report, from the counts of its entries and what is around them.
    pub fn of(plan: &Plan, counts: EntryCounts, around: Around) -> Self {
        ReportSummary {
            scope: plan.scope.clone(),
            department: plan.department.as_ref().map(|d| d.name().to_string()),
            partner: plan.partner.as_ref().map(|(p, _)| p.name.as_str().to_string()),
            total: counts.total,
            informal: counts.informal,
            previous: around.previous,
            by_department: counts.by_department,
            by_channel: counts.by_channel,
            partners: around.partners,
            follow_ups_closed: around.follow_ups_closed,
            months: counts.months,
            hide_small_counts: plan.privacy.hide_small_counts,
            events: around.events,
            impact: around.impact,
        }
    }
}

/// What is around the report's entries: for the guild's report, the period before, the partners
/// heard from and the follow-ups closed in its days; for a partner's, the same of the partner's
/// entries (`partner::around`). Then the events held and the impact stories, for either.
pub async fn around(store: &dyn Store, rules: &Rules, plan: &Plan) -> ServiceResult<Around> {
    let mut around = match &plan.partner {
        Some((link, entries)) => partner::around(store, rules, plan, link, entries).await?,
        None => guild_around(store, rules, plan).await?,
    };
    around.events = highlights::events(store, plan).await?;
    around.impact = highlights::impact(store, rules, plan).await?;
    Ok(around)
}

async fn guild_around(store: &dyn Store, rules: &Rules, plan: &Plan) -> ServiceResult<Around> {
    let guild = plan.guild;
    let previous = match plan.scope.previous(rules) {
        Some(prev) => {
            let filter = EntryFilter { occurred: prev.range, ..plan.filter.clone() };
            Some((prev, store.count_entries(guild, &filter).await?))
        }
        None => None,
    };
    let range = plan.scope.range.unwrap_or_else(|| everything(rules, plan.scope.last_day));
    let partners = store
        .partners_heard(guild, range.start, range.end)
        .await?
        .into_iter()
        .map(|(p, n)| Count { key: p.id.to_string(), label: p.name.as_str().to_string(), count: n })
        .collect();
    let done = store.follow_ups_done(guild, range).await?;
    let follow_ups_closed = match &plan.filter.department {
        None => done.len() as u64,
        Some(keys) => done.iter().filter(|e| e.is_filed_under(keys)).count() as u64,
    };
    Ok(Around { previous, partners, follow_ups_closed, events: Vec::new(), impact: Vec::new() })
}

/// Markdown text made inert: names are people's own text.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '.'
                | '!'
                | '|'
                | '~'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "0%".to_string()
    } else {
        format!("{:.0}%", part as f64 * 100.0 / whole as f64)
    }
}

/// The summary as Markdown, sections in the order an annual report reads them.
pub fn render(s: &ReportSummary) -> String {
    let n = |c: u64| shown_count(s.hide_small_counts, c);
    let hidden = |c: u64| s.hide_small_counts && c < crate::domain::privacy::SMALL_COUNT;
    let mut out = String::new();
    let _ = writeln!(out, "# Liaison report: {}", s.scope.label());
    if let Some(d) = &s.department {
        let _ = writeln!(out, "\nDepartment: {}", md(d));
    }
    if let Some(p) = &s.partner {
        let _ = writeln!(out, "\nPartner: {}", md(p));
    }
    let _ = writeln!(out, "\n## Totals\n");
    let _ = writeln!(out, "- Entries: {}", n(s.total));
    if let Some((prev, before)) = &s.previous {
        let change = if *before == 0 || hidden(s.total) || hidden(*before) {
            String::new()
        } else {
            let pct = (s.total as f64 - *before as f64) * 100.0 / *before as f64;
            format!(" ({pct:+.0}%)")
        };
        let _ = writeln!(out, "- Previous period ({}): {}{change}", prev.label(), n(*before));
    }
    if !hidden(s.total) && !hidden(s.informal) {
        let _ = writeln!(
            out,
            "- Informal share: {} ({} of {})",
            percent(s.informal, s.total),
            n(s.informal),
            n(s.total)
        );
    } else {
        let _ = writeln!(out, "- Informal entries: {}", n(s.informal));
    }
    let _ = writeln!(out, "- Departments reached: {}", s.by_department.len());
    let _ = writeln!(out, "- Partners reached: {}", s.partners.len());
    let _ = writeln!(out, "- Follow-ups closed: {}", n(s.follow_ups_closed));
    table(&mut out, "Departments reached", "Department", &s.by_department, &n);
    table(&mut out, "Channels", "Channel", &s.by_channel, &n);
    table(&mut out, "Partners reached", "Partner", &s.partners, &n);
    if !s.events.is_empty() {
        let _ = writeln!(out, "\n## Events held\n");
        for e in &s.events {
            let heard = crate::domain::words::shown(s.hide_small_counts, e.entries, "entry", "entries");
            let _ = writeln!(out, "- {}: {} ({heard})", e.date, md(&e.name));
        }
    }
    if !s.impact.is_empty() {
        let _ = writeln!(out, "\n## Impact stories\n");
        for i in &s.impact {
            let outcome = i.outcome.as_deref().map_or_else(|| "(not shared)".to_string(), md);
            let _ = write!(out, "- Entry #{}: {outcome}", i.entry);
            if let Some(o) = &i.objective {
                let _ = write!(out, " (objective: {})", md(o));
            }
            if let Some(link) = &i.evidence {
                let _ = write!(out, " Evidence: <{}>", link.replace(['<', '>', ' '], ""));
            }
            out.push('\n');
        }
    }
    out
}

fn table(out: &mut String, title: &str, column: &str, counts: &[Count], n: &dyn Fn(u64) -> String) {
    if counts.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {title}\n\n| {column} | Entries |\n| --- | ---: |");
    for c in counts {
        let _ = writeln!(out, "| {} | {} |", md(&c.label), n(c.count));
    }
}
