//! `liaison migrate`: create the database if needed and apply pending migrations. Every other
//! command does this too as it opens the database; this one does only that, for deployments that
//! migrate as a separate step.

use super::CliResult;

pub async fn run(database: &str) -> CliResult {
    let store = super::open_store(database).await?;
    store.close().await;
    println!("database {database} is up to date");
    Ok(())
}
