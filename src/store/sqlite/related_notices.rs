//! "Someone else heard about this" notices: their claims, once per follow-up and day.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::{due_text, from_due_text, from_millis, millis};
use super::SqliteStore;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::{
    ids, RelatedNotice, RelatedNoticeKey, RelatedNoticeRecord, RelatedNoticeStore, StoreResult,
};

const COLUMNS: &str = "guild_id, entry_id, notice_day, heard_id, created_at, claimed_at, attempts, \
     retry_at, finished_at, message_id, undeliverable, last_error";

/// Refused, untold, and still worth telling `?2` of: their follow-up open and theirs, the new
/// entry a team entry by someone else, its text not expired.
const UNTOLD: &str = "undeliverable = 1 AND owner_told_at IS NULL AND guild_id = ?1 \
     AND EXISTS (SELECT 1 FROM entries e WHERE e.id = related_notices.entry_id \
     AND e.guild_id = related_notices.guild_id AND e.follow_up_owner = ?2 AND e.follow_up_status = 'open') \
     AND EXISTS (SELECT 1 FROM entries h WHERE h.id = related_notices.heard_id \
     AND h.guild_id = related_notices.guild_id AND h.share = 'team' AND h.expired_at IS NULL \
     AND h.author_id <> ?2)";

#[derive(Debug, sqlx::FromRow)]
struct NoticeRow {
    guild_id: i64,
    entry_id: i64,
    notice_day: String,
    heard_id: i64,
    created_at: i64,
    /// 0 once a claim was given back, as a reminder's.
    claimed_at: i64,
    attempts: i64,
    retry_at: Option<i64>,
    finished_at: Option<i64>,
    message_id: Option<i64>,
    undeliverable: bool,
    last_error: Option<String>,
}

impl NoticeRow {
    fn into_notice(self) -> StoreResult<RelatedNotice> {
        let entry = self.entry_id;
        let time = |ms: i64| from_millis(entry, "related notice time", ms);
        let optional = |ms: Option<i64>| ms.map(time).transpose();
        RelatedNoticeRecord {
            guild_id: self.guild_id,
            entry_id: entry,
            notice_day: from_due_text(entry, "related notice day", &self.notice_day)?,
            heard_id: self.heard_id,
            created_at: time(self.created_at)?,
            claimed_at: optional(Some(self.claimed_at).filter(|&c| c != 0))?,
            attempts: self.attempts,
            retry_at: optional(self.retry_at)?,
            finished_at: optional(self.finished_at)?,
            message_id: self.message_id,
            undeliverable: self.undeliverable,
            last_error: self.last_error,
        }
        .into_notice()
    }
}

#[async_trait]
impl RelatedNoticeStore for SqliteStore {
    async fn offer_related_notice(
        &self,
        key: &RelatedNoticeKey,
        heard: EntryId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO related_notices (guild_id, entry_id, notice_day, heard_id, created_at, claimed_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (guild_id, entry_id, notice_day) DO NOTHING",
        )
        .bind(ids::guild(key.guild))
        .bind(key.entry.0)
        .bind(due_text(key.day))
        .bind(heard.0)
        .bind(millis(now))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn related_notice(&self, key: &RelatedNoticeKey) -> StoreResult<Option<RelatedNotice>> {
        let row: Option<NoticeRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM related_notices WHERE guild_id = ? AND entry_id = ? AND notice_day = ?"
        ))
        .bind(ids::guild(key.guild))
        .bind(key.entry.0)
        .bind(due_text(key.day))
        .fetch_optional(&self.reader)
        .await?;
        row.map(NoticeRow::into_notice).transpose()
    }

    async fn unsent_related_notices(
        &self,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<RelatedNoticeKey>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT guild_id, entry_id, notice_day FROM related_notices WHERE finished_at IS NULL \
             AND created_at >= ?1 AND claimed_at <= ?2 AND (retry_at IS NULL OR retry_at <= ?3) \
             ORDER BY created_at, entry_id",
        )
        .bind(millis(since))
        .bind(millis(stale))
        .bind(millis(now))
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|(guild, entry, day)| {
                Ok(RelatedNoticeKey {
                    guild: GuildId(ids::from_sql(guild)),
                    entry: EntryId(entry),
                    day: from_due_text(entry, "related notice day", &day)?,
                })
            })
            .collect()
    }

    async fn take_related_notices(
        &self,
        guild: GuildId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<RelatedNotice>> {
        // Every command asks, and nearly always there is nothing: a read on the reader pool
        // first, so that the single writer is only taken when someone is to be told.
        let any: Option<i64> =
            sqlx::query_scalar(&format!("SELECT 1 FROM related_notices WHERE {UNTOLD} LIMIT 1"))
                .bind(ids::guild(guild))
                .bind(ids::user(owner))
                .fetch_optional(&self.reader)
                .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let rows: Vec<NoticeRow> = sqlx::query_as(&format!(
            "UPDATE related_notices SET owner_told_at = ?3 WHERE {UNTOLD} RETURNING {COLUMNS}"
        ))
        .bind(ids::guild(guild))
        .bind(ids::user(owner))
        .bind(millis(now))
        .fetch_all(&self.writer)
        .await?;
        let mut notices = rows.into_iter().map(NoticeRow::into_notice).collect::<StoreResult<Vec<_>>>()?;
        notices.sort_by_key(|n| (n.created_at, n.key.entry));
        Ok(notices)
    }
}
