//! An intel entry: one thing somebody heard, filed under a department (and any others it concerns),
//! through one channel, about any number of partners.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::channel::{Channel, ChannelKey};
use super::department::{Department, DepartmentKey, DepartmentKeys};
use super::ids::{EntryId, GuildId, UserId};
use super::note::Note;
use super::partner::{PartnerId, PartnerLink};
use super::privacy::Share;
use super::tag::Tag;

/// Who recorded an entry. The name is the display name at the time, kept so that exports and
/// digests read well without asking Discord.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowUpStatus {
    Open,
    Done,
}

impl FollowUpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpStatus::Open => "open",
            FollowUpStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Some(FollowUpStatus::Open),
            "done" => Some(FollowUpStatus::Done),
            _ => None,
        }
    }
}

/// Something somebody promised to do about an entry, by a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub owner: UserId,
    /// A calendar date in the guild's timezone: overdue from the day after.
    pub due: NaiveDate,
    pub status: FollowUpStatus,
    pub done_at: Option<DateTime<Utc>>,
}

impl FollowUp {
    pub fn open(owner: UserId, due: NaiveDate) -> Self {
        FollowUp { owner, due, status: FollowUpStatus::Open, done_at: None }
    }

    /// Open and due before `today` (a date in the guild's timezone).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == FollowUpStatus::Open && self.due < today
    }
}

/// A validated entry that has not been stored yet. Built by `service::capture`, which has already
/// resolved the department and channel, redacted the note and normalised the tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub guild: GuildId,
    pub author: Author,
    /// Filed under its key.
    pub department: Department,
    /// Other departments a cross-disciplinary entry concerns, none of them `department`, no two
    /// alike: it counts once in totals and once under each.
    pub also_departments: Vec<Department>,
    /// The partners it concerns, in the order given, no two alike.
    pub partners: Vec<PartnerLink>,
    /// Filed under its key; whether it is informal is kept with the entry, so that statistics do
    /// not change when the catalogue is edited later.
    pub channel: Channel,
    pub note: Note,
    pub tags: Vec<Tag>,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub follow_up: Option<FollowUp>,
    /// A link to the Discord message the entry was saved from.
    pub source: Option<String>,
    /// How many items redaction replaced in the note.
    pub redactions: u32,
    /// Shared with the team, or private to its author (and admins).
    pub share: Share,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: EntryId,
    pub guild: GuildId,
    pub author: Author,
    /// What it was filed under: read back without the catalogue, so a department renamed or
    /// removed since never makes a stored entry unreadable.
    pub department: DepartmentKey,
    /// The other departments it concerns, as filed.
    pub also_departments: Vec<DepartmentKey>,
    /// The partners it concerns, each with its name as it is now.
    pub partners: Vec<PartnerLink>,
    pub channel: ChannelKey,
    /// Whether the channel was informal when the entry was captured.
    pub informal: bool,
    pub note: Note,
    pub tags: Vec<Tag>,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// Set when the entry was edited after capture.
    pub updated_at: Option<DateTime<Utc>>,
    pub follow_up: Option<FollowUp>,
    pub source: Option<String>,
    pub redactions: u32,
    pub share: Share,
    /// When the retention pass cleared its note, source and author name; `None` while kept.
    pub expired_at: Option<DateTime<Utc>>,
}

impl Entry {
    pub fn from_new(id: EntryId, new: NewEntry) -> Self {
        Entry {
            id,
            guild: new.guild,
            author: new.author,
            department: new.department.key().clone(),
            also_departments: new.also_departments.iter().map(|d| d.key().clone()).collect(),
            partners: new.partners,
            informal: new.channel.informal(),
            channel: new.channel.key().clone(),
            note: new.note,
            tags: new.tags,
            occurred_at: new.occurred_at,
            created_at: new.created_at,
            updated_at: None,
            follow_up: new.follow_up,
            source: new.source,
            redactions: new.redactions,
            share: new.share,
            expired_at: None,
        }
    }

    /// Every department it is filed under: its own first, then the others.
    pub fn departments(&self) -> impl Iterator<Item = &DepartmentKey> {
        std::iter::once(&self.department).chain(&self.also_departments)
    }

    /// Whether it is filed under one of `keys`, as its own department or one of its others.
    pub fn is_filed_under(&self, keys: &DepartmentKeys) -> bool {
        self.departments().any(|d| keys.contains(d))
    }

    pub fn partner_ids(&self) -> impl Iterator<Item = PartnerId> + '_ {
        self.partners.iter().map(|p| p.id)
    }
}

/// An entry as an edit leaves it: every field a person may change, each the entry's own where the
/// edit leaves it alone (so the store writes one shape). The note is redacted again before it
/// gets here; `also_departments` never holds `department`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryEdit {
    pub note: Note,
    pub tags: Vec<Tag>,
    pub redactions: u32,
    pub updated_at: DateTime<Utc>,
    /// The entry's other departments and partners, replaced when `Some`, as they are when `None`.
    pub links: Option<EntryLinks>,
    pub department: DepartmentKey,
    pub channel: ChannelKey,
    /// Whether `channel` is informal: the catalogue's word for a new channel, the entry's own
    /// for the one it was captured through.
    pub informal: bool,
    pub occurred_at: DateTime<Utc>,
    pub follow_up: Option<FollowUp>,
}

impl EntryEdit {
    /// An edit that leaves everything but the text as `entry` has it.
    pub fn of_text(
        entry: &Entry,
        note: Note,
        tags: Vec<Tag>,
        redactions: u32,
        updated_at: DateTime<Utc>,
    ) -> Self {
        EntryEdit {
            note,
            tags,
            redactions,
            updated_at,
            links: None,
            department: entry.department.clone(),
            channel: entry.channel.clone(),
            informal: entry.informal,
            occurred_at: entry.occurred_at,
            follow_up: entry.follow_up.clone(),
        }
    }
}

/// What an entry concerns besides its own department, as an edit sets it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryLinks {
    pub also_departments: Vec<DepartmentKey>,
    pub partners: Vec<PartnerId>,
}
