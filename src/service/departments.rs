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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;

    use super::*;
    use crate::domain::department::DepartmentSpec;
    use crate::store::sqlite::SqliteStore;

    const GUILD: GuildId = GuildId(7);

    /// Music is not served by the config; History was once called "History (old)".
    fn catalogue() -> DepartmentCatalogue {
        let spec = |name: &str, aliases: &[&str]| DepartmentSpec {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        DepartmentCatalogue::new(vec![
            spec("History", &["History (old)"]),
            spec("Law", &[]),
            spec("Music", &[]),
        ])
        .unwrap()
        .not_served([2])
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 18, 15, 30, 0).unwrap()
    }

    async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("departments.db").display());
        (Arc::new(SqliteStore::connect(&url).await.expect("open")), dir)
    }

    fn names(keys: Vec<DepartmentKey>) -> Vec<String> {
        keys.into_iter().map(|k| k.as_str().to_string()).collect()
    }

    #[tokio::test]
    async fn a_server_keeps_only_the_choices_that_differ_from_the_config() {
        let (store, _dir) = store().await;
        let store = store.as_ref();
        let catalogue = catalogue();
        let d = |name: &str| catalogue.resolve(name).unwrap();
        assert_eq!(names(not_served(store, &catalogue, GUILD).await.unwrap()), ["Music"]);
        let refused = set_served(store, &catalogue, GUILD, d("Law"), false, false, now()).await.unwrap_err();
        assert!(matches!(refused, ServiceError::Forbidden(_)), "{refused}");

        let set = |name: &'static str, served: bool| {
            let department = d(name).clone();
            let catalogue = &catalogue;
            async move { set_served(store, catalogue, GUILD, &department, served, true, now()).await.unwrap() }
        };
        assert_eq!(set("Law", false).await, ServedChange::Changed);
        assert_eq!(set("Law", false).await, ServedChange::Unchanged);
        assert_eq!(set("Music", true).await, ServedChange::Changed);
        assert_eq!(names(not_served(store, &catalogue, GUILD).await.unwrap()), ["Law"]);
        assert_eq!(
            store.departments_served(GUILD).await.unwrap(),
            [(DepartmentKey::from("Law"), false), (DepartmentKey::from("Music"), true)]
        );
        let shown = listed(store, &catalogue, GUILD).await.unwrap();
        let shown: Vec<(&str, bool, bool)> =
            shown.iter().map(|d| (d.name.as_str(), d.served, d.chosen_here)).collect();
        assert_eq!(shown, [("History", true, false), ("Law", false, true), ("Music", true, true)]);
        // Back to what the config says: the server's own choice is forgotten, so the config's
        // reaches it again when it changes.
        assert_eq!(set("Law", true).await, ServedChange::Changed);
        assert_eq!(set("Music", false).await, ServedChange::Changed);
        assert!(store.departments_served(GUILD).await.unwrap().is_empty());
        assert!(
            not_served(store, &catalogue, GuildId(8)).await.unwrap().len() == 1,
            "another server: the config's"
        );
    }

    #[tokio::test]
    async fn a_choice_made_under_a_departments_old_name_holds_until_it_is_made_again() {
        let (store, _dir) = store().await;
        let store = store.as_ref();
        let catalogue = catalogue();
        store.set_department_served(GUILD, &"History (old)".into(), Some(false), now()).await.unwrap();
        // A department since removed from the config says nothing.
        store.set_department_served(GUILD, &"Gone".into(), Some(false), now()).await.unwrap();
        assert_eq!(names(not_served(store, &catalogue, GUILD).await.unwrap()), ["History", "Music"]);
        let history = catalogue.resolve("history").unwrap();
        let change = set_served(store, &catalogue, GUILD, history, false, true, now()).await.unwrap();
        assert_eq!(change, ServedChange::Unchanged);
        assert_eq!(
            store.departments_served(GUILD).await.unwrap(),
            [(DepartmentKey::from("Gone"), false), (DepartmentKey::from("History"), false)],
            "one key holds it now"
        );
        let change = set_served(store, &catalogue, GUILD, history, true, true, now()).await.unwrap();
        assert_eq!(change, ServedChange::Changed);
        assert_eq!(names(not_served(store, &catalogue, GUILD).await.unwrap()), ["Music"]);
    }
}
