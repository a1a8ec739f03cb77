//! Access and erasure requests: every entry that mentions somebody (the export a subject-access
//! request needs), their mentions replaced by `[erased]`, and a member removed from their entries
//! or their entries deleted. Partners are people too: a text is erased from partners' names and
//! "they want / we offer" notes as from entries, and from impact stories' outcomes, and a person
//! partner can be deleted. Each erasure
//! that changed something is recorded in the privacy log: when, by whom, how many entries, never
//! the text.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::entry::Entry;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::impact::{ImpactStory, Outcome};
use crate::domain::mention::Mention;
use crate::domain::note::Note;
use crate::domain::partner::{Partner, PartnerId, PartnerKind, PartnerName, MAX_NAME_CHARS};
use crate::domain::privacy::{PrivacyAction, PrivacyActionKind, FORMER_MEMBER};
use crate::domain::tag::Tag;
use crate::service::{pages, ServiceError, ServiceResult};
use crate::store::{EntryFilter, ImpactDate, PartnerFilter, Rewrite, Store};

/// Entries are read this many at a time: a guild of any size is searched in bounded steps.
const PAGE: u32 = 1000;

/// What to do with a member's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorErasure {
    /// Keep them, attributed to "former member".
    Anonymise,
    /// Delete them.
    Delete,
}

/// Whether an entry's note, tags, author name or source mentions `mention`. An expired entry's
/// note is the retention notice, not anybody's words, so only its tags are looked at there.
pub fn mentions(entry: &Entry, mention: &Mention) -> bool {
    (entry.expired_at.is_none() && mention.is_in(entry.note.as_str()))
        || entry.tags.iter().any(|t| mention.is_in(t.as_str()))
        || mention.is_in(&entry.author.name)
        || entry.source.as_deref().is_some_and(|s| mention.is_in(s))
}

/// An entry without its mentions of `mention`, or `None` when it has none: each mention in the
/// note replaced by `[erased]`, a tag that mentions it removed, an author name that mentions it
/// made "former member", a source that mentions it cleared.
pub fn rewrite(entry: &Entry, mention: &Mention) -> Option<Rewrite> {
    if !mentions(entry, mention) {
        return None;
    }
    let note = match mention.erase(entry.note.as_str()).filter(|_| entry.expired_at.is_none()) {
        // The stored note was canonical and `[erased]` is neither blank nor invisible, so the
        // result is too; only the length can break the rule, when many short mentions grow into
        // longer markers, and then the erasure matters more than the limit.
        Some(erased) => Note::parse(&erased).unwrap_or_else(|_| Note::from_stored(erased)),
        None => entry.note.clone(),
    };
    let tags: Vec<Tag> = entry.tags.iter().filter(|t| !mention.is_in(t.as_str())).cloned().collect();
    let author_name =
        if mention.is_in(&entry.author.name) { FORMER_MEMBER.to_string() } else { entry.author.name.clone() };
    let source = entry.source.clone().filter(|s| !mention.is_in(s));
    Some(Rewrite { note, tags, author_name, source })
}

/// Every entry of the guild that mentions `mention`, in id order.
pub async fn find(store: &dyn Store, guild: GuildId, mention: &Mention) -> ServiceResult<Vec<Entry>> {
    let mut found = Vec::new();
    for_each_page(store, guild, |page| found.extend(page.iter().filter(|e| mentions(e, mention)).cloned()))
        .await?;
    Ok(found)
}

/// Whether a partner's name or "they want / we offer" note mentions `mention`.
pub fn partner_mentions(partner: &Partner, mention: &Mention) -> bool {
    mention.is_in(partner.profile.name.as_str()) || mention.is_in(&partner.profile.notes)
}

/// Every partner of the guild whose name or note mentions `mention`, by name.
pub async fn find_partners(
    store: &dyn Store,
    guild: GuildId,
    mention: &Mention,
) -> ServiceResult<Vec<Partner>> {
    let mut found = Vec::new();
    let mut offset = 0u64;
    loop {
        let page = store.partners(guild, &PartnerFilter::default(), offset, PAGE).await?;
        offset += page.len() as u64;
        let last = page.len() < PAGE as usize;
        found.extend(page.into_iter().map(|s| s.partner).filter(|p| partner_mentions(p, mention)));
        if last {
            return Ok(found);
        }
    }
}

/// What a text erasure changed (or would, on a dry run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    pub entries: u64,
    pub partners: u64,
    /// Impact stories whose outcome mentioned the text.
    pub impact_stories: u64,
}

