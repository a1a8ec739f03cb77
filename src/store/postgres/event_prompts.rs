//! Post-event prompts: their claims, and Nothing needed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::millis;
use super::PostgresStore;
use crate::domain::event::EventId;
use crate::domain::ids::GuildId;
use crate::store::event_prompts::EventPromptRecord;
use crate::store::{ids, EventPrompt, EventPromptKey, EventPromptStore, StoreResult};

const COLUMNS: &str = "event_id, organiser_id, guild_id, created_at, claimed_at, attempts, retry_at, \
     finished_at, message_id, undeliverable, last_error, decided_at";

#[derive(Debug, sqlx::FromRow)]
struct PromptRow {
    event_id: i64,
    organiser_id: i64,
    guild_id: i64,
    created_at: DateTime<Utc>,
    /// NULL once a claim was given back, as a reminder's.
    claimed_at: Option<DateTime<Utc>>,
    attempts: i32,
    retry_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    message_id: Option<i64>,
    undeliverable: bool,
    last_error: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

impl PromptRow {
    fn into_prompt(self) -> EventPrompt {
        EventPromptRecord {
            event_id: self.event_id,
            organiser_id: self.organiser_id,
            guild_id: self.guild_id,
            created_at: self.created_at,
            claimed_at: self.claimed_at,
            attempts: i64::from(self.attempts),
            retry_at: self.retry_at,
            finished_at: self.finished_at,
            message_id: self.message_id,
            undeliverable: self.undeliverable,
            last_error: self.last_error,
            decided_at: self.decided_at,
        }
        .into_prompt()
    }
}

#[async_trait]
impl EventPromptStore for PostgresStore {
    async fn offer_event_prompt(&self, key: &EventPromptKey, now: DateTime<Utc>) -> StoreResult<bool> {
        // Only for an event of the guild: a forgotten guild's event takes no new prompt.
        let done = sqlx::query(
            "INSERT INTO event_prompts (event_id, organiser_id, guild_id, created_at, claimed_at) \
             SELECT id, $2, guild_id, $4, $4 FROM events WHERE id = $1 AND guild_id = $3 \
             ON CONFLICT (event_id, organiser_id) DO NOTHING",
        )
        .bind(key.event.0)
        .bind(ids::user(key.organiser))
        .bind(ids::guild(key.guild))
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn event_prompt(&self, key: &EventPromptKey) -> StoreResult<Option<EventPrompt>> {
        let row: Option<PromptRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM event_prompts WHERE event_id = $1 AND organiser_id = $2 AND guild_id = $3"
        ))
        .bind(key.event.0)
        .bind(ids::user(key.organiser))
        .bind(ids::guild(key.guild))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(PromptRow::into_prompt))
    }

    async fn nothing_needed(&self, key: &EventPromptKey, now: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE event_prompts SET decision = 'nothing', decided_at = coalesce(decided_at, $1) \
             WHERE event_id = $2 AND organiser_id = $3 AND guild_id = $4",
        )
        .bind(millis(now))
        .bind(key.event.0)
        .bind(ids::user(key.organiser))
        .bind(ids::guild(key.guild))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn event_prompts(&self, guild: GuildId, event: EventId) -> StoreResult<Vec<EventPrompt>> {
        let rows: Vec<PromptRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM event_prompts WHERE event_id = $1 AND guild_id = $2"
        ))
        .bind(event.0)
        .bind(ids::guild(guild))
        .fetch_all(&self.pool)
        .await?;
        let mut all: Vec<EventPrompt> = rows.into_iter().map(PromptRow::into_prompt).collect();
        // Ids above i64::MAX are negative as stored, so SQL's order is not theirs.
        all.sort_by_key(|p| p.key.organiser);
        Ok(all)
    }
}
