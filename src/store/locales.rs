//! Each server's locale, as Discord last sent it: how messages sent with no interaction to answer
//! (the digest, reminders, hand-offs) write dates.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::ids::GuildId;

#[async_trait]
pub trait GuildLocaleStore: Send + Sync {
    /// Keeps `locale` (`en-US`, `en-GB`...) as the guild's, replacing any before.
    async fn save_guild_locale(&self, guild: GuildId, locale: &str, now: DateTime<Utc>) -> StoreResult<()>;

    /// The guild's locale, if Discord has sent one.
    async fn guild_locale(&self, guild: GuildId) -> StoreResult<Option<String>>;
}
