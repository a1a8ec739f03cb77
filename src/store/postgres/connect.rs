//! Opening the pool: a server that is not up yet (the bot and its database started together, say)
//! is waited for, and a server that goes away later fails requests fast instead of hanging them.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::store::errors::is_unavailable;
use crate::store::{redacted, DatabaseOptions, StoreError, StoreResult};

/// How long a request waits for a connection before failing as unavailable: well inside Discord's
/// 3 seconds, so that the person sees "unavailable" instead of an interaction that never answers.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);
/// The first wait between start-up attempts; it doubles each time.
const FIRST_RETRY: Duration = Duration::from_secs(1);

pub(super) async fn pool(url: &str, options: &DatabaseOptions) -> StoreResult<PgPool> {
    let connect = PgConnectOptions::from_str(url)?.application_name("liaison");
    let pool =
        PgPoolOptions::new().max_connections(options.max_connections.max(1)).acquire_timeout(ACQUIRE_TIMEOUT);
    let started = tokio::time::Instant::now();
    let mut wait = FIRST_RETRY;
    let mut attempt = 1u32;
    loop {
        let e = match pool.clone().connect_with(connect.clone()).await {
            Ok(pool) => return Ok(pool),
            Err(e) => e,
        };
        let left = options.startup_wait.saturating_sub(started.elapsed());
        if !is_unavailable(&e) || left.is_zero() {
            return Err(StoreError::from(e));
        }
        let pause = wait.min(left);
        tracing::warn!(
            database = %redacted(url),
            attempt,
            error = %e,
            retry_in_secs = pause.as_secs_f32(),
            "the database is not answering; trying again"
        );
        tokio::time::sleep(pause).await;
        wait *= 2;
        attempt += 1;
    }
}
