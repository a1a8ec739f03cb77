//! Post-event prompts: the DM each organiser gets the day after an event ends, claimed like a
//! reminder (see `reminders`) so that it goes out once per (event, organiser) across restarts and
//! processes, and what the organiser decided when they pressed Nothing needed.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use super::{ids, ClaimRows, ClaimTable, KeyValue, StoreResult};
use crate::domain::event::EventId;
use crate::domain::ids::{GuildId, UserId};

/// One prompt: an event, to one of its organisers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventPromptKey {
    pub guild: GuildId,
    pub event: EventId,
    pub organiser: UserId,
}

/// How a claimed prompt DM ended. Undeliverable: not tried again.
pub type EventPromptEnd = super::ClaimEnd;

/// The state of one prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventPrompt {
    pub key: EventPromptKey,
    pub created_at: DateTime<Utc>,
    /// When the current claim was taken; `None` after a failed attempt gave it back.
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    pub finished_at: Option<DateTime<Utc>>,
    pub end: Option<EventPromptEnd>,
    pub last_error: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
    /// When the organiser pressed Nothing needed.
    pub nothing_needed_at: Option<DateTime<Utc>>,
}

/// The claim rows EventPromptStore claims, finishes and gives back through [`ClaimRows`].
const PROMPTS: ClaimTable =
    ClaimTable { name: "event_prompts", key: ["event_id", "organiser_id", "guild_id"] };

impl EventPromptKey {
    /// The key's values, in [`PROMPTS`]'s column order.
    fn values(&self) -> [KeyValue; 3] {
        [
            KeyValue::Int(self.event.0),
            KeyValue::Int(ids::user(self.organiser)),
            KeyValue::Int(ids::guild(self.guild)),
        ]
    }
}

#[async_trait]
pub trait EventPromptStore: ClaimRows {
    /// Records a prompt, claimed at `now` by the caller, who sends it; `false` when it was already
    /// recorded (by this process or another): nothing to send.
    async fn offer_event_prompt(&self, key: &EventPromptKey, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Claims an unsent prompt for sending again: `true` when it is unfinished, its claim older
    /// than `lease` (or given back) and its backoff over.
    async fn claim_event_prompt(
        &self,
        key: &EventPromptKey,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<bool> {
        self.claim_row(&PROMPTS, key.values(), now, lease).await
    }

    /// Records how a claimed prompt ended; final.
    async fn finish_event_prompt(
        &self,
        key: &EventPromptKey,
        end: &EventPromptEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.finish_row(&PROMPTS, key.values(), end, now).await
    }

    /// Gives an unfinished claim back after a failure worth retrying, from `retry_at`.
    async fn release_event_prompt(
        &self,
        key: &EventPromptKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.release_row(&PROMPTS, key.values(), error, retry_at).await
    }

    async fn event_prompt(&self, key: &EventPromptKey) -> StoreResult<Option<EventPrompt>>;

    /// Unsent prompts made at or after `since` whose claim is older than `stale` (or was given
    /// back) and whose backoff is over at `now`, oldest first.
    async fn unsent_event_prompts(
        &self,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<EventPromptKey>> {
        let found = self.unsent_rows(&PROMPTS, since, stale, now).await?;
        Ok(found
            .into_iter()
            .map(|(e, o, g)| EventPromptKey {
                event: EventId(e),
                organiser: UserId(ids::from_sql(o)),
                guild: GuildId(ids::from_sql(g)),
            })
            .collect())
    }

    /// Records Nothing needed (the first press counts); `false` when the organiser was never
    /// prompted about the event.
    async fn nothing_needed(&self, key: &EventPromptKey, now: DateTime<Utc>) -> StoreResult<bool>;

    /// The prompts made for a guild's event, by organiser.
    async fn event_prompts(&self, guild: GuildId, event: EventId) -> StoreResult<Vec<EventPrompt>>;
}

/// A prompt row, as both backends read it.
#[derive(Debug)]
pub(crate) struct EventPromptRecord {
    pub event_id: i64,
    pub organiser_id: i64,
    pub guild_id: i64,
    pub created_at: DateTime<Utc>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    pub retry_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub message_id: Option<i64>,
    pub undeliverable: bool,
    pub last_error: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl EventPromptRecord {
    pub fn into_prompt(self) -> EventPrompt {
        let end = match (self.finished_at, self.undeliverable, self.message_id) {
            (None, _, _) => None,
            (Some(_), true, _) => {
                Some(EventPromptEnd::Undeliverable { error: self.last_error.clone().unwrap_or_default() })
            }
            (Some(_), false, id) => {
                Some(EventPromptEnd::Delivered { message_id: id.map_or(0, super::ids::from_sql) })
            }
        };
        EventPrompt {
            key: EventPromptKey {
                guild: GuildId(super::ids::from_sql(self.guild_id)),
                event: EventId(self.event_id),
                organiser: UserId(super::ids::from_sql(self.organiser_id)),
            },
            created_at: self.created_at,
            claimed_at: self.claimed_at,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            finished_at: self.finished_at,
            end,
            last_error: self.last_error,
            retry_at: self.retry_at,
            nothing_needed_at: self.decided_at,
        }
    }
}
