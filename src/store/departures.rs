//! Guilds the bot was removed from: their data waits out a grace period (the bot may be added
//! back), then is deleted, all of it, in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::ids::GuildId;

#[async_trait]
pub trait DepartureStore: Send + Sync {
    /// Schedules a guild's data for deletion at `delete_after`. A guild already scheduled keeps
    /// its first date: Discord may tell the bot more than once.
    async fn schedule_departure(
        &self,
        guild: GuildId,
        left_at: DateTime<Utc>,
        delete_after: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// The bot is back: nothing is deleted. `true` when a deletion was scheduled.
    async fn cancel_departure(&self, guild: GuildId) -> StoreResult<bool>;

    /// When a guild's data is to be deleted, if it is.
    async fn departure(&self, guild: GuildId) -> StoreResult<Option<DateTime<Utc>>>;

    /// Guilds whose grace period has run out by `now`.
    async fn departures_due(&self, now: DateTime<Utc>) -> StoreResult<Vec<GuildId>>;

    /// Deletes everything stored for a guild (entries, follow-ups, saved searches, digest runs and
    /// settings, reminders, form keys, privacy choices, its scheduled departure), in one
    /// transaction; the privacy log keeps its record of it. Returns how many entries went.
    async fn forget_guild(&self, guild: GuildId) -> StoreResult<u64>;
}
