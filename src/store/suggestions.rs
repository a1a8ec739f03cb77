//! What liaison suggests to a member as they type: the channel and department of their latest
//! entry, and the guild's tags, most used first.

use async_trait::async_trait;

use super::StoreResult;
use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKey;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::tag::Tag;

/// Where a member's latest entry was filed, as stored (either may have left the config since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastUsed {
    pub channel: ChannelKey,
    pub department: DepartmentKey,
}

/// A tag and how many of the guild's team entries carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagUse {
    pub tag: Tag,
    pub uses: u64,
}

#[async_trait]
pub trait SuggestionStore: Send + Sync {
    /// The channel and department of `author`'s latest entry in `guild` by recorded time (ties:
    /// the later id); `None` before their first.
    async fn last_used(&self, guild: GuildId, author: UserId) -> StoreResult<Option<LastUsed>>;

    /// Up to `limit` of the guild's tags that start with `prefix` (a tag's own text, so compared
    /// as it is), most used first, then by tag. Counted over team entries only: a private entry's
    /// tags are offered to nobody.
    async fn top_tags(&self, guild: GuildId, prefix: &str, limit: usize) -> StoreResult<Vec<TagUse>>;
}
