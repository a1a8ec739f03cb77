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
}
