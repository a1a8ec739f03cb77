//! The digest as data: what [`build`](crate::digest::build) reads, and the sections it computes.
//!
//! The input is plain values that a service gathers from the store; the output serialises as is
//! for `--format json`, so its numbers and lists are fields, not methods.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};

use super::period::DigestPeriod;
use crate::domain::channel::Channel;
use crate::domain::date_style::DateStyle;
use crate::domain::department::DepartmentKey;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::impact::{ImpactLine, Outcome};
use crate::domain::note::Note;
use crate::domain::partner::PartnerLink;
use crate::domain::privacy::{PrivacySettings, Share};
use crate::domain::stats::{DepartmentEntries, LastHeard};

/// How long a department may go unheard before the digest lists it.
pub const DEFAULT_QUIET_AFTER_WEEKS: u32 = 6;

/// Everything one digest is built from.
#[derive(Debug, Clone)]
pub struct DigestInput {
    pub guild: GuildId,
    pub period: DigestPeriod,
    pub now: DateTime<Utc>,
    /// The guild's timezone: "today", and so which follow-ups are overdue, is read in it.
    pub timezone: Tz,
    /// This period's entries by department, one group per department (under its current key,
    /// whatever names its entries were filed under).
    pub departments: Vec<DepartmentEntries>,
    pub previous: PreviousPeriod,
    /// Entries whose follow-up is open, whatever their age.
    pub open_follow_ups: Vec<Entry>,
    /// Entries whose follow-up was marked done in this period.
    pub done_follow_ups: Vec<Entry>,
    /// By department, as `departments` is keyed.
    pub last_heard: Vec<LastHeard>,
    /// Every department in the catalogue, so that one never heard from is seen too.
    pub catalogue: Vec<DepartmentKey>,
    /// Catalogue departments the guild's library does not serve: never listed as quiet.
    pub not_served: Vec<DepartmentKey>,
    /// When the guild's earliest entry occurred (`None`: it has none). A department never heard
    /// from has been quiet since then, not since the beginning of time.
    pub first_heard: Option<DateTime<Utc>>,
    /// What each department key in the input is called.
    pub names: DepartmentNames,
    pub quiet_after_weeks: u32,
    /// How the guild's locale writes dates.
    pub dates: DateStyle,
    /// Whether a period without entries still gets a (short) digest.
    pub post_empty_weeks: bool,
    /// The channel catalogue, for display names; entries keep their own formality.
    pub channels: Vec<Channel>,
    /// What the guild lets the digest say about notes and people.
    pub sharing: Sharing,
    /// Desk hand-offs: this period's, and those still waiting to be taken.
    pub hand_offs: HandOffInput,
    /// Partners heard from, new, and gone quiet.
    pub partners: PartnerInput,
    /// Impact stories marked in the period, oldest first.
    pub impact: Vec<ImpactLine>,
    /// Events held in the period, and recent ones after which nothing was decided.
    pub events: Events,
    /// Topics heard across teams in the period, best first (`digest::across`).
    pub across: Vec<AcrossTopic>,
}

/// The Events section, as the service gathered it and as the digest shows it: names are people's
/// own text, escaped when rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Events {
    /// Events whose last day fell in the period, by end.
    pub held: Vec<HeldEvent>,
    /// Events that ended in the four weeks up to the period's end with no follow-up added and
    /// nobody answering Nothing needed, by end.
    pub undecided: Vec<UndecidedEvent>,
}

