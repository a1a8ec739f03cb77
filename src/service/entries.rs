//! One entry at a time: show, edit (redacted again) and delete, by its author or an admin.

use chrono::{DateTime, SubsecRound, Utc};

use super::{ServiceError, ServiceResult};
use crate::domain::entry::{Entry, EntryEdit};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::rules::Rules;
use crate::domain::tag::{hashtags, merge_tags, parse_tag_list};
use crate::store::Store;

/// Who is asking, and whether they are an admin of the guild (decided by the front end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub is_admin: bool,
}

/// A new note and tags for an entry, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryChange {
    pub note: String,
    pub tags: Option<String>,
}

pub async fn show(store: &dyn Store, guild: GuildId, id: EntryId) -> ServiceResult<Entry> {
    store.entry(guild, id).await?.ok_or(ServiceError::NotFound(id))
}

/// The entry, if `actor` may `verb` it (`edit`, `delete`): what is checked before a form or a
/// confirmation opens, so nobody is asked for a change they may not make.
pub async fn authorised(
    store: &dyn Store,
    guild: GuildId,
    id: EntryId,
    actor: Actor,
    verb: &str,
) -> ServiceResult<Entry> {
    let entry = show(store, guild, id).await?;
    authorise(&entry, actor, verb)?;
    Ok(entry)
}

/// Replaces an entry's note and tags. The new note goes through redaction like a new one.
pub async fn edit(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    id: EntryId,
    actor: Actor,
    change: &EntryChange,
    now: DateTime<Utc>,
) -> ServiceResult<Entry> {
    authorised(store, guild, id, actor, "edit").await?;
    let clean = Note::clean(&change.note, &rules.redactor).map_err(ServiceError::invalid)?;
    let given = parse_tag_list(change.tags.as_deref().unwrap_or("")).map_err(ServiceError::invalid)?;
    let tags = merge_tags(given, hashtags(clean.note.as_str())).map_err(ServiceError::invalid)?;
    let edit =
        EntryEdit { note: clean.note, tags, redactions: clean.redactions, updated_at: now.trunc_subsecs(3) };
    store.edit_entry(guild, id, &edit).await?.ok_or(ServiceError::NotFound(id))
}

pub async fn delete(store: &dyn Store, guild: GuildId, id: EntryId, actor: Actor) -> ServiceResult<Entry> {
    let current = authorised(store, guild, id, actor, "delete").await?;
    if store.delete_entry(guild, id).await? {
        Ok(current)
    } else {
        Err(ServiceError::NotFound(id))
    }
}

pub fn authorise(entry: &Entry, actor: Actor, verb: &str) -> ServiceResult<()> {
    if actor.is_admin || entry.author.id == actor.id {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "only {} (who wrote entry #{}) or an admin can {verb} it",
            entry.author.name, entry.id
        )))
    }
}
