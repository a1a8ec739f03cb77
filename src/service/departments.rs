//! Which departments a guild's library serves: the config's `served`, unless the server's admins
//! chose otherwise. A department not served is never listed as gone quiet; entries can still be
//! filed under it and counted.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{ServiceError, ServiceResult};
use crate::domain::department::{Department, DepartmentCatalogue, DepartmentKey};
use crate::domain::ids::GuildId;
use crate::store::Store;

/// One department as `liaison departments` and `/settings show` list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentServed {
    pub name: String,
    pub served: bool,
    /// The server's admins chose it, rather than the config.
    pub chosen_here: bool,
}

/// Every catalogue department, in catalogue order, with whether the guild serves it.
pub async fn listed(
    store: &dyn Store,
    catalogue: &DepartmentCatalogue,
    guild: GuildId,
) -> ServiceResult<Vec<DepartmentServed>> {
    let chosen = chosen(store, catalogue, guild).await?;
    Ok(catalogue
        .iter()
        .map(|d| {
            let here = chosen.get(d.key()).copied();
            DepartmentServed {
                name: d.name().to_string(),
                served: here.unwrap_or(d.served()),
                chosen_here: here.is_some(),
            }
        })
        .collect())
}

/// The keys of the catalogue departments the guild does not serve, in catalogue order: those the
/// digest never lists as quiet.
pub async fn not_served(
    store: &dyn Store,
    catalogue: &DepartmentCatalogue,
    guild: GuildId,
) -> ServiceResult<Vec<DepartmentKey>> {
    let chosen = chosen(store, catalogue, guild).await?;
    Ok(catalogue
        .iter()
        .filter(|d| !chosen.get(d.key()).copied().unwrap_or(d.served()))
        .map(|d| d.key().clone())
        .collect())
}

/// What setting a department's `served` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServedChange {
    /// It was already so.
    Unchanged,
    Changed,
}

/// Says whether the guild serves `department`. Admins only. A choice that agrees with the config
/// is not kept as the server's own, so that a later change to the config reaches it.
pub async fn set_served(
    store: &dyn Store,
    catalogue: &DepartmentCatalogue,
    guild: GuildId,
    department: &Department,
    served: bool,
    is_admin: bool,
    now: DateTime<Utc>,
) -> ServiceResult<ServedChange> {
    if !is_admin {
        return Err(ServiceError::Forbidden(
            "Only server admins (Manage Server, or a role set as admin) can say which departments are served."
                .into(),
        ));
    }
    let stored = store.departments_served(guild).await?;
    let was = chosen_of(catalogue, &stored).get(department.key()).copied().unwrap_or(department.served());
    // A choice made before the department was renamed is under its old name: one key holds it now.
    let keys = catalogue.keys_of(department, stored.iter().map(|(key, _)| key));
    for old in keys.keys().iter().filter(|k| *k != department.key()) {
        store.set_department_served(guild, old, None, now).await?;
    }
    let choice = (served != department.served()).then_some(served);
    store.set_department_served(guild, department.key(), choice, now).await?;
    Ok(if was == served { ServedChange::Unchanged } else { ServedChange::Changed })
}

/// The guild's own choices, by the current key of each department still in the catalogue.
async fn chosen(
    store: &dyn Store,
    catalogue: &DepartmentCatalogue,
    guild: GuildId,
) -> ServiceResult<HashMap<DepartmentKey, bool>> {
    Ok(chosen_of(catalogue, &store.departments_served(guild).await?))
}

/// A choice stored under the department's own key wins over one left under an old name.
fn chosen_of(
    catalogue: &DepartmentCatalogue,
    stored: &[(DepartmentKey, bool)],
) -> HashMap<DepartmentKey, bool> {
    let mut chosen = HashMap::new();
    for (key, served) in stored {
        if let Some(department) = catalogue.by_key(key) {
            if key == department.key() || !chosen.contains_key(department.key()) {
                chosen.insert(department.key().clone(), *served);
            }
        }
    }
    chosen
}
