//! Erasure requests: rewriting an entry's text without the mentions of somebody, and removing a
//! member from their entries or deleting them. The full-text index follows each change in the
//! same statement on both backends (SQLite's update trigger, PostgreSQL's generated column).

use async_trait::async_trait;

use super::StoreResult;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::partner::{PartnerId, PartnerName};
use crate::domain::tag::Tag;

/// An entry's text after an erasure: every field a mention can be in. Its department, channel,
/// dates, follow-up and counts stay as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub note: Note,
    pub tags: Vec<Tag>,
    pub author_name: String,
    pub source: Option<String>,
}

#[async_trait]
pub trait ErasureStore: Send + Sync {
    /// Replaces an entry's note, tags, author name and source; `false` when no such entry in
    /// this guild. Leaves `updated_at` alone: an erasure is not an edit by its author.
    async fn rewrite_entry(&self, guild: GuildId, id: EntryId, rewrite: &Rewrite) -> StoreResult<bool>;

    /// Attributes every entry `author` wrote in this guild to nobody: author id 0 and the name
    /// [`FORMER_MEMBER`](crate::domain::privacy::FORMER_MEMBER). A follow-up they own on those
    /// entries keeps its due date and state but is owned by id 0, which no reminder is sent to.
    /// Returns how many entries changed.
    async fn erase_author(&self, guild: GuildId, author: UserId) -> StoreResult<u64>;

    /// Deletes every entry `author` wrote in this guild; returns how many.
    async fn delete_author_entries(&self, guild: GuildId, author: UserId) -> StoreResult<u64>;

    /// Replaces a partner's name (and its key) and "they want / we offer" note after an erasure;
    /// `false` when no such partner in this guild. The caller has made sure the new name's key is
    /// no other partner's. Leaves `updated_at` alone, as for entries. Entries show a partner's
    /// name through their link, so they follow at once.
    async fn rewrite_partner(
        &self,
        guild: GuildId,
        id: PartnerId,
        name: &PartnerName,
        notes: &str,
    ) -> StoreResult<bool>;
}
