//! Impact stories, objectives and the guild's retention choice for them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::{bound, millis};
use super::PostgresStore;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::impact::{ImpactStory, ObjectiveName, Outcome};
use crate::store::impact::{lines, ImpactRecord};
use crate::store::{ids, EntryStore, ImpactDate, ImpactLine, ImpactStore, StoreResult};

const COLUMNS: &str = "s.entry_id, s.guild_id, s.outcome, s.evidence, s.objective, s.marked_by, s.marked_at";

#[derive(Debug, sqlx::FromRow)]
struct StoryRow {
    entry_id: i64,
    guild_id: i64,
    outcome: String,
    evidence: Option<String>,
    objective: String,
    marked_by: i64,
    marked_at: DateTime<Utc>,
}

impl StoryRow {
    fn into_story(self) -> StoreResult<ImpactStory> {
        Ok(ImpactRecord {
            marked_at: self.marked_at,
            entry_id: self.entry_id,
            guild_id: self.guild_id,
            outcome: self.outcome,
            evidence: self.evidence,
            objective: self.objective,
            marked_by: self.marked_by,
        }
        .into_story())
    }
}

#[async_trait]
impl ImpactStore for PostgresStore {
    async fn mark_impact(&self, story: &ImpactStory) -> StoreResult<bool> {
        // INSERT ... SELECT from the entry: nothing is written for an entry of another guild.
        let done = sqlx::query(
            "INSERT INTO impact_stories (entry_id, guild_id, outcome, evidence, objective, marked_by, marked_at) \
             SELECT id, guild_id, $1, $2, $3, $4, $5 FROM entries WHERE id = $6 AND guild_id = $7 \
             ON CONFLICT (entry_id) DO UPDATE SET outcome = excluded.outcome, evidence = excluded.evidence, \
             objective = excluded.objective, marked_by = excluded.marked_by, marked_at = excluded.marked_at",
        )
        .bind(story.outcome.as_str())
        .bind(story.evidence.as_ref().map(|e| e.as_str()))
        .bind(story.objective.as_str())
        .bind(ids::user(story.marked_by))
        .bind(millis(story.marked_at))
        .bind(story.entry.0)
        .bind(ids::guild(story.guild))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn remove_impact(&self, guild: GuildId, entry: EntryId) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM impact_stories WHERE entry_id = $1 AND guild_id = $2")
            .bind(entry.0)
            .bind(ids::guild(guild))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn impact_story(&self, guild: GuildId, entry: EntryId) -> StoreResult<Option<ImpactStory>> {
        let row: Option<StoryRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM impact_stories s WHERE s.entry_id = $1 AND s.guild_id = $2"
        ))
        .bind(entry.0)
        .bind(ids::guild(guild))
        .fetch_optional(&self.pool)
        .await?;
        row.map(StoryRow::into_story).transpose()
    }

    async fn impact_stories_in(
        &self,
        guild: GuildId,
        by: ImpactDate,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<ImpactLine>> {
        // The column is one of two fixed names, never user text.
        let (time, order) = match by {
            ImpactDate::Marked => ("s.marked_at", "s.marked_at, s.entry_id"),
            ImpactDate::Occurred => ("e.occurred_at", "e.occurred_at, s.entry_id"),
        };
        let rows: Vec<StoryRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM impact_stories s JOIN entries e ON e.id = s.entry_id \
             WHERE s.guild_id = $1 AND e.guild_id = $1 AND {time} >= $2 AND {time} < $3 ORDER BY {order}"
        ))
        .bind(ids::guild(guild))
        .bind(bound(start))
        .bind(bound(end))
        .fetch_all(&self.pool)
        .await?;
        let stories = rows.into_iter().map(StoryRow::into_story).collect::<StoreResult<Vec<_>>>()?;
        let ids: Vec<EntryId> = stories.iter().map(|s| s.entry).collect();
        let entries = self.entries_with_ids(&ids).await?;
        Ok(lines(stories, entries))
    }

    async fn rewrite_impact_outcome(
        &self,
        guild: GuildId,
        entry: EntryId,
        outcome: &Outcome,
    ) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE impact_stories SET outcome = $1 WHERE entry_id = $2 AND guild_id = $3")
                .bind(outcome.as_str())
                .bind(entry.0)
                .bind(ids::guild(guild))
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn objectives(&self, guild: GuildId) -> StoreResult<Vec<ObjectiveName>> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM impact_objectives WHERE guild_id = $1 ORDER BY added_at, name_key",
        )
        .bind(ids::guild(guild))
        .fetch_all(&self.pool)
        .await?;
        Ok(names.into_iter().map(ObjectiveName::from_stored).collect())
    }

    async fn add_objective(
        &self,
        guild: GuildId,
        name: &ObjectiveName,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO impact_objectives (guild_id, name_key, name, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (guild_id, name_key) DO NOTHING",
        )
        .bind(ids::guild(guild))
        .bind(name.key())
        .bind(name.as_str())
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn remove_objective(&self, guild: GuildId, name: &ObjectiveName) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM impact_objectives WHERE guild_id = $1 AND name_key = $2")
            .bind(ids::guild(guild))
            .bind(name.key())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn keeps_impact_past_retention(&self, guild: GuildId) -> StoreResult<bool> {
        let keep: Option<bool> =
            sqlx::query_scalar("SELECT keep_past_retention FROM impact_settings WHERE guild_id = $1")
                .bind(ids::guild(guild))
                .fetch_optional(&self.pool)
                .await?;
        Ok(keep.unwrap_or(true))
    }

    async fn set_keeps_impact_past_retention(
        &self,
        guild: GuildId,
        keep: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO impact_settings (guild_id, keep_past_retention, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (guild_id) DO UPDATE SET keep_past_retention = excluded.keep_past_retention, \
             updated_at = excluded.updated_at",
        )
        .bind(ids::guild(guild))
        .bind(keep)
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
