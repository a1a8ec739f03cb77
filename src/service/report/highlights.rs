//! What the report lists beside its numbers: the events held in its days, and the impact stories
//! of its entries, narrowed as the report is (department, partner) and shared as the guild's
//! privacy settings allow.

use chrono::{Days, NaiveDate};

use super::model::{EventHeld, ImpactStory};
use super::scope::everything;
use super::Plan;
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::service::ServiceResult;
use crate::store::{ImpactDate, Store};

/// The events whose last day falls in the report's days (all of them when it runs from the
/// first entry), oldest first, with how many entries were heard at each.
pub async fn events(store: &dyn Store, plan: &Plan) -> ServiceResult<Vec<EventHeld>> {
    let first = plan.scope.first_day.unwrap_or(NaiveDate::MIN);
    let end = plan.scope.last_day.checked_add_days(Days::new(1)).unwrap_or(plan.scope.last_day);
    let mut held = Vec::new();
    for event in store.events_ended(plan.guild, first, end).await? {
        let about_department = plan
            .filter
            .department
            .as_ref()
            .is_none_or(|keys| event.departments.iter().any(|d| keys.keys().contains(d)));
        let about_partner =
            plan.partner.as_ref().is_none_or(|(p, _)| event.partners.iter().any(|q| q.id == p.id));
        if !about_department || !about_partner {
            continue;
        }
        let (entries, _) = crate::service::events::counted(store, &event).await?;
        held.push(EventHeld { name: event.name.as_str().to_string(), date: event.dates.ends_on(), entries });
    }
    Ok(held)
}

/// The impact stories of the entries the report covers (by when the entry happened), oldest
/// first. The outcome is left out, as the entries' notes are, for a private entry or where the
/// guild shares no excerpts.
pub async fn impact(store: &dyn Store, rules: &Rules, plan: &Plan) -> ServiceResult<Vec<ImpactStory>> {
    let range = plan.filter.occurred.unwrap_or_else(|| everything(rules, plan.scope.last_day));
    let lines = store.impact_stories_in(plan.guild, ImpactDate::Occurred, range.start, range.end).await?;
    Ok(lines
        .into_iter()
        .filter(|l| {
            plan.filter
                .department
                .as_ref()
                .is_none_or(|keys| l.departments.iter().any(|d| keys.keys().contains(d)))
        })
        .filter(|l| plan.partner.as_ref().is_none_or(|(p, _)| l.partners.iter().any(|q| q.id == p.id)))
        .map(|l| {
            let shared = plan.privacy.excerpts && l.share != Share::Private;
            ImpactStory {
                entry: l.story.entry,
                outcome: shared.then(|| l.story.outcome.as_str().to_string()),
                objective: Some(l.story.objective.as_str().to_string()),
                evidence: l.story.evidence.as_ref().map(|e| e.as_str().to_string()),
            }
        })
        .collect())
}
