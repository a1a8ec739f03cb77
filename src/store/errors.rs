//! What a store call can fail with, and which database errors mean "the server is not there right
//! now" rather than "this query failed": the first kind is worth retrying, and is told to people as
//! such instead of as a fault.

use crate::domain::ids::EntryId;

/// `From<sqlx::Error>` (below) sorts connection failures into `Unavailable`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The server cannot be reached, or no connection came free in time: worth trying again later,
    /// and nothing the person asking did wrong.
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("could not apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL \"{0}\": use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    /// A stored row that cannot be decoded (a time out of range, a broken follow-up: a hand edit
    /// or an older version's row). Listings leave such a row out; reading it by id says this.
    #[error("entry {id} in the database is invalid: {reason}")]
    Corrupt { id: i64, reason: String },
    #[error("entry {0} already exists")]
    DuplicateId(EntryId),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if is_unavailable(&e) {
            StoreError::Unavailable(e)
        } else {
            StoreError::Database(e)
        }
    }
}

/// Connection refused or dropped, no connection free within the pool's acquire timeout, or a
/// server that is starting up or shutting down. Not `PoolClosed`: only this process closes its
/// pool (at shutdown), and a request still arriving then is a fault of ours, not an outage.
pub(crate) fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| is_unavailable_state(&code)),
        _ => false,
    }
}

/// PostgreSQL's SQLSTATEs for it: class 08 (connection exception), and 57P01-57P03
/// (admin_shutdown, crash_shutdown, cannot_connect_now). SQLite's codes are numbers and never match.
fn is_unavailable_state(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_failures_are_unavailable_and_query_errors_are_not() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert!(matches!(StoreError::from(sqlx::Error::Io(refused)), StoreError::Unavailable(_)));
        assert!(matches!(StoreError::from(sqlx::Error::PoolTimedOut), StoreError::Unavailable(_)));
        assert!(matches!(StoreError::from(sqlx::Error::RowNotFound), StoreError::Database(_)));
        assert!(matches!(StoreError::from(sqlx::Error::PoolClosed), StoreError::Database(_)));
        assert!(is_unavailable_state("08006") && is_unavailable_state("57P03"));
        assert!(!is_unavailable_state("23505") && !is_unavailable_state("2067"));
    }
}
