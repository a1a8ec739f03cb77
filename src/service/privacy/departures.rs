//! Leaving a server. When the bot is removed from a guild its data waits out
//! `[retention] guild_grace_days` (the bot added back in that time keeps it all), then is deleted
//! by the scheduler; `forget` deletes it at once. Every deletion is recorded in the privacy log.

use chrono::{DateTime, Duration, Utc};

use crate::config::Retention;
use crate::domain::ids::GuildId;
use crate::domain::privacy::{PrivacyAction, PrivacyActionKind};
use crate::service::ServiceResult;
use crate::store::Store;

/// Who the scheduler's deletions are recorded as.
pub const BY_THE_BOT: &str = "the bot (removed from the server)";

/// The bot was removed from `guild`: its data is deleted after the grace period. Returns when.
pub async fn left(
    store: &dyn Store,
    retention: &Retention,
    guild: GuildId,
    now: DateTime<Utc>,
) -> ServiceResult<DateTime<Utc>> {
    let delete_after = now + Duration::days(i64::from(retention.guild_grace_days));
    store.schedule_departure(guild, now, delete_after).await?;
    // Discord may say so twice: the first date stands.
    Ok(store.departure(guild).await?.unwrap_or(delete_after))
}

/// The bot is in `guild` (again): nothing of it is deleted. `true` when a deletion was pending.
pub async fn present(store: &dyn Store, guild: GuildId) -> ServiceResult<bool> {
    Ok(store.cancel_departure(guild).await?)
}

/// Deletes every guild whose grace period has run out. One guild's failure is logged and never
/// stops another's. Returns the guilds forgotten, with how many entries each lost.
pub async fn run_due(store: &dyn Store, now: DateTime<Utc>) -> ServiceResult<Vec<(GuildId, u64)>> {
    let mut forgotten = Vec::new();
    for guild in store.departures_due(now).await? {
        match forget(store, guild, BY_THE_BOT, now).await {
            Ok(entries) => forgotten.push((guild, entries)),
            Err(e) => {
                tracing::error!(guild = %guild, error = %e, "a departed server's data could not be deleted; trying again later")
            }
        }
    }
    Ok(forgotten)
}

/// Deletes everything stored for `guild` now and records it. Returns how many entries went.
pub async fn forget(store: &dyn Store, guild: GuildId, by: &str, now: DateTime<Utc>) -> ServiceResult<u64> {
    let entries = store.forget_guild(guild).await?;
    store
        .record_privacy_action(&PrivacyAction {
            guild,
            at: now,
            by: by.to_string(),
            kind: PrivacyActionKind::ForgetGuild,
            entries,
        })
        .await?;
    Ok(entries)
}
