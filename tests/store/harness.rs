//! A fresh database per test: a file in a temporary directory for SQLite, a new database on the
//! `TEST_DATABASE_URL` server for PostgreSQL (created empty, migrated by the store as in
//! production, dropped afterwards even when the test fails). `conformance!` runs one test function
//! against each backend.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use liaison::store::postgres::PostgresStore;
use liaison::store::sqlite::SqliteStore;
use liaison::store::{DatabaseOptions, Store};
use sqlx::{Connection, Executor};
use tempfile::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One test's database and a store open on it.
pub struct Db {
    pub backend: Backend,
    pub url: String,
    pub store: Arc<dyn Store>,
    /// SQLite's file lives as long as the test; PostgreSQL's database is dropped by `run`.
    pub dir: Option<TempDir>,
}

impl Db {
    /// Another store on the same database, as a second process would open it, ranking at most
    /// `window` matches when given.
    pub async fn open_again(&self, window: Option<usize>) -> Arc<dyn Store> {
        match self.backend {
            Backend::Sqlite => {
                let store = SqliteStore::connect(&self.url).await.expect("connect to SQLite");
                Arc::new(match window {
                    Some(rows) => store.with_search_window(rows),
                    None => store,
                })
            }
            Backend::Postgres => {
                let store = PostgresStore::connect(&self.url, &DatabaseOptions::default())
                    .await
                    .expect("connect to PostgreSQL");
                Arc::new(match window {
                    Some(rows) => store.with_search_window(rows),
                    None => store,
                })
            }
        }
    }

    /// Another store on the same database whose ranked searches filtered to a partner read the
    /// search index however few links the partner has (PostgreSQL reads a small partner's links
    /// instead; SQLite has one way only), so that a test covers both ways.
    pub async fn open_searching_partners_by_index(&self) -> Arc<dyn Store> {
        match self.backend {
            Backend::Sqlite => self.open_again(None).await,
            Backend::Postgres => Arc::new(
                PostgresStore::connect(&self.url, &DatabaseOptions::default())
                    .await
                    .expect("connect to PostgreSQL")
                    .with_partner_walk(0),
            ),
        }
    }

    /// Writes a note behind the store's back, as someone editing the database by hand would.
    pub async fn overwrite_note(&self, id: i64, note: &str) {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await.expect("connect");
                sqlx::query("UPDATE entries SET note = ? WHERE id = ?")
                    .bind(note)
                    .bind(id)
                    .execute(&mut conn)
                    .await
                    .expect("update");
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await.expect("connect");
                sqlx::query("UPDATE entries SET note = $1 WHERE id = $2")
                    .bind(note)
                    .bind(id)
                    .execute(&mut conn)
                    .await
                    .expect("update");
            }
        }
    }
}

impl Db {
    /// Runs `sql` (plain SQL both backends read alike) behind the store's back with the schema's
    /// CHECK constraints out of the way, as a hand edit, or an older version's schema, allows:
    /// how a test makes a row the store cannot decode.
    pub async fn write_behind(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await.expect("connect");
                conn.execute("PRAGMA ignore_check_constraints = ON").await.expect("pragma");
                conn.execute(sql).await.expect("write behind the store");
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await.expect("connect");
                conn.execute(
                    "DO $$ DECLARE c text; BEGIN \
                     FOR c IN SELECT conname FROM pg_constraint \
                       WHERE conrelid = 'entries'::regclass AND contype = 'c' LOOP \
                       EXECUTE format('ALTER TABLE entries DROP CONSTRAINT %I', c); \
                     END LOOP; END $$",
                )
                .await
                .expect("drop the checks");
                conn.execute(sql).await.expect("write behind the store");
            }
        }
    }

    /// Sets the attempts count of every row of `table` (`digest_runs` or `reminders`) behind the
    /// store's back. PostgreSQL's column is an INTEGER: a value it cannot hold fails the test.
    pub async fn overwrite_attempts(&self, table: &str, attempts: i64) {
        // The table is one of ours, never user text; identifiers cannot be bound.
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await.expect("connect");
                sqlx::query(&format!("UPDATE {table} SET attempts = ?"))
                    .bind(attempts)
                    .execute(&mut conn)
                    .await
                    .expect("update");
            }
            Backend::Postgres => {
                let attempts = i32::try_from(attempts).expect("an attempts count PostgreSQL can hold");
                let mut conn = sqlx::PgConnection::connect(&self.url).await.expect("connect");
                sqlx::query(&format!("UPDATE {table} SET attempts = $1"))
                    .bind(attempts)
                    .execute(&mut conn)
                    .await
                    .expect("update");
            }
        }
    }
}

/// Runs `test` on a fresh database of `backend`, then drops that database whatever the outcome.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (db, server) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
            (Db { backend, store: Db::sqlite(&url).await, url, dir: Some(dir) }, None)
        }
        Backend::Postgres => {
            let server = TestDatabase::create().await;
            let store: Arc<dyn Store> = Arc::new(
                PostgresStore::connect(&server.url, &DatabaseOptions::default())
                    .await
                    .expect("connect to PostgreSQL"),
            );
            (Db { backend, url: server.url.clone(), store, dir: None }, Some(server))
        }
    };
    // A task of its own, so that a failing test still reaches the clean-up below.
    let outcome = tokio::spawn(test(db)).await;
    if let Some(server) = server {
        server.drop_database().await;
    }
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the test did not finish: {e}"),
        }
    }
}

impl Db {
    async fn sqlite(url: &str) -> Arc<dyn Store> {
        Arc::new(SqliteStore::connect(url).await.expect("connect to SQLite"))
    }
}

/// The server the PostgreSQL half runs against. On CI it must be there: a missing one fails the
/// suite instead of skipping it.
pub fn server_url() -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "TEST_DATABASE_URL is not set: the PostgreSQL store tests need a server, e.g. \
             TEST_DATABASE_URL=postgres://liaison@127.0.0.1:5433/liaison_test (see README, Development). \
             .ci/run starts one."
        ),
    }
}

/// A database of its own on the test server, named after this process and a counter.
pub struct TestDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let admin_url = server_url();
        let name = format!("liaison_t_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach TEST_DATABASE_URL: {e}"));
        // A leftover of an earlier run that died (same pid, same counter) is replaced. The name
        // is ours, never user text; identifiers cannot be bound.
        admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.expect("drop");
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        TestDatabase { admin_url, name, url }
    }

    pub async fn drop_database(self) {
        let mut admin = sqlx::PgConnection::connect(&self.admin_url).await.expect("reconnect to drop");
        // FORCE: a store the test left open (or a panic left behind) still holds connections.
        admin
            .execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
            .await
            .expect("drop the test database");
        admin.close().await.ok();
    }
}

/// `url` with its database (the path) replaced, keeping credentials, host and parameters.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    format!("{}/{database}{query}", &base[..path_start])
}

/// Declares each test function twice, `sqlite::NAME` and `postgres::NAME`, each on a fresh
/// database of its backend. The PostgreSQL ones are ignored, not passed, where no server is
/// configured (see build.rs).
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    $crate::harness::run($crate::harness::Backend::Sqlite, super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[cfg_attr(
                    not(liaison_postgres_tests),
                    ignore = "needs a PostgreSQL server: set TEST_DATABASE_URL"
                )]
                async fn $name() {
                    $crate::harness::run($crate::harness::Backend::Postgres, super::$name).await;
                }
            )*
        }
    };
}
