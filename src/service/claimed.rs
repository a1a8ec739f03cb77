//! The last step of every claimed send (a hand-off, a post-event prompt, a reminder): record a
//! delivered message or Discord's refusal for good, or give the claim back to be tried again after
//! the shared [`backoff`], so the three keep one retry policy.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::poster::PostError;
use super::retry::backoff;
use super::ServiceResult;
use crate::domain::ids::GuildId;
use crate::store::{ClaimEnd, EventPromptKey, HandOffKey, RelatedNoticeKey, ReminderKey, Store, StoreResult};

/// One kind of claim row, as its store records it.
#[async_trait]
pub(super) trait ClaimRow: std::fmt::Debug + Send + Sync {
    /// What the log calls a send of this kind.
    const WHAT: &'static str;

    fn guild(&self) -> GuildId;

    async fn finish(&self, store: &dyn Store, end: &ClaimEnd, now: DateTime<Utc>) -> StoreResult<()>;

    /// How many times the row was claimed, this claim included.
    async fn attempts(&self, store: &dyn Store) -> StoreResult<u32>;

    async fn release(&self, store: &dyn Store, error: &str, retry_at: DateTime<Utc>) -> StoreResult<()>;
}

/// Each kind differs only in which store methods it calls.
macro_rules! claim_row {
    ($key:ty, $what:literal, $finish:ident, $read:ident, $release:ident) => {
        #[async_trait]
        impl ClaimRow for $key {
            const WHAT: &'static str = $what;

            fn guild(&self) -> GuildId {
                self.guild
            }

            async fn finish(&self, store: &dyn Store, end: &ClaimEnd, now: DateTime<Utc>) -> StoreResult<()> {
                store.$finish(self, end, now).await
            }

            async fn attempts(&self, store: &dyn Store) -> StoreResult<u32> {
                Ok(store.$read(self).await?.map_or(1, |row| row.attempts))
            }

            async fn release(
                &self,
                store: &dyn Store,
                error: &str,
                retry_at: DateTime<Utc>,
            ) -> StoreResult<()> {
                store.$release(self, error, retry_at).await
            }
        }
    };
}

claim_row!(HandOffKey, "hand-off", finish_hand_off, hand_off, release_hand_off);
claim_row!(EventPromptKey, "post-event prompt", finish_event_prompt, event_prompt, release_event_prompt);
claim_row!(ReminderKey, "follow-up reminder", finish_reminder, reminder, release_reminder);
claim_row!(RelatedNoticeKey, "related notice", finish_related_notice, related_notice, release_related_notice);

/// How a claimed send went, once recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Settled {
    Sent,
    /// Refused for good: finished, not tried again.
    Undeliverable(String),
    /// Given back, to be tried again after the backoff.
    Failed(String),
}

/// Records how the send of the claimed `key` went.
pub(super) async fn settle<K: ClaimRow>(
    store: &dyn Store,
    key: &K,
    sent: Result<u64, PostError>,
    now: DateTime<Utc>,
) -> ServiceResult<Settled> {
    let guild = key.guild();
    match sent {
        Ok(message_id) => {
            key.finish(store, &ClaimEnd::Delivered { message_id }, now).await?;
            tracing::info!(%guild, ?key, "{} sent", K::WHAT);
            Ok(Settled::Sent)
        }
        Err(PostError { message, permanent: true }) => {
            key.finish(store, &ClaimEnd::Undeliverable { error: message.clone() }, now).await?;
            tracing::info!(%guild, ?key, error = %message, "{} undeliverable", K::WHAT);
            Ok(Settled::Undeliverable(message))
        }
        Err(PostError { message, permanent: false }) => {
            let attempts = key.attempts(store).await?;
            key.release(store, &message, now + backoff(attempts)).await?;
            tracing::warn!(%guild, ?key, error = %message, "{} not sent; will retry", K::WHAT);
            Ok(Settled::Failed(message))
        }
    }
}
