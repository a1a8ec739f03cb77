//! What only a database server has: it may be down when the bot starts, or go away while it runs.
//! SQLite is a file in the process; neither can happen to it.

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use liaison::store::postgres::PostgresStore;
use liaison::store::{DatabaseOptions, StoreError};
use sqlx::postgres::PgConnectOptions;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::harness::{server_url, with_database, TestDatabase};
use crate::{new, A};

/// A port on 127.0.0.1 where nothing listens (bound, then let go).
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_server_that_is_not_up_is_retried_then_reported_unavailable() {
    let url = format!("postgres://liaison@127.0.0.1:{}/liaison", closed_port().await);
    let options = DatabaseOptions { startup_wait: Duration::from_secs(3), ..DatabaseOptions::default() };
    let started = Instant::now();
    let result = PostgresStore::connect(&url, &options).await;
    let waited = started.elapsed();
    assert!(matches!(result, Err(StoreError::Unavailable(_))), "{:?}", result.err());
    // Waits of 1 s and 2 s between three attempts, then it gives up.
    assert!(waited >= Duration::from_millis(2900), "gave up after {waited:?}");
    assert!(waited < Duration::from_secs(10), "kept trying for {waited:?}");
}

#[tokio::test]
#[cfg_attr(not(liaison_postgres_tests), ignore = "needs a PostgreSQL server: set TEST_DATABASE_URL")]
async fn a_missing_database_fails_at_once_without_retrying() {
    let url = with_database(&server_url(), "liaison_no_such_database");
    let started = Instant::now();
    let result = PostgresStore::connect(&url, &DatabaseOptions::default()).await;
    assert!(matches!(result, Err(StoreError::Database(_))), "{:?}", result.err());
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}

#[tokio::test]
#[cfg_attr(not(liaison_postgres_tests), ignore = "needs a PostgreSQL server: set TEST_DATABASE_URL")]
async fn a_server_that_goes_away_fails_requests_fast_as_unavailable() {
    let db = TestDatabase::create().await;
    let proxy = Proxy::start(server_address(&db.url).await).await;
    let store = PostgresStore::connect(&with_address(&db.url, proxy.port), &DatabaseOptions::default())
        .await
        .expect("connect through the proxy");
    let store: &dyn liaison::store::Store = &store;
    store.insert_entry(&new(A, "before the outage")).await.expect("insert while up");
    proxy.stop();
    let started = Instant::now();
    let result = store.insert_entry(&new(A, "during the outage")).await;
    let took = started.elapsed();
    assert!(matches!(result, Err(StoreError::Unavailable(_))), "{:?}", result.err());
    // Inside Discord's 3 seconds, so the person is told instead of left waiting.
    assert!(took < Duration::from_millis(2800), "failed after {took:?}");
    store.close().await;
    db.drop_database().await;
}

async fn server_address(url: &str) -> SocketAddr {
    let options = PgConnectOptions::from_str(url).expect("TEST_DATABASE_URL parses");
    let mut found = tokio::net::lookup_host((options.get_host(), options.get_port())).await.expect("resolve");
    found.next().expect("the test server has an address")
}

/// `url` pointed at 127.0.0.1:`port`, keeping credentials, database and parameters.
fn with_address(url: &str, port: u16) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let credentials = authority.rsplit_once('@').map_or(String::new(), |(c, _)| format!("{c}@"));
    format!("{scheme}://{credentials}127.0.0.1:{port}{tail}")
}

/// A TCP relay to the test server that can be cut: the database "goes away" for the store while
/// the server carries on for everyone else.
struct Proxy {
    port: u16,
    accepting: JoinHandle<()>,
    relays: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let relays: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let spawned = relays.clone();
        let accepting = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let relay = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                spawned.lock().unwrap().push(relay);
            }
        });
        Proxy { port, accepting, relays }
    }

    /// Closes the listening port and every relayed connection.
    fn stop(&self) {
        self.accepting.abort();
        for relay in self.relays.lock().unwrap().drain(..) {
            relay.abort();
        }
    }
}
