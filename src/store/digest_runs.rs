//! Digest claims: which (guild, period) is being posted or was posted, so that a digest goes out
//! once per period across restarts and processes.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::StoreResult;
use crate::domain::ids::GuildId;

/// The state of one guild's digest for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRun {
    pub period_start: NaiveDate,
    /// When the current claim was taken; `None` after a failed post gave it back.
    pub claimed_at: Option<DateTime<Utc>>,
    /// How many times it was claimed.
    pub attempts: u32,
    pub sent_at: Option<DateTime<Utc>>,
    pub message_ids: Vec<u64>,
    pub last_error: Option<String>,
    /// After a failed post, the earliest time it may be claimed again.
    pub retry_at: Option<DateTime<Utc>>,
}

/// Whether a claim waits out the backoff of an earlier failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backoff {
    /// The scheduler: not before `retry_at`.
    Honour,
    /// An admin asked for it now (having fixed what failed, say).
    Skip,
}

#[async_trait]
pub trait DigestRunStore: Send + Sync {
    /// Claims the digest of (guild, period) for posting: `true` when the caller may post, that is
    /// when it was never claimed, or is unsent and its last claim is older than `lease`. Atomic
    /// across processes sharing the database.
    async fn claim_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        backoff: Backoff,
    ) -> StoreResult<bool>;

    /// Records the messages of a claimed digest posted so far, so that a retry after a failure
    /// part-way resumes after them instead of posting them again.
    async fn record_digest_parts(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
    ) -> StoreResult<()>;

    /// Records a claimed digest as posted.
    async fn mark_digest_sent(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Gives an unsent claim back after a failed post, keeping the error; it may be claimed again
    /// from `retry_at`.
    async fn release_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()>;

    async fn digest_run(&self, guild: GuildId, period_start: NaiveDate) -> StoreResult<Option<DigestRun>>;
}
