//! Follow-up reminder claims: which (guild, entry, due date) was reminded, or is being, so that a
//! reminder goes out once per due date across restarts and processes.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{ids, ClaimRows, ClaimTable, KeyValue, StoreResult};
use crate::domain::ids::{EntryId, GuildId, UserId};

/// One follow-up reminder: a follow-up of an entry, for one due date. A new due date is a new
/// reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReminderKey {
    pub guild: GuildId,
    pub entry: EntryId,
    pub due: NaiveDate,
}

/// How a claimed reminder ended. Undeliverable: the owner is told privately on their next command,
/// and admins see it in `/settings show`; never the digest's channel.
pub type ReminderEnd = super::ClaimEnd;

/// The state of one reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRun {
    pub key: ReminderKey,
    /// When the current claim was taken; `None` after a failed attempt gave it back.
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    /// When it was delivered or found undeliverable; `None` while pending.
    pub finished_at: Option<DateTime<Utc>>,
    pub end: Option<ReminderEnd>,
    pub last_error: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
}

/// The claim rows ReminderStore claims, finishes and gives back through [`ClaimRows`].
const REMINDERS: ClaimTable = ClaimTable { name: "reminders", key: ["guild_id", "entry_id", "due_on"] };

impl ReminderKey {
    /// The key's values, in [`REMINDERS`]'s column order.
    fn values(&self) -> [KeyValue; 3] {
        [KeyValue::Int(ids::guild(self.guild)), KeyValue::Int(self.entry.0), KeyValue::Date(self.due)]
    }
}

#[async_trait]
pub trait ReminderStore: ClaimRows {
    /// Claims a reminder for sending, exactly like [`DigestRunStore::claim_digest`]: `true` when
    /// it was never claimed, or is unfinished, its claim older than `lease` and its backoff over.
    ///
    /// [`DigestRunStore::claim_digest`]: super::DigestRunStore::claim_digest
    async fn claim_reminder(
        &self,
        key: &ReminderKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool>;

    /// Records how a claimed reminder ended; final.
    async fn finish_reminder(
        &self,
        key: &ReminderKey,
        end: &ReminderEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.finish_row(&REMINDERS, key.values(), end, now).await
    }

    /// Gives an unfinished claim back after a failure worth retrying, from `retry_at`.
    async fn release_reminder(
        &self,
        key: &ReminderKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.release_row(&REMINDERS, key.values(), error, retry_at).await
    }

    async fn reminder(&self, key: &ReminderKey) -> StoreResult<Option<ReminderRun>>;

    /// Reminders of this guild due from `from` to `to` (inclusive) that could not be delivered,
    /// oldest due first: the digest's fallback.
    async fn undelivered_reminders(
        &self,
        guild: GuildId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ReminderRun>>;

    /// Reminders of this guild Discord refused whose follow-up, still open on that due date, is
    /// `owner`'s and who has not been told of them yet; marked told at `now` in the same
    /// statement, so that two commands at once tell them once. Oldest due first.
    async fn take_reminder_notices(
        &self,
        guild: GuildId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ReminderKey>>;
}
