//! "Someone else heard about this" notices: the DM a follow-up's owner gets when a colleague
//! captures an entry about the same thing. Claimed like a reminder (see `reminders`), once per
//! follow-up and day, so that an owner is told at most once a day about each of their follow-ups
//! however many related captures there are, across restarts and processes.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{ids, ClaimRows, ClaimTable, KeyValue, StoreError, StoreResult};
use crate::domain::ids::{EntryId, GuildId, UserId};

/// One notice: about the follow-up of `entry`, on `day` (in the guild's timezone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RelatedNoticeKey {
    pub guild: GuildId,
    /// The entry whose follow-up's owner is told.
    pub entry: EntryId,
    pub day: NaiveDate,
}

/// How a claimed notice ended. Undeliverable (the owner's DMs are closed): not tried again.
pub type RelatedNoticeEnd = super::ClaimEnd;

/// The state of one notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedNotice {
    pub key: RelatedNoticeKey,
    /// The new entry the owner is told of: the day's first.
    pub heard: EntryId,
    pub created_at: DateTime<Utc>,
    /// When the current claim was taken; `None` after a failed attempt gave it back.
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    /// When it was delivered or found undeliverable; `None` while pending.
    pub finished_at: Option<DateTime<Utc>>,
    pub end: Option<RelatedNoticeEnd>,
    pub last_error: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
}

/// The claim rows RelatedNoticeStore claims, finishes and gives back through [`ClaimRows`].
const RELATED_NOTICES: ClaimTable =
    ClaimTable { name: "related_notices", key: ["guild_id", "entry_id", "notice_day"] };

impl RelatedNoticeKey {
    /// The key's values, in [`RELATED_NOTICES`]'s column order.
    fn values(&self) -> [KeyValue; 3] {
        [KeyValue::Int(ids::guild(self.guild)), KeyValue::Int(self.entry.0), KeyValue::Date(self.day)]
    }
}

#[async_trait]
pub trait RelatedNoticeStore: ClaimRows {
    /// Records a notice of `heard` for `key`, claimed at `now` by the caller, who sends it;
    /// `false` when the follow-up's owner was already told (or is being told) that day.
    async fn offer_related_notice(
        &self,
        key: &RelatedNoticeKey,
        heard: EntryId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Claims an unsent notice for sending, as [`ReminderStore::claim_reminder`] claims a
    /// reminder: `true` when it is unfinished, its claim older than `lease` (or given back) and
    /// its backoff over. `false` for a notice never offered.
    ///
    /// [`ReminderStore::claim_reminder`]: super::ReminderStore::claim_reminder
    async fn claim_related_notice(
        &self,
        key: &RelatedNoticeKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        self.claim_row(&RELATED_NOTICES, key.values(), now, lease).await
    }

    /// Records how a claimed notice ended; final.
    async fn finish_related_notice(
        &self,
        key: &RelatedNoticeKey,
        end: &RelatedNoticeEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.finish_row(&RELATED_NOTICES, key.values(), end, now).await
    }

    /// Gives an unfinished claim back after a failure worth retrying, from `retry_at`.
    async fn release_related_notice(
        &self,
        key: &RelatedNoticeKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.release_row(&RELATED_NOTICES, key.values(), error, retry_at).await
    }

    async fn related_notice(&self, key: &RelatedNoticeKey) -> StoreResult<Option<RelatedNotice>>;

    /// Unsent notices in every guild made at or after `since`, whose claim is older than `stale`
    /// (or was given back) and whose backoff is over at `now`, oldest first: what the scheduler
    /// sends again after a crash or a failure.
    async fn unsent_related_notices(
        &self,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<RelatedNoticeKey>>;

    /// Notices of this guild Discord refused whose follow-up is still open and `owner`'s, whose
    /// new entry is still a team entry someone else wrote, and who has not been told of them yet;
    /// marked told at `now` in the same statement, so that two commands at once tell them once.
    /// Oldest first.
    async fn take_related_notices(
        &self,
        guild: GuildId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<RelatedNotice>>;
}

/// A notice's columns in backend-neutral types: each backend decodes its own column types into
/// this, and it becomes a [`RelatedNotice`] here, once for both.
#[derive(Debug)]
pub(crate) struct RelatedNoticeRecord {
    pub guild_id: i64,
    pub entry_id: i64,
    pub notice_day: NaiveDate,
    pub heard_id: i64,
    pub created_at: DateTime<Utc>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    pub retry_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub message_id: Option<i64>,
    pub undeliverable: bool,
    pub last_error: Option<String>,
}

impl RelatedNoticeRecord {
    pub fn into_notice(self) -> StoreResult<RelatedNotice> {
        let end = match (self.finished_at, self.undeliverable, self.message_id) {
            (None, _, _) => None,
            (Some(_), true, _) => {
                Some(RelatedNoticeEnd::Undeliverable { error: self.last_error.clone().unwrap_or_default() })
            }
            (Some(_), false, Some(id)) => Some(RelatedNoticeEnd::Delivered { message_id: ids::from_sql(id) }),
            (Some(_), false, None) => {
                return Err(StoreError::Corrupt {
                    id: self.entry_id,
                    reason: "a delivered related notice without its message".into(),
                })
            }
        };
        Ok(RelatedNotice {
            key: RelatedNoticeKey {
                guild: GuildId(ids::from_sql(self.guild_id)),
                entry: EntryId(self.entry_id),
                day: self.notice_day,
            },
            heard: EntryId(self.heard_id),
            created_at: self.created_at,
            claimed_at: self.claimed_at,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            finished_at: self.finished_at,
            end,
            last_error: self.last_error,
            retry_at: self.retry_at,
        })
    }
}
