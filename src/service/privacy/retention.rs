//! The retention pass: past its guild's period an entry's note, source and author name are
//! cleared, and everything counted stays (department, channel, tags, dates, follow-up), so the
//! statistics and past digests keep their numbers. An entry marked as an impact story keeps its
//! note and story past the period unless the guild chose otherwise. Idempotent: a cleared entry is never visited
//! again, so any process may run it any number of times.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::Retention;
use crate::domain::ids::GuildId;
use crate::domain::privacy::{PrivacyAction, PrivacyActionKind};
use crate::service::privacy::settings;
use crate::service::{ServiceError, ServiceResult};
use crate::store::Store;

/// What a pass did in one guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuildPass {
    /// Entries cleared (or, in a dry run, that would be); only guilds with at least one.
    Cleared { guild: GuildId, entries: u64 },
    /// The guild's pass failed (logged); the others went on.
    Failed { guild: GuildId },
}

/// Runs the pass over every guild with text still kept, each with its own period (the config's,
/// or the guild's shorter one); a guild that keeps text forever is skipped. With `dry_run`,
/// counts what would be cleared and changes nothing. Each guild where entries were cleared gets
/// one line in the privacy log, `by` whom. One guild's failure is logged and never stops
/// another's.
pub async fn expire(
    store: &dyn Store,
    retention: &Retention,
    now: DateTime<Utc>,
    dry_run: bool,
    by: &str,
) -> ServiceResult<Vec<GuildPass>> {
    let mut passes = Vec::new();
    // Every guild with text kept: its own period may be shorter than the config's.
    for guild in store.guilds_with_unexpired_before(now).await? {
        match expire_guild(store, retention, guild, now, dry_run, by).await {
            Ok(0) => {}
            Ok(entries) => passes.push(GuildPass::Cleared { guild, entries }),
            Err(e) => {
                tracing::error!(guild = %guild, error = %e, "retention pass failed for a server; others go on");
                passes.push(GuildPass::Failed { guild });
            }
        }
    }
    Ok(passes)
}

async fn expire_guild(
    store: &dyn Store,
    retention: &Retention,
    guild: GuildId,
    now: DateTime<Utc>,
    dry_run: bool,
    by: &str,
) -> ServiceResult<u64> {
    let settings = settings::current(store, guild).await?;
    let Some(days) = settings.retention_days(retention.note_days) else {
        return Ok(0);
    };
    let Some(cutoff) = cutoff(now, days) else {
        // A period reaching back before any representable time: nothing is that old.
        return Ok(0);
    };
    let keep_impact = store.keeps_impact_past_retention(guild).await?;
    let entries = store.expire_entries(guild, cutoff, now, dry_run, keep_impact).await?;
    if entries > 0 && !dry_run {
        let action =
            PrivacyAction { guild, at: now, by: by.to_string(), kind: PrivacyActionKind::Expire, entries };
        store.record_privacy_action(&action).await.map_err(|e| {
            // The text is already gone; what failed is its record. Said plainly in the log.
            tracing::error!(guild = %guild, entries, error = %e, "entries expired but the privacy log could not record it");
            ServiceError::from(e)
        })?;
    }
    Ok(entries)
}

/// Entries recorded before this are past a period of `days`.
fn cutoff(now: DateTime<Utc>, days: u32) -> Option<DateTime<Utc>> {
    now.checked_sub_signed(TimeDelta::try_days(i64::from(days))?)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_cutoff_is_the_period_before_now_and_an_endless_period_has_none() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 3, 0, 0).unwrap();
        assert_eq!(cutoff(now, 30), Some(Utc.with_ymd_and_hms(2026, 11, 5, 3, 0, 0).unwrap()));
        assert_eq!(cutoff(now, u32::MAX), None);
    }
}