impl Events {
    pub fn is_empty(&self) -> bool {
        self.held.is_empty() && self.undecided.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldEvent {
    pub name: String,
    pub ends_on: NaiveDate,
    /// Entries heard there.
    pub logged: u64,
    /// Of those, entries with a follow-up.
    pub decided: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UndecidedEvent {
    pub name: String,
    pub ends_on: NaiveDate,
}

/// Desk hand-offs as the service counted them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandOffInput {
    /// Entries handed off in the period ("from the desk").
    pub made: u64,
    /// Of those, how many a liaison librarian took up.
    pub taken: u64,
    /// Handed-off entries nobody took within three days, or whose DMs reached nobody, oldest
    /// first.
    pub waiting: Vec<WaitingHandOffInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingHandOffInput {
    pub entry: EntryId,
    pub department: DepartmentKey,
    pub made_at: DateTime<Utc>,
    /// Discord refused every DM of it: nobody was told.
    pub unreached: bool,
}

/// What the Partners section is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerInput {
    /// Partners with an entry in the period, with how many, most first.
    pub heard: Vec<(PartnerLink, u64)>,
    /// Partners created in the period, by name.
    pub created: Vec<PartnerLink>,
    /// Active partners without an entry for `quiet_after_weeks`, at most as many as are listed.
    pub quiet: Vec<QuietPartnerInput>,
    /// How many are quiet in all.
    pub quiet_total: u64,
    pub quiet_after_weeks: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietPartnerInput {
    pub partner: PartnerLink,
    pub owner: Option<UserId>,
    /// `None`: never heard from.
    pub last_contact: Option<DateTime<Utc>>,
}

/// What a guild lets its digest share, from its privacy settings. The builder applies it, so a
/// [`Digest`] never holds what it may not show and no renderer (nor `--format json`) can leak it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sharing {
    /// Note excerpts; off: counts and tags only.
    pub excerpts: bool,
    /// Contributors' and follow-up owners' names (and mentions).
    pub names: bool,
}

impl Sharing {
    pub fn of(settings: &PrivacySettings) -> Self {
        Sharing { excerpts: settings.excerpts, names: settings.names }
    }

    /// An entry's note as the digest may quote it: never a private entry's, and none at all where
    /// the guild shares counts and tags only.
    pub fn note_of(self, e: &Entry) -> Option<Note> {
        (self.excerpts && e.share == Share::Team).then(|| e.note.clone())
    }
}

impl Default for Sharing {
    /// A guild that has changed nothing shares both.
    fn default() -> Self {
        Sharing { excerpts: true, names: true }
    }
}

/// The name the digest shows for a department key: the catalogue's name for its department, or
/// (for a key not listed, a department no longer configured, say) the key itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepartmentNames(HashMap<DepartmentKey, String>);

impl DepartmentNames {
    pub fn insert(&mut self, key: DepartmentKey, name: impl Into<String>) {
        self.0.insert(key, name.into());
    }

    pub fn contains(&self, key: &DepartmentKey) -> bool {
        self.0.contains_key(key)
    }

    pub fn of<'a>(&'a self, key: &'a DepartmentKey) -> &'a str {
        self.0.get(key).map_or(key.as_str(), String::as_str)
    }
}

/// The numbers of the period before, for "change from the week before".
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PreviousPeriod {
    pub entries: u64,
    pub contributors: u64,
    /// 0 to 1; `None` when that period had no entries.
    pub informal_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digest {
    pub guild: GuildId,
    pub period: DigestPeriod,
    pub generated_at: DateTime<Utc>,
    #[serde(serialize_with = "tz_name")]
    pub timezone: Tz,
    /// The date at `generated_at` in the guild's timezone.
    pub today: NaiveDate,
    pub headline: Headline,
    /// Busiest first.
    pub departments: Vec<DepartmentSummary>,
    pub follow_ups: FollowUps,
    pub quiet: QuietDepartments,
    /// What this digest was allowed to share.
    pub sharing: Sharing,
    pub hand_offs: HandOffs,
    pub partners: Partners,
    /// "Impact this week": what the digest opens with when there is any.
    pub impact: Vec<ImpactItem>,
    pub events: Events,
    /// "Heard across teams": what follows the headline when there is any, best first.
    pub across: Vec<AcrossItem>,
    /// How the guild's locale writes dates; a renderer's choice, not part of the digest's data.
    #[serde(skip)]
    pub dates: DateStyle,
}

impl Digest {
    /// A period in which nobody recorded anything.
    pub fn is_quiet_week(&self) -> bool {
        self.headline.entries == 0
    }

    /// A chart of nothing says nothing, so a quiet week goes out without one.
    pub fn has_chart(&self) -> bool {
        !self.is_quiet_week()
    }
}

fn tz_name<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub entries: u64,
    pub contributors: u64,
    /// Departments heard from in the period.
    pub departments: u64,
    /// Departments in the catalogue.
    pub catalogue: u64,
    pub informal: u64,
    /// 0 to 1; `None` without entries.
    pub informal_share: Option<f64>,
    pub previous: PreviousPeriod,
    pub change: Change,
}

/// This period minus the one before.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub entries: i64,
    pub contributors: i64,
    /// In percentage points; `None` unless both periods had entries.
    pub informal_points: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentSummary {
    pub department: String,
    pub entries: u64,
    pub informal: u64,
    pub contributors: u64,
    /// Busiest first.
    pub channels: Vec<ChannelCount>,
    /// Most used first, at most [`TOP_TAGS`](crate::digest::TOP_TAGS).
    pub top_tags: Vec<TagCount>,
    /// The most telling entries, at most [`NOTES_SHOWN`](crate::digest::NOTES_SHOWN).
    pub notes: Vec<NoteItem>,
    /// Entries not among `notes`.
    pub more: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelCount {
    pub key: String,
    pub name: String,
    pub informal: bool,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagCount {
    pub tag: String,
    pub count: u64,
}

/// One entry shown under its department. The whole note is kept: each renderer cuts its own
/// excerpt to the room it has. Only a team entry in a guild that shares excerpts becomes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteItem {
    pub entry: EntryId,
    /// `None` where the guild does not name people in the digest.
    pub author: Option<String>,
    pub channel: String,
    pub occurred_at: DateTime<Utc>,
    pub note: Note,
    pub tags: Vec<String>,
    /// The due date of an open follow-up.
    pub follow_up_due: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FollowUps {
    /// Open and due before today, oldest due date first.
    pub overdue: Vec<FollowUpItem>,
    /// Open and due today or in the six days after.
    pub due_soon: Vec<FollowUpItem>,
    /// Open and due later than that: counted, not listed.
    pub later: u64,
    /// Marked done in the period.
    pub done: Vec<FollowUpItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpItem {
    pub entry: EntryId,
    pub department: String,
    /// `None` where the guild does not name people in the digest: no name, id or mention.
    pub owner: Option<UserId>,
    /// Known when the owner is the entry's author (the usual case); otherwise a renderer shows
    /// the id, or a mention in Discord.
    pub owner_name: Option<String>,
    pub due: NaiveDate,
    pub done_at: Option<DateTime<Utc>>,
    /// `None` for a private entry, or where the guild does not share excerpts.
    pub note: Option<Note>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuietDepartments {
    pub after_weeks: u32,
    /// The longest quiet first (one never heard from counts as quiet since the guild's first
    /// entry), at most [`QUIET_DEPARTMENTS_LISTED`].
    pub departments: Vec<QuietDepartment>,
    /// Quiet departments not listed.
    pub more: u64,
}

/// How many quiet departments a digest names; the rest are counted ("+N more").
pub const QUIET_DEPARTMENTS_LISTED: usize = 8;

impl QuietDepartments {
    /// Listed and not.
    pub fn total(&self) -> u64 {
        self.departments.len() as u64 + self.more
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuietDepartment {
    pub department: String,
    /// `None`: never heard from.
    pub last_heard: Option<DateTime<Utc>>,
    /// Whole weeks since then.
    pub weeks: Option<i64>,
}

/// The desk's hand-offs: this period's count and how many were taken up, and those still waiting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HandOffs {
    pub made: u64,
    pub taken: u64,
    pub waiting: Vec<WaitingHandOff>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitingHandOff {
    pub entry: EntryId,
    pub department: String,
    pub made_at: DateTime<Utc>,
    /// Nobody could be reached by DM (without saying whose DMs are closed).
    pub unreached: bool,
}

/// The Partners section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Partners {
    /// Most entries first.
    pub heard: Vec<PartnerCount>,
    /// By name.
    pub new: Vec<String>,
    /// Never heard from first, then the longest silent.
    pub quiet: Vec<QuietPartner>,
    /// Quiet partners not listed.
    pub quiet_more: u64,
    pub quiet_after_weeks: u32,
}

impl Partners {
    pub fn is_empty(&self) -> bool {
        self.heard.is_empty() && self.new.is_empty() && self.quiet.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerCount {
    pub name: String,
    pub entries: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuietPartner {
    pub name: String,
    /// `None` where the guild does not name people in the digest (or it has no owner).
    pub owner: Option<UserId>,
    pub last_contact: Option<DateTime<Utc>>,
}

/// One impact story as the digest shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImpactItem {
    pub entry: EntryId,
    /// `None` for a private entry's story, or where the guild does not share excerpts: an
    /// outcome is told as a note is.
    pub outcome: Option<Outcome>,
    pub objective: String,
    /// The entry's departments, by name.
    pub departments: Vec<String>,
    pub evidence: Option<String>,
    /// Who marked it; `None` where the guild does not name people in the digest.
    pub marked_by: Option<UserId>,
}

/// One topic heard across teams, as the digest shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcrossItem {
    /// As first written this week: "#eebo", "data management". People's own text, escaped when
    /// rendered.
    pub topic: String,
    pub kind: TopicKind,
    pub trend: Trend,
    /// The week's entries holding it.
    pub count: u64,
    /// The weekly average of the four weeks before; `None` when more than were counted.
    pub weekly_before: Option<f64>,
    /// The first of them, oldest first, at most [`ACROSS_ENTRIES_LISTED`].
    pub entries: Vec<AcrossEntry>,
    /// Entries not listed.
    pub more: u64,
}

/// How many entries a topic lists; the rest are counted.
pub const ACROSS_ENTRIES_LISTED: usize = 6;

/// An entry behind a topic: which, who (where the guild names people) and where it was heard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcrossEntry {
    pub entry: EntryId,
    pub author: Option<String>,
    /// Its departments by name, then the partner teams it names.
    pub heard_in: Vec<String>,
}

/// What a topic heard across teams is (`digest::across`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    Tag,
    Phrase,
    Word,
}

/// A topic against the four weeks before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// No entry in the four weeks before held it.
    New,
    /// Held by at least twice the weekly average of the four weeks before, and by at least two
    /// entries more than that average.
    Rising,
    /// Neither (or the weeks before held it more often than were counted).
    Steady,
}

/// A topic heard across teams, as the service hands it to the builder.
#[derive(Debug, Clone, PartialEq)]
pub struct AcrossTopic {
    pub kind: TopicKind,
    /// As first written this week: "#eebo", "data management", "EEBO".
    pub shown: String,
    pub trend: Trend,
    /// The week's entries holding it, oldest first.
    pub entries: Vec<TopicEntry>,
    /// Entries holding it per week in the four weeks before, on average; `None` when they were
    /// more than the store counted.
    pub weekly_before: Option<f64>,
}

/// An entry behind a topic, and where it was heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicEntry {
    pub entry: EntryId,
    /// The departments it is grouped under in the digest.
    pub departments: Vec<DepartmentKey>,
    /// The partners of kind team it names, by name.
    pub teams: Vec<String>,
}
