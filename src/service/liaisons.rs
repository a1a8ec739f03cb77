//! Each department's liaison librarians, named by admins: who the desk's hand-offs go to.

use super::{ServiceError, ServiceResult};
use crate::domain::department::{Department, DepartmentCatalogue, DepartmentKey};
use crate::domain::ids::{GuildId, UserId};
use crate::store::Store;

/// What naming someone did: named them, or (named already) took them off again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toggled {
    Added,
    Removed,
}

/// Names `user` a liaison librarian of `department`; the same again removes them. Admins only.
pub async fn toggle(
    store: &dyn Store,
    guild: GuildId,
    department: &Department,
    user: UserId,
    is_admin: bool,
) -> ServiceResult<Toggled> {
    if !is_admin {
        return Err(ServiceError::Forbidden(
            "Only server admins (Manage Server, or a role set as admin) can name liaison librarians.".into(),
        ));
    }
    let key = department.key();
    if store.add_liaison(guild, key, user).await? {
        return Ok(Toggled::Added);
    }
    store.remove_liaison(guild, key, user).await?;
    Ok(Toggled::Removed)
}

/// Every department's liaison librarians, by department name as the catalogue now calls it
/// (a key no longer configured under its own name), each department once, in name order.
pub async fn all(
    store: &dyn Store,
    catalogue: &DepartmentCatalogue,
    guild: GuildId,
) -> ServiceResult<Vec<(String, Vec<UserId>)>> {
    let mut by_name: std::collections::BTreeMap<String, Vec<UserId>> = Default::default();
    for (key, user) in store.all_liaisons(guild).await? {
        let name = name_of(catalogue, &key);
        let users = by_name.entry(name).or_default();
        if !users.contains(&user) {
            users.push(user);
        }
    }
    Ok(by_name.into_iter().collect())
}

fn name_of(catalogue: &DepartmentCatalogue, key: &DepartmentKey) -> String {
    catalogue.display_name(key).to_string()
}
