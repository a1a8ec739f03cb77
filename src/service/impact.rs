//! Impact stories: an entry marked with what changed because of it, the objective it serves and
//! an optional evidence link. Its author, an owner or co-owner of a partner it names, or an admin
//! may mark it; the objectives are the guild's short list, which admins keep (the front end
//! checks who is an admin, as for every setting).

use chrono::{DateTime, NaiveDate, NaiveTime, SubsecRound, Utc};

use super::entries::{show_to, Actor};
use super::{ServiceError, ServiceResult};
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::impact::{
    Evidence, ImpactStory, ObjectiveMismatch, ObjectiveName, Objectives, Outcome, MAX_OBJECTIVES,
};
use crate::domain::rules::Rules;
use crate::store::{ImpactDate, Store};

/// What a member typed to mark an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImpactInput {
    pub outcome: String,
    /// Blank for none.
    pub evidence: Option<String>,
    pub objective: String,
}

/// Who may mark an entry, said to whoever may not.
pub const WHO_MAY_MARK: &str =
    "only the entry's author, an owner of a partner it names, or an admin can mark it as an impact story";

/// The entry, if `actor` may mark it as an impact story: what is checked before the form opens,
/// so nobody fills one in for nothing. Another member's private entry does not exist for them.
pub async fn markable(store: &dyn Store, guild: GuildId, id: EntryId, actor: Actor) -> ServiceResult<Entry> {
    let entry = show_to(store, guild, id, actor).await?;
    if may_mark(store, &entry, actor).await? {
        Ok(entry)
    } else {
        Err(ServiceError::Forbidden(format!("Entry #{id}: {WHO_MAY_MARK}.")))
    }
}

