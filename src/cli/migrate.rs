//! `liaison migrate`: create the database if needed and apply pending migrations. Every other
//! command does this too as it opens the database; this one does only that, for deployments that
//! migrate as a separate step.

use super::CliResult;

/// Needs no config file, so the pool takes its default size: migrating needs one connection.
pub async fn run(database: &str) -> CliResult {
    let store = super::open_store(database, &crate::store::DatabaseOptions::default()).await?;
    store.close().await;
    println!("database {} is up to date", crate::store::redacted(database));
    Ok(())
}
