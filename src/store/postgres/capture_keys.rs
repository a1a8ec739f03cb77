//! One-time keys of capture forms, remembered in the entry's own transaction.

use async_trait::async_trait;

use super::entries::insert_new;
use super::rows::millis;
use super::PostgresStore;
use crate::domain::entry::NewEntry;
use crate::domain::ids::EntryId;
use crate::store::{ids, CaptureKey, CaptureKeyStore, Inserted, StoreResult, KEEP_CAPTURE_KEYS};

const SAVED_AS: &str = "SELECT entry_id FROM capture_keys WHERE guild_id = $1 AND key = $2";

#[async_trait]
impl CaptureKeyStore for PostgresStore {
    async fn insert_entry_once(&self, entry: &NewEntry, key: CaptureKey) -> StoreResult<Inserted> {
        let guild = ids::guild(entry.guild);
        let key = key.to_string();
        let mut tx = self.pool.begin().await?;
        let saved: Option<i64> =
            sqlx::query_scalar(SAVED_AS).bind(guild).bind(&key).fetch_optional(&mut *tx).await?;
        if let Some(id) = saved {
            return Ok(Inserted::Already(EntryId(id)));
        }
        sqlx::query("DELETE FROM capture_keys WHERE created_at < $1")
            .bind(millis(entry.created_at - KEEP_CAPTURE_KEYS))
            .execute(&mut *tx)
            .await?;
        let stored = insert_new(&mut tx, entry).await?;
        // Two submits at once both pass the check above; the second's insert waits on the first's
        // key until that commits, then does nothing: its entry is rolled back and the first's named.
        let recorded: Option<String> = sqlx::query_scalar(
            "INSERT INTO capture_keys (guild_id, key, entry_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING RETURNING key",
        )
        .bind(guild)
        .bind(&key)
        .bind(stored.id.0)
        .bind(millis(entry.created_at))
        .fetch_optional(&mut *tx)
        .await?;
        if recorded.is_none() {
            tx.rollback().await?;
            let id: i64 = sqlx::query_scalar(SAVED_AS).bind(guild).bind(&key).fetch_one(&self.pool).await?;
            return Ok(Inserted::Already(EntryId(id)));
        }
        tx.commit().await?;
        Ok(Inserted::New(Box::new(stored)))
    }
}
