//! Erasure requests. The generated `search` column (and the bucket keys indexed from it) follows
//! the note and tags in the same statement, so search stops finding what was erased at once.

use async_trait::async_trait;

use super::rows::join_tags;
use super::terms;
use super::PostgresStore;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::{PartnerId, PartnerName};
use crate::domain::privacy::FORMER_MEMBER;
use crate::domain::terms::TERMS_VERSION;
use crate::store::{ids, ErasureStore, Rewrite, StoreResult};

#[async_trait]
impl ErasureStore for PostgresStore {
    async fn rewrite_entry(&self, guild: GuildId, id: EntryId, rewrite: &Rewrite) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let Some((share, expired)) = terms::indexable(&mut tx, guild, id).await? else {
            return Ok(false);
        };
        // The terms trigger replaces the entry's terms with the rewritten text's: what was erased
        // matches nothing any more.
        let done = sqlx::query(
            "UPDATE entries SET note = $1, tags = $2, author_name = $3, source = $4, terms = $7, \
             terms_version = $8 WHERE id = $5 AND guild_id = $6",
        )
        .bind(rewrite.note.as_str())
        .bind(join_tags(&rewrite.tags))
        .bind(&rewrite.author_name)
        .bind(rewrite.source.as_deref())
        .bind(id.0)
        .bind(ids::guild(guild))
        .bind(terms::stored_terms(rewrite.note.as_str(), &rewrite.tags, share, expired))
        .bind(TERMS_VERSION)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    async fn erase_author(&self, guild: GuildId, author: UserId) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE entries SET author_id = 0, author_name = $1, \
             follow_up_owner = CASE WHEN follow_up_owner = author_id THEN 0 ELSE follow_up_owner END \
             WHERE guild_id = $2 AND author_id = $3",
        )
        .bind(FORMER_MEMBER)
        .bind(ids::guild(guild))
        .bind(ids::user(author))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn delete_author_entries(&self, guild: GuildId, author: UserId) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM entries WHERE guild_id = $1 AND author_id = $2")
            .bind(ids::guild(guild))
            .bind(ids::user(author))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn rewrite_partner(
        &self,
        guild: GuildId,
        id: PartnerId,
        name: &PartnerName,
        notes: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE partners SET name = $1, name_key = $2, notes = $3 WHERE id = $4 AND guild_id = $5",
        )
        .bind(name.as_str())
        .bind(name.key())
        .bind(notes)
        .bind(id.0)
        .bind(ids::guild(guild))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
