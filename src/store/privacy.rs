//! Privacy: each guild's privacy choices, and the record of every erasure and expiry pass.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::ids::GuildId;
use crate::domain::privacy::{PrivacyAction, PrivacySettings};

#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// A guild's privacy choices; `None` until an admin has changed one.
    async fn privacy_settings(&self, guild: GuildId) -> StoreResult<Option<PrivacySettings>>;

    /// Creates or replaces a guild's privacy choices.
    async fn save_privacy_settings(&self, settings: &PrivacySettings, now: DateTime<Utc>) -> StoreResult<()>;

    /// Records an erasure or expiry pass. Durable when it returns.
    async fn record_privacy_action(&self, action: &PrivacyAction) -> StoreResult<()>;

    /// The recorded passes, newest first, of one guild or of all; at most `limit`.
    async fn privacy_log(&self, guild: Option<GuildId>, limit: u32) -> StoreResult<Vec<PrivacyAction>>;
}
