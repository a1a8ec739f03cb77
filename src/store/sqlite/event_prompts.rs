//! Post-event prompts: their claims, and Nothing needed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::{from_millis, millis};
use super::SqliteStore;
use crate::domain::event::EventId;
use crate::domain::ids::GuildId;
use crate::store::event_prompts::EventPromptRecord;
use crate::store::{ids, EventPrompt, EventPromptKey, EventPromptStore, StoreResult};

const COLUMNS: &str = "event_id, organiser_id, guild_id, created_at, claimed_at, attempts, retry_at, \
     finished_at, message_id, undeliverable, last_error, decided_at";

/// The key's columns, in `WHERE` order.
const KEY: &str = "event_id = ? AND organiser_id = ? AND guild_id = ?";

#[derive(Debug, sqlx::FromRow)]
struct PromptRow {
    event_id: i64,
    organiser_id: i64,
    guild_id: i64,
    created_at: i64,
    /// 0 once a claim was given back, as a reminder's.
    claimed_at: i64,
    attempts: i64,
    retry_at: Option<i64>,
    finished_at: Option<i64>,
    message_id: Option<i64>,
    undeliverable: bool,
    last_error: Option<String>,
    decided_at: Option<i64>,
}

impl PromptRow {
    fn into_prompt(self) -> StoreResult<EventPrompt> {
        let id = self.event_id;
        let time = |ms: i64| from_millis(id, "event prompt time", ms);
        let optional = |ms: Option<i64>| ms.map(time).transpose();
        Ok(EventPromptRecord {
            event_id: self.event_id,
            organiser_id: self.organiser_id,
            guild_id: self.guild_id,
            created_at: time(self.created_at)?,
            claimed_at: optional(Some(self.claimed_at).filter(|&c| c != 0))?,
            attempts: self.attempts,
            retry_at: optional(self.retry_at)?,
            finished_at: optional(self.finished_at)?,
            message_id: self.message_id,
            undeliverable: self.undeliverable,
            last_error: self.last_error,
            decided_at: optional(self.decided_at)?,
        }
        .into_prompt())
    }
}

fn bind_key<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    key: &EventPromptKey,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    q.bind(key.event.0).bind(ids::user(key.organiser)).bind(ids::guild(key.guild))
}

#[async_trait]
impl EventPromptStore for SqliteStore {
    async fn offer_event_prompt(&self, key: &EventPromptKey, now: DateTime<Utc>) -> StoreResult<bool> {
        // Only for an event of the guild: a forgotten guild's event takes no new prompt.
        let done = sqlx::query(
            "INSERT INTO event_prompts (event_id, organiser_id, guild_id, created_at, claimed_at) \
             SELECT id, ?2, guild_id, ?4, ?4 FROM events WHERE id = ?1 AND guild_id = ?3 \
             ON CONFLICT (event_id, organiser_id) DO NOTHING",
        )
        .bind(key.event.0)
        .bind(ids::user(key.organiser))
        .bind(ids::guild(key.guild))
        .bind(millis(now))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn event_prompt(&self, key: &EventPromptKey) -> StoreResult<Option<EventPrompt>> {
        let row: Option<PromptRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM event_prompts WHERE {KEY}"))
                .bind(key.event.0)
                .bind(ids::user(key.organiser))
                .bind(ids::guild(key.guild))
                .fetch_optional(&self.reader)
                .await?;
        row.map(PromptRow::into_prompt).transpose()
    }

    async fn nothing_needed(&self, key: &EventPromptKey, now: DateTime<Utc>) -> StoreResult<bool> {
        let sql = format!(
            "UPDATE event_prompts SET decision = 'nothing', decided_at = coalesce(decided_at, ?) WHERE {KEY}"
        );
        let q = sqlx::query(&sql).bind(millis(now));
        let done = bind_key(q, key).execute(&self.writer).await?;
        Ok(done.rows_affected() == 1)
    }

    async fn event_prompts(&self, guild: GuildId, event: EventId) -> StoreResult<Vec<EventPrompt>> {
        let rows: Vec<PromptRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM event_prompts WHERE event_id = ? AND guild_id = ?"
        ))
        .bind(event.0)
        .bind(ids::guild(guild))
        .fetch_all(&self.reader)
        .await?;
        let mut all = rows.into_iter().map(PromptRow::into_prompt).collect::<StoreResult<Vec<_>>>()?;
        // Ids above i64::MAX are negative as stored, so SQL's order is not theirs.
        all.sort_by_key(|p| p.key.organiser);
        Ok(all)
    }
}
