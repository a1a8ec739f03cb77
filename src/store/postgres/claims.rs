//! Claim rows (hand-offs, post-event prompts, reminders): the claim with a lease, the finish and
//! the release with a retry time, once for every claim table. `claimed_at` is NULL once a claim
//! was given back.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use sqlx::postgres::PgArguments;
use sqlx::Postgres;

use super::rows::millis;
use super::PostgresStore;
use crate::store::{ClaimEnd, ClaimRows, ClaimTable, KeyValue, StoreResult};

type Query<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

#[async_trait]
impl ClaimRows for PostgresStore {
    async fn claim_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<bool> {
        // One statement, so two processes cannot both win: the row changes only for one.
        let sql = format!(
            "UPDATE {} SET claimed_at = $1, attempts = attempts + 1 WHERE {} AND finished_at IS NULL \
             AND (claimed_at IS NULL OR claimed_at <= $2) AND (retry_at IS NULL OR retry_at <= $1)",
            table.name,
            key_from(table, 3)
        );
        let q = sqlx::query(&sql).bind(millis(now)).bind(millis(now - lease));
        let done = bind(q, key).execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }

    async fn finish_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        end: &ClaimEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let (message_id, undeliverable, error) = end.columns();
        let sql = format!(
            "UPDATE {} SET finished_at = $1, message_id = $2, undeliverable = $3, last_error = $4 WHERE {}",
            table.name,
            key_from(table, 5)
        );
        let q = sqlx::query(&sql).bind(millis(now)).bind(message_id).bind(undeliverable).bind(error);
        bind(q, key).execute(&self.pool).await?;
        Ok(())
    }

    async fn release_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let sql = format!(
            "UPDATE {} SET claimed_at = NULL, last_error = $1, retry_at = $2 WHERE {} AND finished_at IS NULL",
            table.name,
            key_from(table, 3)
        );
        let q = sqlx::query(&sql).bind(error).bind(millis(retry_at));
        bind(q, key).execute(&self.pool).await?;
        Ok(())
    }

    async fn unsent_rows(
        &self,
        table: &ClaimTable,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(i64, i64, i64)>> {
        let [a, b, c] = table.key;
        let sql = format!(
            "SELECT {a}, {b}, {c} FROM {} WHERE finished_at IS NULL AND created_at >= $1 \
             AND (claimed_at IS NULL OR claimed_at <= $2) AND (retry_at IS NULL OR retry_at <= $3) ORDER BY created_at, {a}, {b}",
            table.name
        );
        let q = sqlx::query_as(&sql).bind(millis(since)).bind(millis(stale)).bind(millis(now));
        Ok(q.fetch_all(&self.pool).await?)
    }
}

/// `a = $first AND b = $first+1 ...`, for the table's key columns in order.
fn key_from(table: &ClaimTable, first: usize) -> String {
    let columns = table.key.iter().enumerate().map(|(i, c)| format!("{c} = ${}", first + i));
    columns.collect::<Vec<_>>().join(" AND ")
}

fn bind(q: Query<'_>, key: [KeyValue; 3]) -> Query<'_> {
    key.into_iter().fold(q, |q, v| match v {
        KeyValue::Int(i) => q.bind(i),
        KeyValue::Date(d) => q.bind(d),
    })
}
