//! Statistics: the numbers a library can put in its reports.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{filed_under, privacy, ServiceError, ServiceResult};
use crate::domain::channel::ChannelKey;
use crate::domain::department::{Department, DepartmentCatalogue, DepartmentKey};
use crate::domain::ids::GuildId;
use crate::domain::period::{Period, ResolvedPeriod};
use crate::domain::privacy::{is_hidden_count, shown_count};
use crate::domain::rules::Rules;
use crate::domain::stats::{Count, CountBy};
use crate::store::{EntryFilter, Store};

/// Counts over one period, largest first in each list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// The days counted and their name.
    pub period: ResolvedPeriod,
    /// The department's name.
    pub department: Option<String>,
    /// Entries, each once.
    pub total: u64,
    /// An entry under each department it names: these can add up to more than `total`.
    pub by_department: Vec<Count>,
    pub by_channel: Vec<Count>,
    pub by_formality: Vec<Count>,
    /// Empty where the guild turned contributor counts off.
    pub by_author: Vec<Count>,
    /// Whether the guild counts entries per contributor (`/settings privacy contributor_counts`).
    pub contributor_counts: bool,
    /// Whether counts below 3 are shown as "fewer than 3" (`/settings privacy small_counts`).
    pub hide_small_counts: bool,
}

impl Stats {
    /// A count as the guild shows it: "fewer than 3" for a small one where it asks.
    pub fn count(&self, n: u64) -> String {
        shown_count(self.hide_small_counts, n)
    }

    /// Whether a count is shown as "fewer than 3": its share of the total would tell it, so
    /// renderers leave that out too.
    pub fn is_hidden(&self, n: u64) -> bool {
        is_hidden_count(self.hide_small_counts, n)
    }

    /// The share of entries that came through informal channels, 0 to 1.
    pub fn informal_share(&self) -> f64 {
        let informal = self.by_formality.iter().find(|c| c.key == "informal").map_or(0, |c| c.count);
        if self.total == 0 {
            0.0
        } else {
            informal as f64 / self.total as f64
        }
    }
}

pub async fn stats(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    period: &Period,
    department: Option<&Department>,
    now: DateTime<Utc>,
) -> ServiceResult<Stats> {
    let period = period.resolve(&rules.academic, rules.today(now)).map_err(ServiceError::invalid)?;
    let filter = EntryFilter {
        occurred: period.range(&rules.timezone),
        department: filed_under::filter(store, rules, guild, department).await?,
    };
    let by_department =
        by_department(store.counts(guild, &filter, CountBy::Department).await?, &rules.departments);
    let mut by_channel = store.counts(guild, &filter, CountBy::Channel).await?;
    // Channel keys are for machines; people read the configured names.
    for count in &mut by_channel {
        if let Some(channel) = rules.channels.by_key(&ChannelKey::from_stored(count.key.as_str())) {
            count.label = channel.name().to_string();
        }
    }
    let privacy = privacy::settings::current(store, guild).await?;
    let by_author = if privacy.contributor_counts {
        store.counts(guild, &filter, CountBy::Author).await?
    } else {
        // Not even read: a guild that asked for no league table gets none, in JSON either.
        Vec::new()
    };
    // Every entry is formal or informal, once: the total. By department a cross-disciplinary entry
    // counts under each department it names, so those counts add up to more.
    let by_formality = store.counts(guild, &filter, CountBy::Formality).await?;
    Ok(Stats {
        period,
        total: by_formality.iter().map(|c| c.count).sum(),
        by_department,
        by_channel,
        by_formality,
        by_author,
        contributor_counts: privacy.contributor_counts,
        hide_small_counts: privacy.hide_small_counts,
        department: department.map(|d| d.name().to_string()),
    })
}

/// Counts by stored key made counts by department: an old name kept as an alias counts with the
/// department's current one, under its current key and name; a department no longer configured
/// keeps its stored key as its name. Largest first; equals in the store's order.
pub(crate) fn by_department(counts: Vec<Count>, catalogue: &DepartmentCatalogue) -> Vec<Count> {
    let mut merged: Vec<Count> = Vec::with_capacity(counts.len());
    for count in counts {
        let stored = DepartmentKey::from_stored(count.key);
        let (key, label) = match catalogue.by_key(&stored) {
            Some(d) => (d.key().as_str().to_string(), d.name().to_string()),
            None => (stored.as_str().to_string(), count.label),
        };
        match merged.iter_mut().find(|c| c.key == key) {
            Some(c) => c.count += count.count,
            None => merged.push(Count { key, label, count: count.count }),
        }
    }
    // Stable: only a merged count moves.
    merged.sort_by_key(|c| std::cmp::Reverse(c.count));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_a_renamed_department_are_one_count_under_its_name() {
        use crate::domain::department::DepartmentSpec;
        let spec = |name: &str, aliases: &[&str]| DepartmentSpec {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let catalogue = DepartmentCatalogue::new(vec![
            spec("History and Classics", &["History"]),
            spec("Law", &[]),
            spec("Music", &[]),
        ])
        .unwrap();
        let count = |key: &str, count| Count { key: key.into(), label: key.into(), count };
        let stored = vec![
            count("Law", 5),
            count("History", 3),
            count("Music", 3),
            count("Gone", 2),
            count("History and Classics", 2),
        ];
        let merged = by_department(stored, &catalogue);
        let got: Vec<(&str, &str, u64)> =
            merged.iter().map(|c| (c.key.as_str(), c.label.as_str(), c.count)).collect();
        assert_eq!(
            got,
            [
                ("Law", "Law", 5),
                ("History and Classics", "History and Classics", 5),
                ("Music", "Music", 3),
                ("Gone", "Gone", 2)
            ]
        );
    }
}
