//! How a claimed send (a hand-off, a post-event prompt, a reminder) ends: one type for every
//! claim table, recorded in the same columns by both backends' `claims` modules; and the claim,
//! finish and release every claim table's store trait runs through.

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{ids, StoreResult};

/// How a claimed private message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimEnd {
    Delivered {
        message_id: u64,
    },
    /// Discord refused the DM for good (the recipient's DMs are closed, say): not tried again.
    Undeliverable {
        error: String,
    },
}

impl ClaimEnd {
    /// `message_id`, `undeliverable` and `last_error`, as stored.
    pub(crate) fn columns(&self) -> (Option<i64>, bool, Option<&str>) {
        match self {
            ClaimEnd::Delivered { message_id } => (Some(ids::to_sql(*message_id)), false, None),
            ClaimEnd::Undeliverable { error } => (None, true, Some(error)),
        }
    }
}

/// A table of claim rows and its key's columns. Both are our own constants (only the store makes
/// one), which is why the backends may write them into the SQL.
pub struct ClaimTable {
    pub(crate) name: &'static str,
    pub(crate) key: [&'static str; 3],
}

/// One key column's value, as bound.
#[derive(Debug, Clone, Copy)]
pub enum KeyValue {
    Int(i64),
    Date(NaiveDate),
}

/// The claim with a lease, its finish and its release, which every claim table's store trait
/// (hand-offs, post-event prompts, reminders) runs through: each backend implements them once.
#[async_trait]
pub trait ClaimRows: Send + Sync {
    /// Takes the row at `now` when it is unfinished, nobody holds it (or the holder's lease ran
    /// out) and its retry time has come; `false` otherwise, or for no such row.
    async fn claim_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<bool>;

    /// Records how the send ended; the row is not claimed again.
    async fn finish_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        end: &ClaimEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Gives an unfinished row back, to be claimed again from `retry_at`.
    async fn release_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// The keys (in the table's column order) of unfinished rows made at or after `since`, whose
    /// claim is older than `stale` (or was given back) and whose retry time has come at `now`,
    /// oldest first. For tables whose key columns are all integers.
    async fn unsent_rows(
        &self,
        table: &ClaimTable,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(i64, i64, i64)>>;
}
