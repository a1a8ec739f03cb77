//! `liaison migrate`: create the database if needed and apply pending migrations. Every other
//! command does this too as it opens the database; this one does only that, for deployments that
//! migrate as a separate step.

use super::progress::{self, Kind};
use super::CliResult;
use crate::service::terms;
use crate::store::Store;

/// Needs no config file, so the pool takes its default size: migrating needs one connection.
/// A migration that adds an index of what entries hold (their terms) leaves older entries to be
/// indexed: done here too, so the database is ready when the bot starts.
pub async fn run(database: &str) -> CliResult {
    let store = super::open_store(database, &crate::store::DatabaseOptions::default()).await?;
    let indexed = index_terms(store.as_ref()).await;
    store.close().await;
    let indexed = indexed?;
    if indexed > 0 {
        println!("indexed the terms of {}", crate::domain::words::count(indexed, "entry", "entries"));
    }
    println!("database {} is up to date", crate::store::redacted(database));
    Ok(())
}

/// Indexes the terms of the entries that have none yet (`service::terms`), with a running count
/// on a terminal; how many. Also run at the end of `liaison import`.
pub(super) async fn index_terms(store: &dyn Store) -> CliResult<u64> {
    let bar = progress::start(Kind::Count, "indexing terms", progress::stdout_is_terminal());
    let mut tick = |n: u64| bar.set_position(n);
    let indexed = terms::index_stale(store, &mut tick).await;
    bar.finish_and_clear();
    Ok(indexed?)
}
