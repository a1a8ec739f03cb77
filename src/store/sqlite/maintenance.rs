//! Housekeeping of the database file: statistics, full-text segments, the WAL, and closing.

use async_trait::async_trait;

use super::SqliteStore;
use crate::store::{MaintenanceStore, StoreResult};

#[async_trait]
impl MaintenanceStore for SqliteStore {
    async fn optimize(&self) -> StoreResult<()> {
        let mut conn = self.writer.acquire().await?;
        // Statistics for the planner (sampled: see ANALYSIS_LIMIT), then one merged full-text
        // segment: after a bulk load, single inserts otherwise pay for merging many small ones.
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        sqlx::query("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')").execute(&mut *conn).await?;
        // The merge went through the WAL (hundreds of MB at a million entries): copy it back and
        // give the space back now rather than keep a WAL that size for good.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
        Ok(())
    }

    async fn close(&self) {
        self.checkpointer.abort();
        self.reader.close().await;
        // Last: closing the last connection checkpoints the WAL into the database file.
        self.writer.close().await;
    }
}
