//! Editing an entry, every field of it: `/entry edit` and `liaison edit` both come here, with
//! values their front end has parsed already (department and channel through the catalogues,
//! dates in the rules' timezone, the owner as a user id). Only the author or an admin may edit;
//! the note is redacted again exactly as a capture redacts it.
//!
//! An edit touches the entry's row and its link rows only: the search index follows in the same
//! transaction (both backends re-index from the row), the link rows take the entry's new time,
//! a new due date is a new reminder (reminders are keyed by due date), and hand-offs already made
//! stay as they were (the chat front end hands a refiled entry to its new departments' liaisons).

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

use super::entries::{authorised, Actor};
use super::{ServiceError, ServiceResult};
use crate::domain::channel::{Channel, ChannelKey};
use crate::domain::date_style::DateStyle;
use crate::domain::department::{Department, DepartmentKey};
use crate::domain::entry::{Entry, EntryEdit, EntryLinks, FollowUp};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::partner::{PartnerId, MAX_ENTRY_PARTNERS};
use crate::domain::rules::Rules;
use crate::domain::tag::{hashtags, merge_tags, parse_tag_list};
use crate::domain::words::{count, noun};
use crate::message::Markup;
use crate::store::Store;

/// What to change; every `None` (and [`FollowUpChange::Keep`]) leaves that field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryChange {
    /// A new note as typed: redacted before it is stored.
    pub note: Option<String>,
    /// A new tag list as typed (blank: no tags besides the note's hashtags).
    pub tags: Option<String>,
    /// Other departments, resolved by the front end: replaced when `Some` (the entry's own
    /// department and repeats dropped).
    pub also_departments: Option<Vec<Department>>,
    /// Partners, resolved by the front end: replaced when `Some` (repeats dropped).
    pub partners: Option<Vec<PartnerId>>,
    pub department: Option<Department>,
    pub channel: Option<Channel>,
    /// When it happened, from a date phrase read in the rules' timezone.
    pub occurred_at: Option<DateTime<Utc>>,
    pub follow_up: FollowUpChange,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FollowUpChange {
    #[default]
    Keep,
    Clear,
    /// A new owner, a new due date, or both. A done follow-up stays done (this corrects the
    /// record of it); an entry without one gets an open one, owned by its author unless an owner
    /// is given, which needs a due date.
    Set {
        owner: Option<UserId>,
        due: Option<NaiveDate>,
    },
}

/// One field an edit changed, with what it was and is where that is short enough to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    Department { from: DepartmentKey, to: DepartmentKey },
    Channel { from: ChannelKey, to: ChannelKey },
    Date { from: DateTime<Utc>, to: DateTime<Utc> },
    FollowUp { from: Option<FollowUp>, to: Option<FollowUp> },
    Note,
    Tags,
    Links,
}

/// The entry after an edit, and what changed (nothing: nothing was written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub entry: Entry,
    pub changed: Vec<Changed>,
}

/// Applies `change` to entry `id`, by its author or an admin.
pub async fn edit(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    id: EntryId,
    actor: Actor,
    change: &EntryChange,
    now: DateTime<Utc>,
) -> ServiceResult<Edited> {
    let entry = authorised(store, guild, id, actor, "edit").await?;
    let edit = apply(rules, &entry, change, now)?;
    let changed = changes(&entry, &edit);
    if changed.is_empty() {
        return Ok(Edited { entry, changed });
    }
    let entry = store.edit_entry(guild, id, &edit).await?.ok_or(ServiceError::NotFound(id))?;
    Ok(Edited { entry, changed })
}

/// The entry as `change` leaves it. Pure: a refused change writes nothing.
fn apply(rules: &Rules, entry: &Entry, change: &EntryChange, now: DateTime<Utc>) -> ServiceResult<EntryEdit> {
    let (note, redactions) = match &change.note {
        Some(typed) => {
            let clean = Note::clean(typed, &rules.redactor).map_err(ServiceError::invalid)?;
            (clean.note, clean.redactions)
        }
        None => (entry.note.clone(), entry.redactions),
    };
    // A hashtag in the note is always a tag, as when it was captured.
    let tags = match &change.tags {
        Some(typed) => parse_tag_list(typed).map_err(ServiceError::invalid)?,
        None => entry.tags.clone(),
    };
    let tags = merge_tags(tags, hashtags(note.as_str())).map_err(ServiceError::invalid)?;
    let department = change.department.as_ref().map_or(&entry.department, |d| d.key()).clone();
    let (channel, informal) = match &change.channel {
        Some(c) if c.key() != &entry.channel => (c.key().clone(), c.informal()),
        _ => (entry.channel.clone(), entry.informal),
    };
    // An entry is never filed under one department twice: moved to one of its others, that one
    // leaves the others.
    let moved_to_another = entry.also_departments.contains(&department);
    let links = match (&change.also_departments, &change.partners) {
        (None, None) if !moved_to_another => None,
        (also, partners) => Some(without_repeats(
            &EntryLinks {
                also_departments: match also {
                    Some(also) => also.iter().map(|d| d.key().clone()).collect(),
                    None => entry.also_departments.clone(),
                },
                partners: partners.clone().unwrap_or_else(|| entry.partner_ids().collect()),
            },
            &department,
        )),
    };
    if links.as_ref().is_some_and(|l| l.partners.len() > MAX_ENTRY_PARTNERS) {
        return Err(ServiceError::invalid(format!("an entry names at most {MAX_ENTRY_PARTNERS} partners")));
    }
    Ok(EntryEdit {
        note,
        tags,
        redactions,
        updated_at: now.trunc_subsecs(3),
        links,
        department,
        channel,
        informal,
        occurred_at: change.occurred_at.map_or(entry.occurred_at, |t| t.trunc_subsecs(3)),
        follow_up: follow_up(entry, &change.follow_up)?,
    })
}

