//! Desk-to-liaison hand-offs: an entry handed to a department's liaison librarian by DM, claimed
//! like a reminder (see `reminders`) so that the DM goes out once across restarts and processes,
//! and taken on by the first of them to press Take it.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{ids, ClaimRows, ClaimTable, KeyValue, StoreError, StoreResult};
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{EntryId, GuildId, UserId};

/// One hand-off: an entry, to one liaison librarian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HandOffKey {
    pub guild: GuildId,
    pub entry: EntryId,
    pub liaison: UserId,
}

/// How a claimed hand-off DM ended. Undeliverable: the digest lists the hand-off instead, without
/// saying whose DMs are closed.
pub type HandOffEnd = super::ClaimEnd;

/// The state of one hand-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandOff {
    pub key: HandOffKey,
    /// The department (one of the entry's) it was handed off for.
    pub department: DepartmentKey,
    pub created_at: DateTime<Utc>,
    /// When the current claim was taken; `None` after a failed attempt gave it back.
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    /// When the DM was delivered or found undeliverable; `None` while pending.
    pub finished_at: Option<DateTime<Utc>>,
    pub end: Option<HandOffEnd>,
    pub last_error: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
    /// Who took the entry on, and when: the same on every hand-off of the entry.
    pub taken: Option<(UserId, DateTime<Utc>)>,
}

/// What pressing Take it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandOffTake {
    /// The taker is now the follow-up's owner.
    Taken,
    /// Someone (perhaps the taker, pressing twice) took it first.
    AlreadyTaken(UserId),
    /// The entry was never handed to this member, or it is gone.
    NotOffered,
}

/// The claim rows HandOffStore claims, finishes and gives back through [`ClaimRows`].
const HAND_OFFS: ClaimTable = ClaimTable { name: "hand_offs", key: ["entry_id", "liaison_id", "guild_id"] };

impl HandOffKey {
    /// The key's values, in [`HAND_OFFS`]'s column order.
    fn values(&self) -> [KeyValue; 3] {
        [
            KeyValue::Int(self.entry.0),
            KeyValue::Int(ids::user(self.liaison)),
            KeyValue::Int(ids::guild(self.guild)),
        ]
    }
}

#[async_trait]
pub trait HandOffStore: ClaimRows {
    /// Records a hand-off of `key.entry` to `key.liaison` for `department`, claimed at `now` by
    /// the caller, who sends it; `false` when it was already recorded (nothing to send).
    async fn offer_hand_off(
        &self,
        key: &HandOffKey,
        department: &DepartmentKey,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Claims an unsent hand-off for sending, as [`ReminderStore::claim_reminder`] claims a
    /// reminder: `true` when it is unfinished, its claim older than `lease` (or given back) and
    /// its backoff over. `false` for a hand-off never offered.
    ///
    /// [`ReminderStore::claim_reminder`]: super::ReminderStore::claim_reminder
    async fn claim_hand_off(
        &self,
        key: &HandOffKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        self.claim_row(&HAND_OFFS, key.values(), now, lease).await
    }

    /// Records how a claimed hand-off DM ended; final.
    async fn finish_hand_off(
        &self,
        key: &HandOffKey,
        end: &HandOffEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.finish_row(&HAND_OFFS, key.values(), end, now).await
    }

    /// Gives an unfinished claim back after a failure worth retrying, from `retry_at`.
    async fn release_hand_off(
        &self,
        key: &HandOffKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.release_row(&HAND_OFFS, key.values(), error, retry_at).await
    }

    async fn hand_off(&self, key: &HandOffKey) -> StoreResult<Option<HandOff>>;

    /// Unsent hand-offs in every guild made at or after `since`, whose claim is older than
    /// `stale` (or was given back) and whose backoff is over at `now`, oldest first: what the
    /// scheduler sends again after a crash or a failure.
    async fn unsent_hand_offs(
        &self,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<HandOffKey>> {
        let found = self.unsent_rows(&HAND_OFFS, since, stale, now).await?;
        Ok(found
            .into_iter()
            .map(|(e, l, g)| HandOffKey {
                entry: EntryId(e),
                liaison: UserId(ids::from_sql(l)),
                guild: GuildId(ids::from_sql(g)),
            })
            .collect())
    }

    /// The guild's hand-offs made in `[start, end)`, oldest first (then by entry and liaison).
    async fn hand_offs_made(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<HandOff>>;

    /// `taker` takes the entry on, if it was handed to them and nobody took it yet: in one
    /// transaction, every hand-off of the entry is marked taken by them at `now`, and the entry's
    /// follow-up becomes theirs, open, due on `due` (or on its own due date if it is open and
    /// later). Two presses at once: one wins, the other gets `AlreadyTaken`.
    async fn take_hand_off(
        &self,
        guild: GuildId,
        entry: EntryId,
        taker: UserId,
        due: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<HandOffTake>;
}

/// A hand-off's columns in backend-neutral types: each backend decodes its own column types into
/// this, and it becomes a [`HandOff`] here, once for both.
#[derive(Debug)]
pub(crate) struct HandOffRecord {
    pub entry_id: i64,
    pub liaison_id: i64,
    pub guild_id: i64,
    pub department: String,
    pub created_at: DateTime<Utc>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    pub retry_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub message_id: Option<i64>,
    pub undeliverable: bool,
    pub last_error: Option<String>,
    pub taken_by: Option<i64>,
    pub taken_at: Option<DateTime<Utc>>,
}

impl HandOffRecord {
    pub fn into_hand_off(self) -> StoreResult<HandOff> {
        let end = match (self.finished_at, self.undeliverable, self.message_id) {
            (None, _, _) => None,
            (Some(_), true, _) => {
                Some(HandOffEnd::Undeliverable { error: self.last_error.clone().unwrap_or_default() })
            }
            (Some(_), false, Some(id)) => Some(HandOffEnd::Delivered { message_id: ids::from_sql(id) }),
            (Some(_), false, None) => {
                return Err(StoreError::Corrupt {
                    id: self.entry_id,
                    reason: "a delivered hand-off without its message".into(),
                })
            }
        };
        Ok(HandOff {
            key: HandOffKey {
                guild: GuildId(ids::from_sql(self.guild_id)),
                entry: EntryId(self.entry_id),
                liaison: UserId(ids::from_sql(self.liaison_id)),
            },
            department: DepartmentKey::from_stored(self.department),
            created_at: self.created_at,
            claimed_at: self.claimed_at,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            finished_at: self.finished_at,
            end,
            last_error: self.last_error,
            retry_at: self.retry_at,
            taken: self.taken_by.zip(self.taken_at).map(|(by, at)| (UserId(ids::from_sql(by)), at)),
        })
    }
}
