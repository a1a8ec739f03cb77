//! Gathering what a digest is built from: one guild, one period, from the store.

use chrono::{DateTime, Utc};

use super::ServiceResult;
use crate::config::DigestDefaults;
use crate::digest::{DigestInput, DigestPeriod, PreviousPeriod};
use crate::domain::ids::GuildId;
use crate::domain::rules::Rules;
use crate::domain::stats::CountBy;
use crate::domain::time_range::TimeRange;
use crate::store::{EntryFilter, FollowUpFilter, Store};

pub async fn gather(
    store: &dyn Store,
    rules: &Rules,
    defaults: &DigestDefaults,
    guild: GuildId,
    period: DigestPeriod,
    now: DateTime<Utc>,
) -> ServiceResult<DigestInput> {
    let range = period.range;
    let previous = TimeRange::new(range.start - (range.end - range.start), range.start);
    let before = EntryFilter { occurred: Some(previous), department: None };
    let formality = store.counts(guild, &before, CountBy::Formality).await?;
    let entries: u64 = formality.iter().map(|c| c.count).sum();
    let informal = formality.iter().find(|c| c.key == "informal").map_or(0, |c| c.count);
    let contributors = store.counts(guild, &before, CountBy::Author).await?.len() as u64;
    Ok(DigestInput {
        guild,
        now,
        timezone: rules.timezone,
        departments: store.entries_by_department(guild, range).await?,
        previous: PreviousPeriod {
            entries,
            contributors,
            informal_share: (entries > 0).then(|| informal as f64 / entries as f64),
        },
        open_follow_ups: store.open_follow_ups(guild, &FollowUpFilter::default()).await?,
        done_follow_ups: store.follow_ups_done(guild, range).await?,
        last_heard: store.last_heard(guild).await?,
        catalogue: rules.departments.iter().map(|d| d.name.clone()).collect(),
        quiet_after_weeks: defaults.quiet_after_weeks,
        post_empty_weeks: defaults.post_empty_weeks,
        channels: rules.channels.iter().cloned().collect(),
        period,
    })
}
