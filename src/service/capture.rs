//! Capturing intel: from what somebody typed to a stored, redacted entry.

use chrono::{DateTime, SubsecRound, Utc};

use super::{dates, ServiceError, ServiceResult};
use crate::domain::channel::Channel;
use crate::domain::department::Department;
use crate::domain::entry::{Author, Entry, FollowUp, NewEntry};
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::note::Note;
use crate::domain::partner::{PartnerLink, MAX_ENTRY_PARTNERS};
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::domain::tag::{hashtags, merge_tags, parse_tag_list};
use crate::store::{CaptureKey, Inserted, Store};

pub use super::related::{related, Related, RELATED};

/// The fields of `/intel` (and `liaison add`): department and channel resolved by the front end,
/// the rest as typed.
#[derive(Debug, Clone)]
pub struct CaptureRequest {
    pub guild: GuildId,
    pub author: Author,
    pub department: Department,
    /// Other departments a cross-disciplinary entry concerns, resolved by the front end; the
    /// entry's own department and repeats are dropped.
    pub also_departments: Vec<Department>,
    /// The partners it concerns, resolved by the front end (`service::partners::resolve`);
    /// repeats are dropped.
    pub partners: Vec<PartnerLink>,
    /// The configured default when `None`.
    pub channel: Option<Channel>,
    pub note: String,
    pub tags: Option<String>,
    /// When it happened, as a date phrase; now when `None`.
    pub when: Option<String>,
    /// A due date phrase: creates a follow-up owned by the author.
    pub follow_up: Option<String>,
    /// A link to the message the entry was saved from.
    pub source: Option<String>,
    /// Shared with the team, or private to the author (and admins).
    pub share: Share,
}

/// Validates and redacts a request into an entry ready to store. Pure: nothing is written, so a
/// request that fails here leaves no trace.
pub fn prepare(rules: &Rules, request: CaptureRequest, now: DateTime<Utc>) -> ServiceResult<NewEntry> {
    // Stored timestamps keep milliseconds, so an entry read back (or exported and imported)
    // compares equal to the one captured.
    let now = now.trunc_subsecs(3);
    // The length limit applies to what was typed too (`Note::clean` checks it before redacting):
    // a 5000-character note is refused even if redaction would shorten it.
    let clean = Note::clean(&request.note, &rules.redactor).map_err(ServiceError::invalid)?;
    let channel = request.channel.unwrap_or_else(|| rules.channels.default_channel().clone());
    let given_tags = parse_tag_list(request.tags.as_deref().unwrap_or("")).map_err(ServiceError::invalid)?;
    let note = clean.note;
    let tags = merge_tags(given_tags, hashtags(note.as_str())).map_err(ServiceError::invalid)?;
    let occurred_at = dates::occurred_at(rules, request.when.as_deref(), now)?;
    let follow_up = match request.follow_up.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(phrase) => Some(FollowUp::open(request.author.id, dates::due_date(rules, phrase, now)?)),
        None => None,
    };
    let author_name = request.author.name.trim();
    if author_name.is_empty() {
        return Err(ServiceError::invalid("the author needs a name"));
    }
    let mut also_departments: Vec<Department> = Vec::new();
    for d in request.also_departments {
        if d.key() != request.department.key() && !also_departments.iter().any(|a| a.key() == d.key()) {
            also_departments.push(d);
        }
    }
    let mut partners: Vec<PartnerLink> = Vec::new();
    for p in request.partners {
        if !partners.iter().any(|q| q.id == p.id) {
            partners.push(p);
        }
    }
    if partners.len() > MAX_ENTRY_PARTNERS {
        return Err(ServiceError::invalid(format!("an entry names at most {MAX_ENTRY_PARTNERS} partners")));
    }
    Ok(NewEntry {
        guild: request.guild,
        author: Author { id: request.author.id, name: author_name.to_string() },
        department: request.department,
        also_departments,
        partners,
        channel,
        note,
        tags,
        occurred_at,
        created_at: now,
        follow_up,
        source: request.source.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        redactions: clean.redactions,
        share: request.share,
    })
}

/// Prepares and stores an entry.
pub async fn capture(
    store: &dyn Store,
    rules: &Rules,
    request: CaptureRequest,
    now: DateTime<Utc>,
) -> ServiceResult<Entry> {
    let entry = prepare(rules, request, now)?;
    Ok(store.insert_entry(&entry).await?)
}

/// A captured entry, and who else heard about the same department or topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    pub entry: Entry,
    /// `None` when the lookup failed: the entry is stored all the same, and saying so matters more
    /// than the list (a person told "failed" would submit again, and save it twice).
    pub related: Option<Vec<Related>>,
}

/// What `/intel` and "Save as intel" do: store the entry, then look up who else heard this, both
/// measured from the same `now`. Once the entry is stored this never fails.
pub async fn capture_and_relate(
    store: &dyn Store,
    rules: &Rules,
    request: CaptureRequest,
    now: DateTime<Utc>,
) -> ServiceResult<Captured> {
    let entry = capture(store, rules, request, now).await?;
    Ok(relate(store, rules, entry, now).await)
}

/// What a submit of a form with a one-time key came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capture {
    Saved(Box<Captured>),
    /// The form was submitted before (a double click, a client retry) and saved as this entry;
    /// nothing was written this time.
    Already(EntryId),
}

/// As [`capture_and_relate`], saving at most one entry per `key`: a second submit of the same
/// form is told the first one's entry. Without a key (a form opened before keys were carried, or a
/// command that is no form) every submit saves.
pub async fn capture_once(
    store: &dyn Store,
    rules: &Rules,
    request: CaptureRequest,
    key: Option<CaptureKey>,
    now: DateTime<Utc>,
) -> ServiceResult<Capture> {
    let Some(key) = key else {
        return Ok(Capture::Saved(Box::new(capture_and_relate(store, rules, request, now).await?)));
    };
    let entry = prepare(rules, request, now)?;
    match store.insert_entry_once(&entry, key).await? {
        Inserted::New(entry) => Ok(Capture::Saved(Box::new(relate(store, rules, *entry, now).await))),
        Inserted::Already(id) => Ok(Capture::Already(id)),
    }
}

/// Who else heard about a stored entry; a failure to look that up is logged (by the entry's id,
/// never its text) and leaves `related` empty-handed rather than failing the capture.
async fn relate(store: &dyn Store, rules: &Rules, entry: Entry, now: DateTime<Utc>) -> Captured {
    let related = match related(store, rules, &entry, RELATED, now).await {
        Ok(found) => Some(found),
        Err(e) => {
            tracing::warn!(
                guild = %entry.guild,
                entry = %entry.id,
                error = %e.loggable(),
                "entry saved, but who else heard this could not be looked up"
            );
            None
        }
    };
    Captured { entry, related }
}

#[cfg(test)]
mod tests;
