//! A partner add waiting for "Add anyway": when close names were offered instead, the request is
//! kept on the server (in the saved-search table, under a payload shape of its own, as a pending
//! erasure is), since its notes and link may be far longer than a button's id can carry.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{add, Added, PartnerInput};
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::partner::{PartnerKind, PartnerStatus};
use crate::domain::rules::Rules;
use crate::service::{ServiceError, ServiceResult};
use crate::store::Store;

/// How long a kept request can still be added: it is forgotten once added, and not honoured after.
pub const ADD_ANYWAY_WITHIN: Duration = Duration::hours(1);

/// Its own field names, so that no saved search or pending erasure reads as one.
#[derive(Debug, Serialize, Deserialize)]
struct PendingAdd {
    guild: GuildId,
    partner_add_by: UserId,
    kind: PartnerKind,
    name: String,
    departments: Vec<DepartmentKey>,
    owners: Vec<UserId>,
    notes: String,
    link: Option<String>,
}

/// Keeps `input`, asked for by `by`, until it is added anyway; returns the id a button carries.
pub async fn keep(
    store: &dyn Store,
    guild: GuildId,
    by: UserId,
    input: &PartnerInput,
    now: DateTime<Utc>,
) -> ServiceResult<i64> {
    let pending = PendingAdd {
        guild,
        partner_add_by: by,
        kind: input.kind,
        name: input.name.clone(),
        departments: input.departments.iter().map(|d| d.key().clone()).collect(),
        owners: input.owners.clone(),
        notes: input.notes.clone(),
        link: input.link.clone(),
    };
    let payload = serde_json::to_string(&pending).map_err(|e| ServiceError::Io(std::io::Error::other(e)))?;
    Ok(store.save_search(guild, by, &payload, now).await?)
}

/// Adds the request kept under `id`, close names or not, for the member who made it (an id can be
/// typed by anyone); `None` when nothing of theirs is waiting there any more (added already, or
/// over [`ADD_ANYWAY_WITHIN`] old). Once added it is forgotten, so a second press adds nothing.
pub async fn add_kept(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    by: UserId,
    id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Added>> {
    let Some((payload, saved_at)) = store.saved_search(guild, id).await? else { return Ok(None) };
    if now - saved_at > ADD_ANYWAY_WITHIN {
        return Ok(None);
    }
    let kept = serde_json::from_str::<PendingAdd>(&payload)
        .ok()
        .filter(|p| p.guild == guild && p.partner_add_by == by);
    let Some(kept) = kept else { return Ok(None) };
    let input = PartnerInput {
        kind: kept.kind,
        name: kept.name,
        departments: kept.departments.iter().filter_map(|k| rules.departments.by_key(k)).cloned().collect(),
        owners: kept.owners,
        notes: kept.notes,
        link: kept.link,
        status: PartnerStatus::Active,
    };
    let added = add(store, rules, guild, by, input, true, now).await?;
    store.forget_search(guild, id).await?;
    Ok(Some(added))
}
