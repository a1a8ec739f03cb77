//! One entry at a time: show, edit (redacted again) and delete, by its author or an admin.

use chrono::{DateTime, SubsecRound, Utc};

use super::{ServiceError, ServiceResult};
use crate::domain::entry::{Author, Entry, EntryEdit, EntryLinks};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::partner::MAX_ENTRY_PARTNERS;
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::domain::tag::{hashtags, merge_tags, parse_tag_list};
use crate::store::{Store, StoreError};

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
    /// Other departments and partners, resolved by the front end: replaced when `Some` (the
    /// entry's own department and repeats dropped), left as they are when `None`.
    pub links: Option<EntryLinks>,
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
    let entry = authorised(store, guild, id, actor, "edit").await?;
    let clean = Note::clean(&change.note, &rules.redactor).map_err(ServiceError::invalid)?;
    let given = parse_tag_list(change.tags.as_deref().unwrap_or("")).map_err(ServiceError::invalid)?;
    let tags = merge_tags(given, hashtags(clean.note.as_str())).map_err(ServiceError::invalid)?;
    let links = change.links.as_ref().map(|links| without_repeats(links, &entry));
    if links.as_ref().is_some_and(|l| l.partners.len() > MAX_ENTRY_PARTNERS) {
        return Err(ServiceError::invalid(format!("an entry names at most {MAX_ENTRY_PARTNERS} partners")));
    }
    let edit = EntryEdit {
        note: clean.note,
        tags,
        redactions: clean.redactions,
        updated_at: now.trunc_subsecs(3),
        links,
    };
    store.edit_entry(guild, id, &edit).await?.ok_or(ServiceError::NotFound(id))
}

/// Links as an edit stores them: the entry's own department and repeats dropped, order kept.
fn without_repeats(links: &EntryLinks, entry: &Entry) -> EntryLinks {
    let mut kept = EntryLinks::default();
    for key in &links.also_departments {
        if *key != entry.department && !kept.also_departments.contains(key) {
            kept.also_departments.push(key.clone());
        }
    }
    for partner in &links.partners {
        if !kept.partners.contains(partner) {
            kept.partners.push(*partner);
        }
    }
    kept
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
