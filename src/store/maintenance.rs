//! Looking after the database itself rather than what it holds.

use async_trait::async_trait;

use super::StoreResult;

#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Housekeeping after bulk loads: refresh planner statistics and merge full-text segments.
    async fn optimize(&self) -> StoreResult<()>;

    async fn close(&self);
}
