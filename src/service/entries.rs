//! One entry at a time: show and delete, by its author or an admin (editing is `super::edit`).

use super::{ServiceError, ServiceResult};
use crate::domain::entry::{Author, Entry};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::privacy::Share;
use crate::store::{Store, StoreError};

/// Who is asking, and whether they are an admin of the guild (decided by the front end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub is_admin: bool,
}

/// The entry; `Unreadable` when its row cannot be decoded (the store has logged why).
pub async fn show(store: &dyn Store, guild: GuildId, id: EntryId) -> ServiceResult<Entry> {
    match store.entry(guild, id).await {
        Ok(entry) => entry.ok_or(ServiceError::NotFound(id)),
        Err(StoreError::Corrupt { .. }) => Err(ServiceError::Unreadable(id)),
        Err(e) => Err(e.into()),
    }
}

/// The entry, as `actor` may see it: another member's private entry is, to anyone but an admin,
/// an entry that does not exist (saying it exists would say somebody keeps a private note there).
pub async fn show_to(store: &dyn Store, guild: GuildId, id: EntryId, actor: Actor) -> ServiceResult<Entry> {
    let entry = show(store, guild, id).await?;
    if visible_to(&entry, actor) {
        Ok(entry)
    } else {
        Err(ServiceError::NotFound(id))
    }
}

/// Whether `actor` may read `entry`'s text: a team entry anyone may, a private one its author and
/// admins.
pub fn visible_to(entry: &Entry, actor: Actor) -> bool {
    entry.share == Share::Team || actor.is_admin || entry.author.id == actor.id
}

/// The entry, if `actor` may `verb` it (`edit`, `delete`): what is checked before a form or a
/// confirmation opens, so nobody is asked for a change they may not make.
pub async fn authorised(
    store: &dyn Store,
    guild: GuildId,
    id: EntryId,
    actor: Actor,
    verb: &'static str,
) -> ServiceResult<Entry> {
    let entry = show_to(store, guild, id, actor).await?;
    authorise(&entry, actor, verb)?;
    if verb == "edit" && entry.expired_at.is_some() {
        // New text on an expired entry would be indexed yet never shown (it reads as the
        // placeholder): there is nothing left to edit.
        return Err(ServiceError::invalid(format!(
            "Entry #{id}'s text was removed under the retention policy, so it cannot be edited; \
             its department, tags, dates and follow-up are kept."
        )));
    }
    Ok(entry)
}

/// What a delete confirmation shows: the entry, once `actor` may delete it; `None` when it exists
/// but cannot be read, which does not stop it being deleted (its author columns still say whose
/// it is). Another member's private entry is, to anyone but an admin, one that does not exist,
/// when deleting too: a refusal naming its author would say a private note is kept there.
pub async fn deletable(
    store: &dyn Store,
    guild: GuildId,
    id: EntryId,
    actor: Actor,
) -> ServiceResult<Option<Entry>> {
    match store.entry(guild, id).await {
        Ok(Some(entry)) if !visible_to(&entry, actor) => Err(ServiceError::NotFound(id)),
        Ok(Some(entry)) => {
            authorise(&entry, actor, "delete")?;
            Ok(Some(entry))
        }
        Ok(None) => Err(ServiceError::NotFound(id)),
        Err(StoreError::Corrupt { .. }) => {
            let author = store.entry_author(guild, id).await?.ok_or(ServiceError::NotFound(id))?;
            authorise_author(&author, id, actor, "delete")?;
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes an entry, by its author or an admin; one that cannot be read too.
pub async fn delete(store: &dyn Store, guild: GuildId, id: EntryId, actor: Actor) -> ServiceResult<()> {
    deletable(store, guild, id, actor).await?;
    if store.delete_entry(guild, id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound(id))
    }
}

pub fn authorise(entry: &Entry, actor: Actor, verb: &'static str) -> ServiceResult<()> {
    authorise_author(&entry.author, entry.id, actor, verb)
}

fn authorise_author(author: &Author, id: EntryId, actor: Actor, verb: &'static str) -> ServiceResult<()> {
    if actor.is_admin || author.id == actor.id {
        Ok(())
    } else {
        Err(ServiceError::NotAuthor { entry: id, author: author.name.clone(), verb })
    }
}
