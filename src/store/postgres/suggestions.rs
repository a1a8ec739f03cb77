//! A member's latest channel and department, and the guild's most used tags.

use async_trait::async_trait;

use super::PostgresStore;
use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::tag::Tag;
use crate::store::{ids, LastUsed, StoreResult, SuggestionStore, TagUse};

#[async_trait]
impl SuggestionStore for PostgresStore {
    async fn last_used(&self, guild: GuildId, author: UserId) -> StoreResult<Option<LastUsed>> {
        let found: Option<(String, String)> = sqlx::query_as(
            "SELECT channel, department FROM entries WHERE guild_id = $1 AND author_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(ids::guild(guild))
        .bind(ids::user(author))
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.map(|(channel, department)| LastUsed {
            channel: ChannelKey::from_stored(channel),
            department: DepartmentKey::from_stored(department),
        }))
    }

    async fn top_tags(&self, guild: GuildId, prefix: &str, limit: usize) -> StoreResult<Vec<TagUse>> {
        // `starts_with` rather than LIKE: the prefix is compared as text, with no pattern
        // characters to escape; and ties are ordered byte-wise, as SQLite orders them.
        let found: Vec<(String, i64)> = sqlx::query_as(
            "SELECT tag, uses FROM tag_uses WHERE guild_id = $1 AND uses > 0 \
             AND starts_with(tag, $2) ORDER BY uses DESC, tag COLLATE \"C\" LIMIT $3",
        )
        .bind(ids::guild(guild))
        .bind(prefix)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(found
            .into_iter()
            .map(|(tag, uses)| TagUse { tag: Tag::from_stored(tag), uses: u64::try_from(uses).unwrap_or(0) })
            .collect())
    }
}
