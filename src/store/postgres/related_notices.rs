//! "Someone else heard about this" notices: their claims, once per follow-up and day.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::rows::millis;
use super::PostgresStore;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::{
    ids, RelatedNotice, RelatedNoticeKey, RelatedNoticeRecord, RelatedNoticeStore, StoreResult,
};

const COLUMNS: &str = "guild_id, entry_id, notice_day, heard_id, created_at, claimed_at, attempts, \
     retry_at, finished_at, message_id, undeliverable, last_error";

#[derive(Debug, sqlx::FromRow)]
struct NoticeRow {
    guild_id: i64,
    entry_id: i64,
    notice_day: NaiveDate,
    heard_id: i64,
    created_at: DateTime<Utc>,
    /// NULL once a claim was given back.
    claimed_at: Option<DateTime<Utc>>,
    attempts: i32,
    retry_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    message_id: Option<i64>,
    undeliverable: bool,
    last_error: Option<String>,
}

impl NoticeRow {
    fn into_notice(self) -> StoreResult<RelatedNotice> {
        RelatedNoticeRecord {
            guild_id: self.guild_id,
            entry_id: self.entry_id,
            notice_day: self.notice_day,
            heard_id: self.heard_id,
            created_at: self.created_at,
            claimed_at: self.claimed_at,
            attempts: i64::from(self.attempts),
            retry_at: self.retry_at,
            finished_at: self.finished_at,
            message_id: self.message_id,
            undeliverable: self.undeliverable,
            last_error: self.last_error,
        }
        .into_notice()
    }
}

#[async_trait]
impl RelatedNoticeStore for PostgresStore {
    async fn offer_related_notice(
        &self,
        key: &RelatedNoticeKey,
        heard: EntryId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO related_notices (guild_id, entry_id, notice_day, heard_id, created_at, claimed_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (guild_id, entry_id, notice_day) DO NOTHING",
        )
        .bind(ids::guild(key.guild))
        .bind(key.entry.0)
        .bind(key.day)
        .bind(heard.0)
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn related_notice(&self, key: &RelatedNoticeKey) -> StoreResult<Option<RelatedNotice>> {
        let row: Option<NoticeRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM related_notices WHERE guild_id = $1 AND entry_id = $2 AND notice_day = $3"
        ))
        .bind(ids::guild(key.guild))
        .bind(key.entry.0)
        .bind(key.day)
        .fetch_optional(&self.pool)
        .await?;
        row.map(NoticeRow::into_notice).transpose()
    }

    async fn unsent_related_notices(
        &self,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<RelatedNoticeKey>> {
        let rows: Vec<(i64, i64, NaiveDate)> = sqlx::query_as(
            "SELECT guild_id, entry_id, notice_day FROM related_notices WHERE finished_at IS NULL \
             AND created_at >= $1 AND (claimed_at IS NULL OR claimed_at <= $2) \
             AND (retry_at IS NULL OR retry_at <= $3) ORDER BY created_at, entry_id",
        )
        .bind(millis(since))
        .bind(millis(stale))
        .bind(millis(now))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(guild, entry, day)| RelatedNoticeKey {
                guild: GuildId(ids::from_sql(guild)),
                entry: EntryId(entry),
                day,
            })
            .collect())
    }

    async fn take_related_notices(
        &self,
        guild: GuildId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<RelatedNotice>> {
        // One statement: a row another command marked meanwhile no longer matches, so each
        // refusal is told once.
        let rows: Vec<NoticeRow> = sqlx::query_as(&format!(
            "UPDATE related_notices SET owner_told_at = $3 \
             WHERE undeliverable AND owner_told_at IS NULL AND guild_id = $1 \
             AND EXISTS (SELECT 1 FROM entries e WHERE e.id = related_notices.entry_id \
             AND e.guild_id = related_notices.guild_id AND e.follow_up_owner = $2 \
             AND e.follow_up_status = 'open') \
             AND EXISTS (SELECT 1 FROM entries h WHERE h.id = related_notices.heard_id \
             AND h.guild_id = related_notices.guild_id AND h.share = 'team' AND h.expired_at IS NULL \
             AND h.author_id <> $2) \
             RETURNING {COLUMNS}"
        ))
        .bind(ids::guild(guild))
        .bind(ids::user(owner))
        .bind(millis(now))
        .fetch_all(&self.pool)
        .await?;
        let mut notices = rows.into_iter().map(NoticeRow::into_notice).collect::<StoreResult<Vec<_>>>()?;
        notices.sort_by_key(|n| (n.created_at, n.key.entry));
        Ok(notices)
    }
}
