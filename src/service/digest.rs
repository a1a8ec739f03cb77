//! Gathering what a digest is built from: one guild, one period, from the store.

use chrono::{DateTime, Utc};

use super::ServiceResult;
use chrono_tz::Tz;

use crate::config::Config;
use crate::digest::{DigestInput, DigestPeriod, PreviousPeriod};
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::stats::CountBy;
use crate::domain::time_range::TimeRange;
use crate::store::{EntryFilter, FollowUpFilter, Store};

/// What a digest is read with besides the catalogues: a guild's own settings where it has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub timezone: Tz,
    pub quiet_after_weeks: u32,
    pub post_empty_weeks: bool,
}

impl Reading {
    /// The config's defaults, for a guild without settings (and the command line).
    pub fn defaults(config: &Config) -> Self {
        Reading {
            timezone: config.rules.timezone,
            quiet_after_weeks: config.digest.quiet_after_weeks,
            post_empty_weeks: config.digest.post_empty_weeks,
        }
    }

    pub fn for_guild(config: &Config, settings: &DigestSettings) -> Self {
        Reading {
            timezone: settings.timezone,
            post_empty_weeks: settings.post_empty_weeks,
            ..Reading::defaults(config)
        }
    }
}

pub async fn gather(
    store: &dyn Store,
    config: &Config,
    reading: Reading,
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
        timezone: reading.timezone,
        departments: store.entries_by_department(guild, range).await?,
        previous: PreviousPeriod {
            entries,
            contributors,
            informal_share: (entries > 0).then(|| informal as f64 / entries as f64),
        },
        open_follow_ups: store.open_follow_ups(guild, &FollowUpFilter::default()).await?,
        done_follow_ups: store.follow_ups_done(guild, range).await?,
        not_reminded: not_reminded(store, guild, range, reading.timezone).await?,
        last_heard: store.last_heard(guild).await?,
        catalogue: config.rules.departments.iter().map(|d| d.name.clone()).collect(),
        quiet_after_weeks: reading.quiet_after_weeks,
        post_empty_weeks: reading.post_empty_weeks,
        channels: config.rules.channels.iter().cloned().collect(),
        period,
    })
}

/// Entries whose reminder, due on a day of the period (read in the guild's timezone), could not
/// be sent by DM.
async fn not_reminded(
    store: &dyn Store,
    guild: GuildId,
    range: TimeRange,
    tz: Tz,
) -> ServiceResult<Vec<EntryId>> {
    let first = range.start.with_timezone(&tz).date_naive();
    let last = (range.end - chrono::Duration::milliseconds(1)).with_timezone(&tz).date_naive();
    let runs = store.undelivered_reminders(guild, first, last).await?;
    Ok(runs.into_iter().map(|r| r.key.entry).collect())
}
