//! The last step of every claimed send (a hand-off, a post-event prompt, a reminder): record a
//! delivered message or Discord's refusal for good, or give the claim back to be tried again after
//! the shared [`backoff`], so the three keep one retry policy.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::poster::PostError;
use super::retry::backoff;
use super::ServiceResult;
use crate::domain::ids::GuildId;
use crate::store::{Store, StoreResult};

/// One kind of claim row, as its store records it.
#[async_trait]
pub(super) trait ClaimRow: std::fmt::Debug + Send + Sync {
    /// What the log calls a send of this kind.
    const WHAT: &'static str;

    fn guild(&self) -> GuildId;

    /// Finishes the row: sent as this message, or refused for good with this error.
    async fn finish(
        &self,
        store: &dyn Store,
        end: Result<u64, String>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// How many times the row was claimed, this claim included.
    async fn attempts(&self, store: &dyn Store) -> StoreResult<u32>;

    async fn release(&self, store: &dyn Store, error: &str, retry_at: DateTime<Utc>) -> StoreResult<()>;
}

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
            key.finish(store, Ok(message_id), now).await?;
            tracing::info!(%guild, ?key, "{} sent", K::WHAT);
            Ok(Settled::Sent)
        }
        Err(PostError { message, permanent: true }) => {
            key.finish(store, Err(message.clone()), now).await?;
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
