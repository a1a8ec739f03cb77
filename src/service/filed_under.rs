//! Which keys a department's entries are filed under in a guild: its own, and any old name of it
//! (an alias kept when it was renamed) that entries still carry. Filters on a department use
//! these, so a renamed department still finds what was filed before.

use super::ServiceResult;
use crate::domain::department::{Department, DepartmentKeys};
use crate::domain::ids::GuildId;
use crate::domain::rules::Rules;
use crate::store::Store;

pub async fn keys_of(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    department: &Department,
) -> ServiceResult<DepartmentKeys> {
    // The keys in use, one index seek per department: usually only the department's own key
    // resolves to it, so the filter stays one key.
    let stored = store.last_heard(guild).await?;
    Ok(rules.departments.keys_of(department, stored.iter().map(|l| &l.department)))
}

/// As [`keys_of`], for an optional filter.
pub async fn filter(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    department: Option<&Department>,
) -> ServiceResult<Option<DepartmentKeys>> {
    match department {
        Some(d) => Ok(Some(keys_of(store, rules, guild, d).await?)),
        None => Ok(None),
    }
}
