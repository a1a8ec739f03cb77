//! A report about one partner: its entries read through the partner's link index (a partner's
//! entries, not the guild's), and what is around them.

use super::model::Around;
use super::Plan;
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::partner::PartnerLink;
use crate::domain::rules::Rules;
use crate::domain::stats::Count;
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
                _ if filter.department.as_ref().is_none_or(|keys| e.is_filed_under(keys)) => out.push(e),
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

/// What is around a partner's entries in its report: the partner's entries in the period before,
/// the partner itself as the one partner reached, and the follow-ups of its entries closed in the
/// report's days. Its entries themselves are counted as they are written (`Tally`).
pub async fn around(
    store: &dyn Store,
    rules: &Rules,
    plan: &Plan,
    partner: &PartnerLink,
    entries: &[Entry],
) -> ServiceResult<Around> {
    let previous = match plan.scope.previous(rules) {
        Some(prev) => {
            let filter = EntryFilter { occurred: prev.range, ..plan.filter.clone() };
            let before = self::entries(store, plan.guild, partner, &filter).await?.len() as u64;
            Some((prev, before))
        }
        None => None,
    };
    let range = plan.scope.range;
    let follow_ups_closed = entries
        .iter()
        .filter_map(|e| e.follow_up.as_ref())
        .filter(|f| f.status == FollowUpStatus::Done)
        .filter(|f| f.done_at.is_some_and(|t| range.is_none_or(|r| r.contains(t))))
        .count() as u64;
    Ok(Around {
        previous,
        partners: vec![Count {
            key: partner.id.to_string(),
            label: partner.name.as_str().to_string(),
            count: entries.len() as u64,
        }],
        follow_ups_closed,
        events: Vec::new(),
        impact: Vec::new(),
    })
}
