//! Digest claims: which (guild, period) is being posted or was posted.

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::rows::{self, DigestRunRow, DIGEST_RUN_COLUMNS};
use super::SqliteStore;
use crate::domain::ids::GuildId;
use crate::store::{ids, Backoff, DigestRun, DigestRunStore, StoreResult};

#[async_trait]
impl DigestRunStore for SqliteStore {
    async fn claim_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        now: DateTime<Utc>,
        lease: Duration,
        backoff: Backoff,
    ) -> StoreResult<bool> {
        // One statement, so two processes racing for the same period cannot both win: the insert
        // wins for the first; a retake wins only if the digest is unsent and the claim has lapsed.
        let done = sqlx::query(
            "INSERT INTO digest_runs (guild_id, period_start, claimed_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (guild_id, period_start) DO UPDATE \
             SET claimed_at = excluded.claimed_at, attempts = digest_runs.attempts + 1 \
             WHERE digest_runs.sent_at IS NULL AND digest_runs.claimed_at <= ?4 \
             AND (?5 OR digest_runs.retry_at IS NULL OR digest_runs.retry_at <= ?3)",
        )
        .bind(ids::guild(guild))
        .bind(rows::due_text(period_start))
        .bind(rows::millis(now))
        .bind(rows::millis(now - lease))
        .bind(backoff == Backoff::Skip)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn record_digest_parts(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE digest_runs SET message_ids = ? \
             WHERE guild_id = ? AND period_start = ? AND sent_at IS NULL",
        )
        .bind(rows::join_ids(message_ids))
        .bind(ids::guild(guild))
        .bind(rows::due_text(period_start))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn mark_digest_sent(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE digest_runs SET sent_at = ?, message_ids = ?, last_error = NULL \
             WHERE guild_id = ? AND period_start = ?",
        )
        .bind(rows::millis(now))
        .bind(rows::join_ids(message_ids))
        .bind(ids::guild(guild))
        .bind(rows::due_text(period_start))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn release_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        // 0 is "given back" in this NOT NULL column: see `rows::DigestRunRow`.
        sqlx::query(
            "UPDATE digest_runs SET claimed_at = 0, last_error = ?, retry_at = ? \
             WHERE guild_id = ? AND period_start = ? AND sent_at IS NULL",
        )
        .bind(error)
        .bind(rows::millis(retry_at))
        .bind(ids::guild(guild))
        .bind(rows::due_text(period_start))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn digest_run(&self, guild: GuildId, period_start: NaiveDate) -> StoreResult<Option<DigestRun>> {
        let row: Option<DigestRunRow> = sqlx::query_as(&format!(
            "SELECT {DIGEST_RUN_COLUMNS} FROM digest_runs WHERE guild_id = ? AND period_start = ?"
        ))
        .bind(ids::guild(guild))
        .bind(rows::due_text(period_start))
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| Ok(r.into_record()?.into_digest_run())).transpose()
    }
}
