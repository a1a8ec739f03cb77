//! The report's numbers counted from its entries as the entries' file is written: in total,
//! informal, by department, by channel and by month. The file reads every entry of the report
//! anyway, so counting them there spares the database four more passes over the period, which on
//! PostgreSQL were a quarter of a year's report (docs/benchmarks.md, "A year's report"). A
//! partner's report is counted the same way, from the partner's entries.

use super::model::MonthCount;
use super::scope::{months_of, Scope};
use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKey;
use crate::domain::entry::Entry;
use crate::domain::fast_map::FastMap;
use crate::domain::rules::Rules;
use crate::domain::stats::Count;
use crate::domain::time_range::TimeRange;
use crate::service::stats::by_department;

/// Counts of entries, added one at a time; two tallies of different entries merge.
#[derive(Debug, Clone)]
pub struct Tally {
    total: u64,
    informal: u64,
    /// Each department an entry is filed under: its own and its others.
    departments: FastMap<DepartmentKey, u64>,
    channels: FastMap<ChannelKey, u64>,
    /// The months charted, oldest first, with the report's days of each.
    months: Vec<(TimeRange, MonthCount)>,
}

/// What a tally comes to, labelled by the catalogues and ordered as the summary shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryCounts {
    pub total: u64,
    pub informal: u64,
    /// Most first; labels are department names.
    pub by_department: Vec<Count>,
    /// Most first; labels are channel names, `key` the channel's key.
    pub by_channel: Vec<Count>,
    pub months: Vec<MonthCount>,
}

impl Tally {
    /// An empty tally for a report over `scope`.
    pub fn new(rules: &Rules, scope: &Scope) -> Self {
        let months = months_of(rules, scope)
            .into_iter()
            .map(|(month, days)| (days, MonthCount { month, formal: 0, informal: 0 }))
            .collect();
        Tally { total: 0, informal: 0, departments: FastMap::default(), channels: FastMap::default(), months }
    }

    /// How many entries were counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn add(&mut self, e: &Entry) {
        self.total += 1;
        self.informal += u64::from(e.informal);
        for d in e.departments() {
            bump(&mut self.departments, d);
        }
        bump(&mut self.channels, &e.channel);
        // Months are consecutive: the first that ends after the entry is the only one that can
        // hold it (none does for an entry older than the months charted).
        let i = self.months.partition_point(|(days, _)| days.end <= e.occurred_at);
        if let Some((days, count)) = self.months.get_mut(i) {
            if days.contains(e.occurred_at) {
                if e.informal {
                    count.informal += 1;
                } else {
                    count.formal += 1;
                }
            }
        }
    }

    /// Adds `other`'s counts, of other entries, to these. Both are of the same scope.
    pub fn merge(&mut self, other: Tally) {
        self.total += other.total;
        self.informal += other.informal;
        for (d, n) in other.departments {
            *self.departments.entry(d).or_default() += n;
        }
        for (c, n) in other.channels {
            *self.channels.entry(c).or_default() += n;
        }
        for ((_, mine), (_, theirs)) in self.months.iter_mut().zip(other.months) {
            mine.formal += theirs.formal;
            mine.informal += theirs.informal;
        }
    }

    /// The counts, departments and channels named as `rules` names them now (a renamed
    /// department's keys count as one), most first, then by key, as the store orders its counts.
    pub fn counts(self, rules: &Rules) -> EntryCounts {
        let by_department = by_department(
            most_first(
                self.departments
                    .into_iter()
                    .map(|(k, n)| Count {
                        key: k.as_str().to_string(),
                        label: k.as_str().to_string(),
                        count: n,
                    })
                    .collect(),
            ),
            &rules.departments,
        );
        let by_channel = most_first(
            self.channels
                .into_iter()
                .map(|(k, n)| {
                    let label = rules
                        .channels
                        .by_key(&k)
                        .map_or_else(|| k.as_str().to_string(), |c| c.name().to_string());
                    Count { key: k.as_str().to_string(), label, count: n }
                })
                .collect(),
        );
        EntryCounts {
            total: self.total,
            informal: self.informal,
            by_department,
            by_channel,
            months: self.months.into_iter().map(|(_, count)| count).collect(),
        }
    }
}

/// Counts one more of `key`, copying the key only the first time it is seen: a year's report
/// counts half a million entries.
fn bump<K: std::hash::Hash + Eq + Clone>(counts: &mut FastMap<K, u64>, key: &K) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.clone(), 1);
        }
    }
}

fn most_first(mut counts: Vec<Count>) -> Vec<Count> {
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    counts
}
