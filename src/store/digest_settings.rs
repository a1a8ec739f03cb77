//! Per-guild digest settings: where and when each guild's digest goes, if it is on.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::GuildId;

#[async_trait]
pub trait DigestSettingsStore: Send + Sync {
    /// Creates or replaces a guild's digest settings.
    async fn save_digest_settings(&self, settings: &DigestSettings, now: DateTime<Utc>) -> StoreResult<()>;

    /// A guild's digest settings; `None` until an admin has set them.
    async fn digest_settings(&self, guild: GuildId) -> StoreResult<Option<DigestSettings>>;

    /// Every guild whose digest is on: what the scheduler walks.
    async fn enabled_digests(&self) -> StoreResult<Vec<DigestSettings>>;

    /// Turns a guild's digest off with `problem` for admins to see, only if it is still on and
    /// still posts to `channel`: the channel that was refused. Nothing else in the settings is
    /// written, so an admin's change made while the post was failing (another channel, another
    /// time) is never undone. `true` when it was turned off.
    async fn stop_digest(
        &self,
        guild: GuildId,
        channel: u64,
        problem: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
}
