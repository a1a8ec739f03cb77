//! A report about one partner: its entries read through the partner's link index (a partner's
//! entries, not the guild's), and counted here, as the store's counts know no partner filter.

use std::collections::HashMap;

use super::summary::{months_of, MonthCount, ReportSummary};
use super::Plan;
use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKey;
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::partner::PartnerLink;
use crate::domain::rules::Rules;
use crate::domain::stats::Count;
use crate::service::stats::by_department;
use crate::service::ServiceResult;
use crate::store::{EntryFilter, Store};

const PAGE: u32 = 500;

/// The partner's entries that `filter` selects, oldest first. Read newest first, so the reading
/// stops at the first entry older than the filter's start.
pub async fn entries(
    store: &dyn Store,
    plan_guild: crate::domain::ids::GuildId,
    partner: &PartnerLink,
    filter: &EntryFilter,
) -> ServiceResult<Vec<Entry>> {
    let mut out = Vec::new();
    let mut offset = 0u64;
    loop {
        let page = store.partner_entries(plan_guild, partner.id, None, offset, PAGE).await?;
        let n = page.entries.len() as u64;
        let mut older = false;
        for e in page.entries {
            match filter.occurred {
                Some(r) if e.occurred_at < r.start => older = true,
                Some(r) if !r.contains(e.occurred_at) => {}
                _ if filed_under(&e, filter) => out.push(e),
                _ => {}
            }
        }
        offset += n;
        if older || n < u64::from(PAGE) {
            break;
        }
    }
    out.sort_by_key(|e| (e.occurred_at, e.id));
    Ok(out)
}

fn filed_under(e: &Entry, filter: &EntryFilter) -> bool {
    match &filter.department {
        None => true,
        Some(keys) => {
            keys.keys().contains(&e.department) || e.also_departments.iter().any(|d| keys.keys().contains(d))
        }
    }
}

/// The summary of a partner's report, counted from its entries in the report's days and the
/// period before them.
pub fn summarise(
    rules: &Rules,
    plan: &Plan,
    partner: &PartnerLink,
    entries: &[Entry],
    previous: &[Entry],
) -> ReportSummary {
    let informal = entries.iter().filter(|e| e.informal).count() as u64;
    let mut departments: HashMap<DepartmentKey, u64> = HashMap::new();
    let mut channels: HashMap<String, u64> = HashMap::new();
    for e in entries {
        for d in std::iter::once(&e.department).chain(&e.also_departments) {
            *departments.entry(d.clone()).or_default() += 1;
        }
        *channels.entry(e.channel.as_str().to_string()).or_default() += 1;
    }
    let sorted = |counts: Vec<Count>| {
        let mut counts = counts;
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        counts
    };
    let by_department = by_department(
        sorted(
            departments
                .into_iter()
                .map(|(k, n)| Count { key: k.as_str().to_string(), label: k.as_str().to_string(), count: n })
                .collect(),
        ),
        &rules.departments,
    );
    let by_channel = sorted(
        channels
            .into_iter()
            .map(|(k, n)| {
                let label = rules
                    .channels
                    .by_key(&ChannelKey::from_stored(k.as_str()))
                    .map_or_else(|| k.clone(), |c| c.name().to_string());
                Count { key: k, label, count: n }
            })
            .collect(),
    );
    let range = plan.scope.range;
    let follow_ups_closed = entries
        .iter()
        .filter_map(|e| e.follow_up.as_ref())
        .filter(|f| f.status == FollowUpStatus::Done)
        .filter(|f| f.done_at.is_some_and(|t| range.is_none_or(|r| r.contains(t))))
        .count() as u64;
    let months = months_of(rules, &plan.scope)
        .into_iter()
        .map(|(month, days)| {
            let (mut formal, mut informal) = (0, 0);
            for e in entries.iter().filter(|e| days.contains(e.occurred_at)) {
                if e.informal {
                    informal += 1;
                } else {
                    formal += 1;
                }
            }
            MonthCount { month, formal, informal }
        })
        .collect();
    let total = entries.len() as u64;
    ReportSummary {
        scope: plan.scope.clone(),
        department: plan.department.as_ref().map(|d| d.name().to_string()),
        partner: Some(partner.name.as_str().to_string()),
        total,
        informal,
        previous: plan.scope.previous(rules).map(|p| (p, previous.len() as u64)),
        by_department,
        by_channel,
        partners: vec![Count {
            key: partner.id.to_string(),
            label: partner.name.as_str().to_string(),
            count: total,
        }],
        follow_ups_closed,
        months,
        hide_small_counts: plan.privacy.hide_small_counts,
        events: Vec::new(),
        impact: Vec::new(),
    }
}