impl Erased {
    pub fn total(self) -> u64 {
        self.entries + self.partners + self.impact_stories
    }
}

/// Replaces every mention in the guild's entries and partners; returns how many of each changed
/// (or would, on a dry run, which changes and records nothing). The privacy log counts the
/// entries.
pub async fn erase_text(
    store: &dyn Store,
    guild: GuildId,
    mention: &Mention,
    dry_run: bool,
    by: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Erased> {
    let found = find(store, guild, mention).await?;
    let partners = find_partners(store, guild, mention).await?;
    let stories = find_impact_stories(store, guild, mention).await?;
    if dry_run {
        return Ok(Erased {
            entries: found.len() as u64,
            partners: partners.len() as u64,
            impact_stories: stories.len() as u64,
        });
    }
    let mut changed = 0u64;
    for entry in &found {
        let Some(rewrite) = rewrite(entry, mention) else { continue };
        // An entry deleted since it was read is simply not counted.
        if store.rewrite_entry(guild, entry.id, &rewrite).await? {
            changed += 1;
        }
    }
    let partners_changed = erase_in_partners(store, guild, mention, &partners).await?;
    let stories_changed = erase_in_impact_stories(store, guild, mention, &stories).await?;
    if changed == 0 && partners_changed + stories_changed > 0 {
        // Something was erased all the same: recorded, with no entries.
        store
            .record_privacy_action(&PrivacyAction {
                guild,
                at: now,
                by: by.to_string(),
                kind: PrivacyActionKind::EraseText,
                entries: 0,
            })
            .await?;
    } else {
        record(store, guild, PrivacyActionKind::EraseText, changed, by, now).await?;
    }
    Ok(Erased { entries: changed, partners: partners_changed, impact_stories: stories_changed })
}

/// Every impact story of the guild whose outcome mentions `mention`.
pub async fn find_impact_stories(
    store: &dyn Store,
    guild: GuildId,
    mention: &Mention,
) -> ServiceResult<Vec<ImpactStory>> {
    // Every story, whenever it was marked: a guild keeps few, so one read.
    let all = store.impact_stories_in(
        guild,
        ImpactDate::Marked,
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
    );
    Ok(all.await?.into_iter().map(|l| l.story).filter(|s| mention.is_in(s.outcome.as_str())).collect())
}

/// Rewrites the outcomes of `stories` with each mention replaced; returns how many changed.
async fn erase_in_impact_stories(
    store: &dyn Store,
    guild: GuildId,
    mention: &Mention,
    stories: &[ImpactStory],
) -> ServiceResult<u64> {
    let mut changed = 0;
    for story in stories {
        let Some(erased) = mention.erase(story.outcome.as_str()) else { continue };
        // As for notes: the erasure matters more than the length limit markers may break.
        let outcome = Outcome::parse(&erased).unwrap_or_else(|_| Outcome::from_stored(erased));
        if store.rewrite_impact_outcome(guild, story.entry, &outcome).await? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// Rewrites the names and notes of `partners` without `mention`; returns how many changed. A
/// name whose new key is another partner's (two partners "Dr Jo Bloggs" and "Prof Jo Bloggs",
/// with "Jo Bloggs" erased, would both be "[erased]") gets its id after it, as names are unique.
async fn erase_in_partners(
    store: &dyn Store,
    guild: GuildId,
    mention: &Mention,
    partners: &[Partner],
) -> ServiceResult<u64> {
    if partners.is_empty() {
        return Ok(0);
    }
    let mut keys: HashMap<String, PartnerId> =
        store.partner_names(guild).await?.into_iter().map(|p| (p.name.key(), p.id)).collect();
    let mut changed = 0u64;
    for partner in partners {
        let profile = &partner.profile;
        let name = match mention.erase(profile.name.as_str()) {
            None => profile.name.clone(),
            Some(erased) => {
                let mut name = erased_name(&erased, None);
                if keys.get(&name.key()).is_some_and(|&other| other != partner.id) {
                    name = erased_name(&erased, Some(partner.id));
                }
                name
            }
        };
        let notes = mention.erase(&profile.notes).unwrap_or_else(|| profile.notes.clone());
        if store.rewrite_partner(guild, partner.id, &name, &notes).await? {
            keys.retain(|_, id| *id != partner.id);
            keys.insert(name.key(), partner.id);
            changed += 1;
        }
    }
    Ok(changed)
}

/// A partner's name after an erasure, with ` (id)` after it when asked: cut to fit the limit
/// rather than refused, as the erasure matters more than the name.
fn erased_name(erased: &str, id: Option<PartnerId>) -> PartnerName {
    let suffix = id.map(|id| format!(" ({id})")).unwrap_or_default();
    let room = MAX_NAME_CHARS - suffix.chars().count();
    let cut: String = erased.chars().take(room).collect();
    let name = format!("{}{suffix}", cut.trim_end());
    // "[erased]" has letters, so the name is never blank; its length was just fitted.
    PartnerName::parse(&name).unwrap_or_else(|_| PartnerName::from_stored(name))
}

/// Deletes a person partner (a person asked to be forgotten): its links to entries go, the entries
/// stay and are counted as before. Another kind of partner is refused: an organisation, a team or
/// a group is not a person's data (edit or merge it instead). Returns how many entries it was
/// linked to (changing and recording nothing on a dry run); recorded in the privacy log with that
/// count, never the name.
pub async fn erase_partner(
    store: &dyn Store,
    guild: GuildId,
    id: PartnerId,
    dry_run: bool,
    by: &str,
    now: DateTime<Utc>,
) -> ServiceResult<u64> {
    let Some(partner) = store.partner(guild, id).await? else {
        return Err(ServiceError::invalid("there is no such partner in this server"));
    };
    if partner.profile.kind != PartnerKind::Person {
        return Err(ServiceError::invalid(format!(
            "only a person partner can be erased; \"{}\" is {} {}: edit it or merge it instead",
            partner.profile.name,
            if partner.profile.kind == PartnerKind::Organisation { "an" } else { "a" },
            partner.profile.kind.as_str()
        )));
    }
    let linked = store.partner_entries(guild, id, None, 0, 1).await?.total;
    if dry_run {
        return Ok(linked);
    }
    if store.delete_partner(guild, id).await? {
        // Recorded even when it had no entries: a partner was erased all the same.
        store
            .record_privacy_action(&PrivacyAction {
                guild,
                at: now,
                by: by.to_string(),
                kind: PrivacyActionKind::ErasePartner,
                entries: linked,
            })
            .await?;
    }
    Ok(linked)
}

/// Removes `author` from their entries in the guild, or deletes those entries; returns how many
/// entries (or, on a dry run, how many there are, changing and recording nothing).
pub async fn erase_author(
    store: &dyn Store,
    guild: GuildId,
    author: UserId,
    how: AuthorErasure,
    dry_run: bool,
    by: &str,
    now: DateTime<Utc>,
) -> ServiceResult<u64> {
    if dry_run {
        return count_by(store, guild, author).await;
    }
    let (changed, kind) = match how {
        AuthorErasure::Anonymise => {
            (store.erase_author(guild, author).await?, PrivacyActionKind::EraseAuthor)
        }
        AuthorErasure::Delete => {
            (store.delete_author_entries(guild, author).await?, PrivacyActionKind::DeleteAuthor)
        }
    };
    record(store, guild, kind, changed, by, now).await?;
    Ok(changed)
}

/// How many entries of the guild `author` wrote.
pub async fn count_by(store: &dyn Store, guild: GuildId, author: UserId) -> ServiceResult<u64> {
    let mut n = 0u64;
    for_each_page(store, guild, |page| n += page.iter().filter(|e| e.author.id == author).count() as u64)
        .await?;
    Ok(n)
}

/// Recorded only when something changed: a request that found nothing erased nothing.
async fn record(
    store: &dyn Store,
    guild: GuildId,
    kind: PrivacyActionKind,
    entries: u64,
    by: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    if entries > 0 {
        store
            .record_privacy_action(&PrivacyAction { guild, at: now, by: by.to_string(), kind, entries })
            .await?;
    }
    Ok(())
}

/// An erasure asked for in Discord, kept until its Confirm button is pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureRequest {
    /// Every mention of a text, as typed.
    Text(String),
    /// A member's entries: kept as a former member's, or deleted.
    Author { id: UserId, delete: bool },
    /// A person partner, deleted with its links.
    Partner(PartnerId),
}

/// How long a Confirm button works: an erasure is confirmed on the spot, or asked for again
/// against the entries as they are then.
pub const CONFIRM_WITHIN: Duration = Duration::hours(1);

/// What is kept server-side for a Confirm button (the text may be longer than a button's id holds,
/// and must not travel in one). Kept in the saved-searches table: the `erasure` field, which a
/// saved search lacks, keeps either from being read as the other.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    guild: GuildId,
    erasure: ErasureRequest,
}

/// How many entries a request would change, and the id its Confirm button carries (`None` when
/// it would change nothing: there is nothing to confirm).
pub async fn propose(
    store: &dyn Store,
    guild: GuildId,
    user: UserId,
    request: &ErasureRequest,
    now: DateTime<Utc>,
) -> ServiceResult<(u64, Option<i64>)> {
    let count = match request {
        ErasureRequest::Text(text) => {
            let mention = mention(text)?;
            (find(store, guild, &mention).await?.len() + find_partners(store, guild, &mention).await?.len())
                as u64
        }
        ErasureRequest::Author { id, .. } => count_by(store, guild, *id).await?,
        // Refused here already when it is not a person.
        ErasureRequest::Partner(id) => erase_partner(store, guild, *id, true, "", now).await?,
    };
    // A partner is there to erase even when no entry names it.
    if count == 0 && !matches!(request, ErasureRequest::Partner(_)) {
        return Ok((0, None));
    }
    let pending = Pending { guild, erasure: request.clone() };
    let payload = serde_json::to_string(&pending).map_err(|e| ServiceError::Io(std::io::Error::other(e)))?;
    Ok((count, Some(store.save_search(guild, user, &payload, now).await?)))
}

/// The request a Confirm button names, if it is a pending erasure of this guild and recent enough.
pub async fn pending(
    store: &dyn Store,
    guild: GuildId,
    id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<Option<ErasureRequest>> {
    let Some((payload, saved_at)) = store.saved_search(guild, id).await? else { return Ok(None) };
    if now - saved_at > CONFIRM_WITHIN {
        return Ok(None);
    }
    Ok(serde_json::from_str::<Pending>(&payload).ok().filter(|p| p.guild == guild).map(|p| p.erasure))
}

/// Forgets a pending request (cancelled, or carried out), so its text is not kept; `false` when it
/// was not a pending erasure of this guild.
pub async fn forget(store: &dyn Store, guild: GuildId, id: i64, now: DateTime<Utc>) -> ServiceResult<bool> {
    // Read first: a saved search's id must not be deleted through an erasure's button.
    if pending(store, guild, id, now).await?.is_none() {
        return Ok(false);
    }
    Ok(store.forget_search(guild, id).await?)
}

/// Carries out a confirmed request; returns how many entries changed (for a text, entries and
/// partners; for a partner, the entries it was linked to).
pub async fn carry_out(
    store: &dyn Store,
    guild: GuildId,
    request: &ErasureRequest,
    by: &str,
    now: DateTime<Utc>,
) -> ServiceResult<u64> {
    match request {
        ErasureRequest::Text(text) => {
            Ok(erase_text(store, guild, &mention(text)?, false, by, now).await?.total())
        }
        ErasureRequest::Partner(id) => erase_partner(store, guild, *id, false, by, now).await,
        ErasureRequest::Author { id, delete } => {
            let how = if *delete { AuthorErasure::Delete } else { AuthorErasure::Anonymise };
            erase_author(store, guild, *id, how, false, by, now).await
        }
    }
}

/// The words to look for, or the reason a text has none, for the person to fix.
pub fn mention(text: &str) -> ServiceResult<Mention> {
    Mention::new(text).map_err(ServiceError::invalid)
}

/// Every entry of the guild, a page at a time, in id order.
async fn for_each_page(store: &dyn Store, guild: GuildId, mut f: impl FnMut(&[Entry])) -> ServiceResult<()> {
    let all = EntryFilter::default();
    pages::for_each_page(store, guild, &all, pages::Order::Id, &mut |_| {}, |page| {
        f(page);
        Ok(())
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erased_name_fits_the_limit_and_takes_its_id_when_asked() {
        assert_eq!(erased_name("Dr [erased]", None).as_str(), "Dr [erased]");
        assert_eq!(erased_name("Dr [erased]", Some(PartnerId(12))).as_str(), "Dr [erased] (12)");
        let long = format!("{} [erased]", "x".repeat(95));
        let name = erased_name(&long, Some(PartnerId(123456)));
        assert_eq!(name.as_str().chars().count(), MAX_NAME_CHARS);
        assert!(name.as_str().ends_with(" (123456)"), "{name}");
        assert_eq!(PartnerName::parse(name.as_str()).as_ref(), Ok(&name), "a name as parsed");
    }
}
