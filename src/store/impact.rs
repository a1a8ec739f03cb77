//! Impact stories: one per entry, deleted with it; the objectives a guild reports them against;
//! and whether the guild keeps them (and their entries' notes) past the retention period.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{ids, StoreResult, Stored};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::impact::{Evidence, ImpactLine, ImpactStory, ObjectiveName, Outcome};

/// Which of a story's times a period is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpactDate {
    /// When it was marked: the digest's week (an outcome is often known weeks after the talk).
    Marked,
    /// When its entry happened: a report's year.
    Occurred,
}

#[async_trait]
pub trait ImpactStore: Send + Sync {
    /// Marks an entry of this guild as an impact story, replacing the story it had; `false` (and
    /// nothing written) when there is no such entry in the guild.
    async fn mark_impact(&self, story: &ImpactStory) -> StoreResult<bool>;

    /// `false` when the entry had no story.
    async fn remove_impact(&self, guild: GuildId, entry: EntryId) -> StoreResult<bool>;

    async fn impact_story(&self, guild: GuildId, entry: EntryId) -> StoreResult<Option<ImpactStory>>;

    /// The guild's stories whose `by` time is in `[start, end)`, oldest first (then by entry),
    /// each with its entry's departments, partners and date. A story whose entry cannot be read
    /// is left out (the entry is logged where it is read).
    async fn impact_stories_in(
        &self,
        guild: GuildId,
        by: ImpactDate,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<ImpactLine>>;

    /// Replaces a story's outcome (an erasure); `false` when the entry has no story.
    async fn rewrite_impact_outcome(
        &self,
        guild: GuildId,
        entry: EntryId,
        outcome: &Outcome,
    ) -> StoreResult<bool>;

    /// The guild's objectives, in the order they were added.
    async fn objectives(&self, guild: GuildId) -> StoreResult<Vec<ObjectiveName>>;

    /// `false` when the guild has one with the same key already.
    async fn add_objective(
        &self,
        guild: GuildId,
        name: &ObjectiveName,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Removes the objective with this name's key; stories marked with it keep its name. `false`
    /// when there is none.
    async fn remove_objective(&self, guild: GuildId, name: &ObjectiveName) -> StoreResult<bool>;

    /// Whether the guild keeps impact stories, and their entries' notes, past the retention
    /// period: `true` until an admin says otherwise.
    async fn keeps_impact_past_retention(&self, guild: GuildId) -> StoreResult<bool>;

    async fn set_keeps_impact_past_retention(
        &self,
        guild: GuildId,
        keep: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// A story's columns in backend-neutral types, made an [`ImpactStory`] here once for both.
#[derive(Debug)]
pub(crate) struct ImpactRecord {
    pub entry_id: i64,
    pub guild_id: i64,
    pub outcome: String,
    pub evidence: Option<String>,
    pub objective: String,
    pub marked_by: i64,
    pub marked_at: DateTime<Utc>,
}

impl ImpactRecord {
    pub fn into_story(self) -> ImpactStory {
        ImpactStory {
            guild: GuildId(ids::from_sql(self.guild_id)),
            entry: EntryId(self.entry_id),
            outcome: Outcome::from_stored(self.outcome),
            evidence: self.evidence.map(Evidence::from_stored),
            objective: ObjectiveName::from_stored(self.objective),
            marked_by: UserId(ids::from_sql(self.marked_by)),
            marked_at: self.marked_at,
        }
    }
}

/// Joins stories with their entries (as `entries_with_ids` read them), keeping the stories'
/// order; a story whose entry is unreadable or gone is left out.
pub(crate) fn lines(stories: Vec<ImpactStory>, entries: Vec<Stored>) -> Vec<ImpactLine> {
    let mut by_id: std::collections::HashMap<EntryId, crate::domain::entry::Entry> = entries
        .into_iter()
        .filter_map(|s| match s {
            Stored::Entry(e) => Some((e.id, e)),
            Stored::Unreadable(_) => None,
        })
        .collect();
    stories
        .into_iter()
        .filter_map(|story| {
            let entry = by_id.remove(&story.entry).filter(|e| e.guild == story.guild)?;
            let mut departments = vec![entry.department];
            departments.extend(entry.also_departments);
            Some(ImpactLine {
                story,
                departments,
                partners: entry.partners,
                occurred_at: entry.occurred_at,
                author: entry.author.id,
                share: entry.share,
            })
        })
        .collect()
}