async fn may_mark(store: &dyn Store, entry: &Entry, actor: Actor) -> ServiceResult<bool> {
    if actor.is_admin || entry.author.id == actor.id {
        return Ok(true);
    }
    for link in &entry.partners {
        if let Some(partner) = store.partner(entry.guild, link.id).await? {
            if partner.profile.is_owner(actor.id) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Marks the entry as an impact story, replacing the one it had: the outcome redacted as notes
/// are, the evidence checked as partner links are, the objective matched to the guild's list.
pub async fn mark(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    id: EntryId,
    actor: Actor,
    input: &ImpactInput,
    now: DateTime<Utc>,
) -> ServiceResult<ImpactStory> {
    markable(store, guild, id, actor).await?;
    let (outcome, _) = Outcome::clean(&input.outcome, &rules.redactor).map_err(ServiceError::invalid)?;
    let evidence = match input.evidence.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(link) => {
            Some(Evidence::parse(link).map_err(|e| ServiceError::invalid(format!("evidence: {e}")))?)
        }
    };
    let objectives = objectives(store, guild).await?;
    let objective = objectives.matching(&input.objective).map_err(ServiceError::invalid)?.clone();
    let story = ImpactStory {
        guild,
        entry: id,
        outcome,
        evidence,
        objective,
        marked_by: actor.id,
        marked_at: now.trunc_subsecs(3),
    };
    if store.mark_impact(&story).await? {
        Ok(story)
    } else {
        // Deleted between the check and the write.
        Err(ServiceError::NotFound(id))
    }
}

/// Takes the story off the entry; `false` when it had none. Who may mark it may remove it.
pub async fn remove(store: &dyn Store, guild: GuildId, id: EntryId, actor: Actor) -> ServiceResult<bool> {
    markable(store, guild, id, actor).await?;
    Ok(store.remove_impact(guild, id).await?)
}

/// The entry's story, if it has one.
pub async fn story(store: &dyn Store, guild: GuildId, id: EntryId) -> ServiceResult<Option<ImpactStory>> {
    Ok(store.impact_story(guild, id).await?)
}

/// The guild's objectives, ready to match typed names against.
pub async fn objectives(store: &dyn Store, guild: GuildId) -> ServiceResult<Objectives> {
    Ok(Objectives::new(store.objectives(guild).await?))
}

/// Adds an objective to the guild's list (admins only: the front end checks).
pub async fn add_objective(
    store: &dyn Store,
    guild: GuildId,
    typed: &str,
    now: DateTime<Utc>,
) -> ServiceResult<ObjectiveName> {
    let name = ObjectiveName::parse(typed).map_err(ServiceError::invalid)?;
    let listed = store.objectives(guild).await?;
    if let Some(same) = listed.iter().find(|n| n.key() == name.key()) {
        return Err(ServiceError::invalid(format!("\"{same}\" is already one of this server's objectives")));
    }
    if listed.len() >= MAX_OBJECTIVES {
        return Err(ServiceError::invalid(format!(
            "a server keeps at most {MAX_OBJECTIVES} objectives: remove one first"
        )));
    }
    if !store.add_objective(guild, &name, now).await? {
        // Added by someone else in between: the same outcome.
        return Err(ServiceError::invalid(format!("\"{name}\" is already one of this server's objectives")));
    }
    Ok(name)
}

/// Removes the objective `typed` names (exactly, ignoring case and punctuation: removing is not
/// guessed at). Stories marked with it keep its name.
pub async fn remove_objective(
    store: &dyn Store,
    guild: GuildId,
    typed: &str,
) -> ServiceResult<ObjectiveName> {
    let listed = objectives(store, guild).await?;
    let wanted = ObjectiveName::parse(typed).map_err(ServiceError::invalid)?;
    let Some(found) = listed.names().iter().find(|n| n.key() == wanted.key()).cloned() else {
        let mismatch = if listed.names().is_empty() {
            ObjectiveMismatch::NoneListed
        } else {
            ObjectiveMismatch::Unknown {
                typed: wanted.to_string(),
                listed: listed.names().iter().map(ToString::to_string).collect(),
            }
        };
        return Err(ServiceError::invalid(mismatch));
    };
    store.remove_objective(guild, &found).await?;
    Ok(found)
}

/// Whether the guild keeps impact stories, and their entries' notes, past the retention period.
pub async fn keeps_past_retention(store: &dyn Store, guild: GuildId) -> ServiceResult<bool> {
    Ok(store.keeps_impact_past_retention(guild).await?)
}

/// Sets it (admins only: the front end checks).
pub async fn set_keeps_past_retention(
    store: &dyn Store,
    guild: GuildId,
    keep: bool,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    Ok(store.set_keeps_impact_past_retention(guild, keep, now).await?)
}

/// Every story of the guild, oldest marked first: what `liaison impact export` writes.
pub async fn all_stories(store: &dyn Store, guild: GuildId) -> ServiceResult<Vec<ImpactStory>> {
    let end = NaiveDate::from_ymd_opt(9999, 12, 31)
        .map_or(DateTime::<Utc>::MAX_UTC, |d| d.and_time(NaiveTime::MIN).and_utc());
    let lines = store.impact_stories_in(guild, ImpactDate::Marked, DateTime::UNIX_EPOCH, end).await?;
    Ok(lines.into_iter().map(|l| l.story).collect())
}

/// What [`restore`] did with a story read back from an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Restored {
    Added,
    /// The entry has this very story already: an import run again.
    AlreadyThere,
    /// The entry has another story, which is kept: an import sets up, it never overwrites what
    /// someone marked since.
    Kept,
}

/// Puts a story read back from an export on its entry as it was: who marked it and when, and its
/// objective even where the list no longer holds it. For moving a server's stories to another
/// database, after its entries (which keep their ids). The outcome is redacted again, as a file
/// may have been edited by hand.
pub async fn restore(store: &dyn Store, rules: &Rules, story: &ImpactStory) -> ServiceResult<Restored> {
    let (outcome, _) =
        Outcome::clean(story.outcome.as_str(), &rules.redactor).map_err(ServiceError::invalid)?;
    let story = ImpactStory { outcome, marked_at: story.marked_at.trunc_subsecs(3), ..story.clone() };
    match store.impact_story(story.guild, story.entry).await? {
        Some(there) if there == story => Ok(Restored::AlreadyThere),
        Some(_) => Ok(Restored::Kept),
        None if store.mark_impact(&story).await? => Ok(Restored::Added),
        // No such entry in the guild: the store marks only an entry it has.
        None => Err(ServiceError::NotFound(story.entry)),
    }
}
