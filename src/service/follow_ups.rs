//! Follow-ups: what somebody promised to do, and marking it done.

use chrono::{DateTime, SubsecRound, Utc};

use super::{filed_under, ServiceError, ServiceResult};
use crate::domain::department::Department;
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::rules::Rules;
use crate::service::entries::Actor;
use crate::store::{FollowUpFilter, Store};

#[derive(Debug, Clone)]
pub struct FollowUpRequest {
    pub guild: GuildId,
    pub owner: Option<UserId>,
    pub department: Option<Department>,
    pub overdue_only: bool,
}

/// Open follow-ups, overdue ones first (each group soonest due first).
pub async fn open(
    store: &dyn Store,
    rules: &Rules,
    request: &FollowUpRequest,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Entry>> {
    let today = rules.today(now);
    let department = filed_under::filter(store, rules, request.guild, request.department.as_ref()).await?;
    let filter = FollowUpFilter {
        owner: request.owner,
        department,
        overdue_on: request.overdue_only.then_some(today),
    };
    let mut entries = store.open_follow_ups(request.guild, &filter).await?;
    // Stable: within each group the store's due-date order stands.
    entries.sort_by_key(|e| !e.follow_up.as_ref().is_some_and(|f| f.is_overdue(today)));
    Ok(entries)
}

/// Marks an entry's follow-up done. Its owner, the entry's author or an admin may.
pub async fn mark_done(
    store: &dyn Store,
    guild: GuildId,
    id: EntryId,
    actor: Actor,
    now: DateTime<Utc>,
) -> ServiceResult<Entry> {
    let entry = super::entries::show(store, guild, id).await?;
    let Some(follow_up) = &entry.follow_up else {
        return Err(ServiceError::invalid(format!("entry #{id} has no follow-up")));
    };
    if follow_up.status == FollowUpStatus::Done {
        return Ok(entry);
    }
    if !(actor.is_admin || follow_up.owner == actor.id || entry.author.id == actor.id) {
        return Err(ServiceError::Forbidden(
            "only the follow-up's owner, the entry's author or an admin can mark it done".into(),
        ));
    }
    store.set_follow_up_done(guild, id, Some(now.trunc_subsecs(3))).await?.ok_or(ServiceError::NotFound(id))
}
