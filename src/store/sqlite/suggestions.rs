//! A member's latest channel and department, and the guild's most used tags.

use async_trait::async_trait;

use super::SqliteStore;
use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::tag::Tag;
use crate::store::{ids, LastUsed, StoreResult, SuggestionStore, TagUse};

/// One walk down `entries_guild_author_created`, newest first, stopped at the first row.
pub(super) const LAST_USED_SQL: &str = "SELECT channel, department FROM entries \
     WHERE guild_id = ? AND author_id = ? ORDER BY created_at DESC, id DESC LIMIT 1";

/// `substr` rather than LIKE: the prefix is compared as text, with no pattern characters to
/// escape. A guild's distinct tags, under one key prefix, are few enough to sort by use.
pub(super) const TOP_TAGS_SQL: &str = "SELECT tag, uses FROM tag_uses \
     WHERE guild_id = ?1 AND uses > 0 AND substr(tag, 1, length(?2)) = ?2 \
     ORDER BY uses DESC, tag LIMIT ?3";

#[async_trait]
impl SuggestionStore for SqliteStore {
    async fn last_used(&self, guild: GuildId, author: UserId) -> StoreResult<Option<LastUsed>> {
        let found: Option<(String, String)> = sqlx::query_as(LAST_USED_SQL)
            .bind(ids::guild(guild))
            .bind(ids::user(author))
            .fetch_optional(&self.reader)
            .await?;
        Ok(found.map(|(channel, department)| LastUsed {
            channel: ChannelKey::from_stored(channel),
            department: DepartmentKey::from_stored(department),
        }))
    }

    async fn top_tags(&self, guild: GuildId, prefix: &str, limit: usize) -> StoreResult<Vec<TagUse>> {
        let found: Vec<(String, i64)> = sqlx::query_as(TOP_TAGS_SQL)
            .bind(ids::guild(guild))
            .bind(prefix)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.reader)
            .await?;
        Ok(found
            .into_iter()
            .map(|(tag, uses)| TagUse { tag: Tag::from_stored(tag), uses: u64::try_from(uses).unwrap_or(0) })
            .collect())
    }
}