fn follow_up(entry: &Entry, change: &FollowUpChange) -> ServiceResult<Option<FollowUp>> {
    Ok(match (change, &entry.follow_up) {
        (FollowUpChange::Keep, kept) => kept.clone(),
        (FollowUpChange::Clear, _) => None,
        (FollowUpChange::Set { owner, due }, Some(f)) => {
            Some(FollowUp { owner: owner.unwrap_or(f.owner), due: due.unwrap_or(f.due), ..f.clone() })
        }
        (FollowUpChange::Set { owner, due: Some(due) }, None) => {
            Some(FollowUp::open(owner.unwrap_or(entry.author.id), *due))
        }
        (FollowUpChange::Set { due: None, .. }, None) => {
            return Err(ServiceError::invalid(format!(
                "entry #{} has no follow-up yet: give its due date too",
                entry.id
            )))
        }
    })
}

/// Links as an edit stores them: the entry's own department and repeats dropped, order kept.
fn without_repeats(links: &EntryLinks, department: &DepartmentKey) -> EntryLinks {
    let mut kept = EntryLinks::default();
    for key in &links.also_departments {
        if key != department && !kept.also_departments.contains(key) {
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

/// What `edit` changes of `entry`, in the order the reply lists them.
fn changes(entry: &Entry, edit: &EntryEdit) -> Vec<Changed> {
    let mut changed = Vec::new();
    if edit.department != entry.department {
        changed.push(Changed::Department { from: entry.department.clone(), to: edit.department.clone() });
    }
    if edit.channel != entry.channel {
        changed.push(Changed::Channel { from: entry.channel.clone(), to: edit.channel.clone() });
    }
    if edit.occurred_at != entry.occurred_at {
        changed.push(Changed::Date { from: entry.occurred_at, to: edit.occurred_at });
    }
    if edit.follow_up != entry.follow_up {
        changed.push(Changed::FollowUp { from: entry.follow_up.clone(), to: edit.follow_up.clone() });
    }
    if edit.note != entry.note {
        changed.push(Changed::Note);
    }
    if edit.tags != entry.tags {
        changed.push(Changed::Tags);
    }
    if let Some(links) = &edit.links {
        let partners: Vec<_> = entry.partner_ids().collect();
        if links.also_departments != entry.also_departments || links.partners != partners {
            changed.push(Changed::Links);
        }
    }
    changed
}

/// The reply to an edit, for the chat or the terminal: which entry, what changed (from what to
/// what, for the short fields), and how much of a new note was redacted. Dates as `dates` writes
/// them; without one, as `YYYY-MM-DD` (the command line's, which scripts read).
pub fn describe(edited: &Edited, rules: &Rules, markup: &dyn Markup, dates: Option<DateStyle>) -> String {
    let id = edited.entry.id;
    if edited.changed.is_empty() {
        return format!("Nothing to change: entry #{id} already says that.");
    }
    let date = |d: NaiveDate| match dates {
        Some(style) => style.day(d),
        None => d.format("%Y-%m-%d").to_string(),
    };
    let day = |t: &DateTime<Utc>| date(t.with_timezone(&rules.timezone).date_naive());
    let follow_up = |f: &Option<FollowUp>| match f {
        None => "none".to_string(),
        Some(f) => format!("{}, due {}", markup.user(f.owner.0), date(f.due)),
    };
    let parts: Vec<String> = edited
        .changed
        .iter()
        .map(|c| match c {
            Changed::Department { from, to } => format!(
                "department {} → {}",
                markup.text(rules.departments.display_name(from)),
                markup.text(rules.departments.display_name(to))
            ),
            Changed::Channel { from, to } => format!(
                "channel {} → {}",
                markup.text(rules.channels.display_name(from)),
                markup.text(rules.channels.display_name(to))
            ),
            Changed::Date { from, to } => format!("date {} → {}", day(from), day(to)),
            Changed::FollowUp { from, to } => format!("follow-up {} → {}", follow_up(from), follow_up(to)),
            Changed::Note => "note".to_string(),
            Changed::Tags => "tags".to_string(),
            Changed::Links => "other departments and partners".to_string(),
        })
        .collect();
    let mut out = format!("Updated entry #{id}: {}.", parts.join("; "));
    if edited.changed.contains(&Changed::Note) && edited.entry.redactions > 0 {
        let n = edited.entry.redactions;
        out.push_str(&format!(
            " {} of personal data {} redacted.",
            count(n, "item", "items"),
            noun(n, "is", "are")
        ));
    }
    out
}
