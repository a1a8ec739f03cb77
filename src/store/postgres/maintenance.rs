//! Housekeeping of this database's tables, and closing the pool.

use async_trait::async_trait;

use super::PostgresStore;
use crate::store::{MaintenanceStore, StoreResult};

#[async_trait]
impl MaintenanceStore for PostgresStore {
    async fn optimize(&self) -> StoreResult<()> {
        // Planner statistics after a bulk load (autovacuum would get there, later); VACUUM also
        // merges the GIN index's pending list into the index proper, which a bulk insert fills.
        // Only this database's own tables: a shared server may hold others.
        for table in
            ["entries", "capture_keys", "saved_searches", "digest_runs", "digest_settings", "reminders"]
        {
            sqlx::query(&format!("VACUUM (ANALYZE) {table}")).execute(&self.pool).await?;
        }
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
