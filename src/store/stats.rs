//! What the digest and `/stats` summarise: counts, when each department was last heard from, and a
//! period's entries by department.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{EntryFilter, StoreResult};
use crate::domain::department::DepartmentKey;
use crate::domain::entry::Entry;
use crate::domain::ids::GuildId;
use crate::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use crate::domain::time_range::TimeRange;

#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Entries that pass `filter` (occurred range, department), counted by `by`, largest first.
    /// A department filter takes the entries filed under it as their own department or as one of
    /// their others. By `Department`, an entry counts once under each department it names, so those
    /// counts can add up to more than the entries; by any other key each entry counts once.
    async fn counts(&self, guild: GuildId, filter: &EntryFilter, by: CountBy) -> StoreResult<Vec<Count>>;

    /// The latest `occurred_at` of each department that has any entry, as its own department or
    /// as one of its others; by key.
    async fn last_heard(&self, guild: GuildId) -> StoreResult<Vec<LastHeard>>;

    /// The earliest `occurred_at` of the guild's entries; `None` for a guild without any. What
    /// "never heard from" counts from: a department cannot have gone quiet before the guild
    /// started recording.
    async fn first_heard(&self, guild: GuildId) -> StoreResult<Option<DateTime<Utc>>>;

    /// Entries that occurred in `range`, grouped by department (departments by name, entries
    /// oldest first): what the weekly digest is built from. An entry is in the group of each
    /// department it names.
    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>>;
}

/// Entries into one group per department they name (own and others), groups by key in byte order
/// (as the stores order text), entries in each oldest first. Only a cross-disciplinary entry is
/// copied, once per other department.
pub(crate) fn group_by_department(entries: Vec<Entry>) -> Vec<DepartmentEntries> {
    fn push(groups: &mut BTreeMap<String, DepartmentEntries>, key: &DepartmentKey, entry: Entry) {
        match groups.get_mut(key.as_str()) {
            Some(g) => g.entries.push(entry),
            None => {
                groups.insert(
                    key.as_str().to_string(),
                    DepartmentEntries { department: key.clone(), entries: vec![entry] },
                );
            }
        }
    }
    let mut groups: BTreeMap<String, DepartmentEntries> = BTreeMap::new();
    for entry in entries {
        for other in &entry.also_departments {
            push(&mut groups, other, entry.clone());
        }
        let own = entry.department.clone();
        push(&mut groups, &own, entry);
    }
    let mut out: Vec<DepartmentEntries> = groups.into_values().collect();
    for g in &mut out {
        // Stable, and linear on the sorted runs the stores return.
        g.entries.sort_by_key(|e| (e.occurred_at, e.id));
    }
    out
}

/// Two lists of when departments were last heard from (as their entries' own department, and as
/// another one) as one: the later time of each key, keys in byte order.
pub(crate) fn merge_last_heard(own: Vec<LastHeard>, other: Vec<LastHeard>) -> Vec<LastHeard> {
    let mut latest: BTreeMap<String, LastHeard> = BTreeMap::new();
    for l in own.into_iter().chain(other) {
        match latest.get_mut(l.department.as_str()) {
            Some(known) => known.at = known.at.max(l.at),
            None => {
                latest.insert(l.department.as_str().to_string(), l);
            }
        }
    }
    latest.into_values().collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn heard(key: &str, hour: u32) -> LastHeard {
        LastHeard {
            department: DepartmentKey::from_stored(key),
            at: Utc.with_ymd_and_hms(2026, 11, 2, hour, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_later_time_of_a_department_wins_whichever_way_it_was_named() {
        let merged = merge_last_heard(
            vec![heard("Law", 9), heard("Music", 3)],
            vec![heard("Art", 1), heard("Law", 11)],
        );
        assert_eq!(merged, vec![heard("Art", 1), heard("Law", 11), heard("Music", 3)]);
    }
}
