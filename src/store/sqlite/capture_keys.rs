//! One-time keys of capture forms, remembered in the entry's own transaction.

use async_trait::async_trait;

use super::entries::insert_new;
use super::rows::millis;
use super::SqliteStore;
use crate::domain::entry::NewEntry;
use crate::domain::ids::EntryId;
use crate::store::{ids, CaptureKey, CaptureKeyStore, Inserted, StoreResult, KEEP_CAPTURE_KEYS};

#[async_trait]
impl CaptureKeyStore for SqliteStore {
    async fn insert_entry_once(&self, entry: &NewEntry, key: CaptureKey) -> StoreResult<Inserted> {
        // IMMEDIATE takes the write lock up front, so a second submit of the same key (another
        // process on the file, say) waits here and then finds the first one's key.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let guild = ids::guild(entry.guild);
        let key = key.to_string();
        let saved: Option<i64> =
            sqlx::query_scalar("SELECT entry_id FROM capture_keys WHERE guild_id = ? AND key = ?")
                .bind(guild)
                .bind(&key)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(id) = saved {
            return Ok(Inserted::Already(EntryId(id)));
        }
        sqlx::query("DELETE FROM capture_keys WHERE created_at < ?")
            .bind(millis(entry.created_at - KEEP_CAPTURE_KEYS))
            .execute(&mut *tx)
            .await?;
        let stored = insert_new(&mut tx, entry).await?;
        sqlx::query("INSERT INTO capture_keys (guild_id, key, entry_id, created_at) VALUES (?, ?, ?, ?)")
            .bind(guild)
            .bind(&key)
            .bind(stored.id.0)
            .bind(millis(entry.created_at))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Inserted::New(Box::new(stored)))
    }
}
