//! Claim rows (hand-offs, post-event prompts, reminders): the claim with a lease, the finish and
//! the release with a retry time, once for every claim table. `claimed_at` is NOT NULL here, so
//! 0 means "given back" (see `rows::ReminderRow`).

use chrono::{DateTime, Duration, Utc};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Sqlite, SqlitePool};

use super::rows::millis;
use crate::store::{ClaimEnd, StoreResult};

type Query<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;

/// A table of claim rows and its key's columns. Both are our own constants, never user text,
/// which is why they may be written into the SQL.
pub(super) struct ClaimTable<const N: usize> {
    pub name: &'static str,
    pub key: [&'static str; N],
}

/// One key column's value, as bound.
pub(super) enum KeyValue {
    Int(i64),
    Text(String),
}

impl<const N: usize> ClaimTable<N> {
    /// Takes the row for `now` when nobody holds it (or the holder's lease ran out), it is not
    /// finished and its retry time has come. One statement, so two processes cannot both win:
    /// the row changes only for one.
    pub(super) async fn claim(
        &self,
        pool: &SqlitePool,
        key: [KeyValue; N],
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<bool> {
        let sql = format!(
            "UPDATE {} SET claimed_at = ?1, attempts = attempts + 1 WHERE {} AND finished_at IS NULL \
             AND claimed_at <= ?2 AND (retry_at IS NULL OR retry_at <= ?1)",
            self.name,
            self.key_from(3)
        );
        let q = sqlx::query(&sql).bind(millis(now)).bind(millis(now - lease));
        let done = bind(q, key).execute(pool).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records how the send ended; the row is not claimed again.
    pub(super) async fn finish(
        &self,
        pool: &SqlitePool,
        key: [KeyValue; N],
        end: &ClaimEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let (message_id, undeliverable, error) = end.columns();
        let sql = format!(
            "UPDATE {} SET finished_at = ?1, message_id = ?2, undeliverable = ?3, last_error = ?4 WHERE {}",
            self.name,
            self.key_from(5)
        );
        let q = sqlx::query(&sql).bind(millis(now)).bind(message_id).bind(undeliverable).bind(error);
        bind(q, key).execute(pool).await?;
        Ok(())
    }

    /// Gives an unfinished row back, to be claimed again from `retry_at`.
    pub(super) async fn release(
        &self,
        pool: &SqlitePool,
        key: [KeyValue; N],
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let sql = format!(
            "UPDATE {} SET claimed_at = 0, last_error = ?1, retry_at = ?2 WHERE {} AND finished_at IS NULL",
            self.name,
            self.key_from(3)
        );
        let q = sqlx::query(&sql).bind(error).bind(millis(retry_at));
        bind(q, key).execute(pool).await?;
        Ok(())
    }

    /// `a = ?first AND b = ?first+1 ...`, for the key's columns in order.
    fn key_from(&self, first: usize) -> String {
        let columns = self.key.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", first + i));
        columns.collect::<Vec<_>>().join(" AND ")
    }
}

fn bind<const N: usize>(q: Query<'_>, key: [KeyValue; N]) -> Query<'_> {
    key.into_iter().fold(q, |q, v| match v {
        KeyValue::Int(i) => q.bind(i),
        KeyValue::Text(s) => q.bind(s),
    })
}
