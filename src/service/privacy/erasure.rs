//! Access and erasure requests: every entry that mentions somebody (the export a subject-access
//! request needs), their mentions replaced by `[erased]`, and a member removed from their entries
//! or their entries deleted. Each erasure that changed something is recorded in the privacy log:
//! when, by whom, how many entries, never the text.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::entry::Entry;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::mention::Mention;
use crate::domain::note::Note;
use crate::domain::privacy::{PrivacyAction, PrivacyActionKind, FORMER_MEMBER};
use crate::domain::tag::Tag;
use crate::service::{ServiceError, ServiceResult};
use crate::store::{EntryFilter, Rewrite, Store};

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

/// Replaces every mention in the guild; returns how many entries changed (or would, on a dry
/// run, which changes and records nothing).
pub async fn erase_text(
    store: &dyn Store,
    guild: GuildId,
    mention: &Mention,
    dry_run: bool,
    by: &str,
    now: DateTime<Utc>,
) -> ServiceResult<u64> {
    let found = find(store, guild, mention).await?;
    if dry_run {
        return Ok(found.len() as u64);
    }
    let mut changed = 0u64;
    for entry in &found {
        let Some(rewrite) = rewrite(entry, mention) else { continue };
        // An entry deleted since it was read is simply not counted.
        if store.rewrite_entry(guild, entry.id, &rewrite).await? {
            changed += 1;
        }
    }
    record(store, guild, PrivacyActionKind::EraseText, changed, by, now).await?;
    Ok(changed)
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
        ErasureRequest::Text(text) => find(store, guild, &mention(text)?).await?.len() as u64,
        ErasureRequest::Author { id, .. } => count_by(store, guild, *id).await?,
    };
    if count == 0 {
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

/// Carries out a confirmed request; returns how many entries changed.
pub async fn carry_out(
    store: &dyn Store,
    guild: GuildId,
    request: &ErasureRequest,
    by: &str,
    now: DateTime<Utc>,
) -> ServiceResult<u64> {
    match request {
        ErasureRequest::Text(text) => erase_text(store, guild, &mention(text)?, false, by, now).await,
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

async fn for_each_page(store: &dyn Store, guild: GuildId, mut f: impl FnMut(&[Entry])) -> ServiceResult<()> {
    let filter = EntryFilter::default();
    let mut after = None;
    loop {
        let page = store.entries_after(guild, &filter, after, PAGE).await?;
        let Some(last) = page.last() else { return Ok(()) };
        after = Some(last.id);
        f(&page);
        if page.len() < PAGE as usize {
            return Ok(());
        }
    }
}
