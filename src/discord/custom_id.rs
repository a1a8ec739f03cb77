//! The state carried by buttons and modals, in their `custom_id` (at most 100 characters).
//! Everything a press needs is in the id or in the database, so a button keeps working after the
//! bot restarts.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::domain::channel::ChannelKey;
use crate::domain::department::{Department, DepartmentCatalogue, DepartmentKey};
use crate::domain::event::EventId;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::{PartnerId, PartnerKind, PartnerStatus};
use crate::domain::privacy::Share;
use crate::store::CaptureKey;

/// The most a custom id may hold. Counted in bytes, which is never fewer than Discord's characters.
pub const MAX_CUSTOM_ID: usize = 100;

/// What a button press or a modal submit is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `/intel` without a note: the form for the note.
    IntelForm {
        department: DepartmentRef,
        channel: ChannelKey,
        /// The form's one-time key, so that submitting it twice saves once. `None` in the ids of
        /// forms opened before keys were carried: those save as they always did.
        once: Option<CaptureKey>,
        /// `/intel`'s `share` option: the form has no "Private?" field (its slot holds partners).
        /// Forms opened before it was carried are the team's, as they always were.
        share: Share,
        /// `/intel`'s `also_department` option; always carried by fingerprint (no `:` in it).
        also: Option<DepartmentRef>,
        /// `/intel`'s `hand_off` option, so a note written in the form is handed off as asked.
        hand_off: bool,
    },
    /// "Save as intel": the form, for a message in a channel.
    SaveForm {
        channel_id: u64,
        message_id: u64,
        /// As `IntelForm`'s.
        once: Option<CaptureKey>,
    },
    /// `/entry edit`'s form as opened before it held other departments and partners: its submit
    /// leaves them as they are.
    EditForm(EntryId),
    /// `/entry edit`'s form with other departments and partners: its submit replaces them.
    EditWithLinks(EntryId),
    ConfirmDelete(EntryId),
    CancelDelete(EntryId),
    /// A page of a saved search.
    SearchPage {
        search: i64,
        page: u32,
    },
    /// Mark a follow-up done, then list again with the same filter.
    FollowUpDone {
        entry: EntryId,
        all: bool,
        department: Option<DepartmentRef>,
    },
    /// Mark a follow-up done from its reminder, in a DM: the guild travels in the id.
    ReminderDone {
        guild: GuildId,
        entry: EntryId,
    },
    /// Take on an entry handed off from the desk, from its DM: the guild travels in the id.
    TakeHandOff {
        guild: GuildId,
        entry: EntryId,
    },
    /// Carry out the pending erasure kept under this id (its text never travels in the id).
    ConfirmErase(i64),
    CancelErase(i64),
    /// A page of a partner's timeline (`/partner show`).
    PartnerPage {
        partner: PartnerId,
        page: u32,
    },
    /// A page of `/partner list`: the whole filter travels in the id.
    PartnerList(PartnerListState),
    /// "Add anyway": the `/partner add` kept under this id (its text never travels in the id).
    AddPartnerAnyway(i64),
    /// `/partner edit`'s form, with the slash options given with it, applied on submit.
    PartnerEditForm(PartnerEditState),
    /// "Mark as impact": opens the impact story form for the entry.
    MarkImpact(EntryId),
    /// The impact story form's submit.
    ImpactForm(EntryId),
    /// "Remove impact story": takes the entry's story off it.
    RemoveImpact(EntryId),
    /// The /intel form for what was heard at an event (`/intel event:` without a note, or "Log
    /// what I heard" in a post-event DM): the guild travels in the id, as the DM has none.
    EventIntelForm {
        guild: GuildId,
        event: EventId,
        channel: ChannelKey,
        /// As `IntelForm`'s.
        once: Option<CaptureKey>,
    },
    /// A post-event DM's buttons: the guild travels in the id, as for reminders.
    EventPrompt {
        guild: GuildId,
        event: EventId,
        answer: PromptAnswer,
    },
    /// The form "Add follow-up" opens.
    EventFollowUpForm {
        guild: GuildId,
        event: EventId,
        /// As `IntelForm`'s.
        once: Option<CaptureKey>,
    },
}

/// The buttons of a post-event DM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptAnswer {
    AddFollowUp,
    LogHeard,
    NothingNeeded,
}

/// `/partner list`'s filter and page, as its paging buttons carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerListState {
    pub kind: Option<PartnerKind>,
    pub owner: Option<UserId>,
    pub status: Option<PartnerStatus>,
    pub quiet_weeks: Option<u32>,
    pub department: Option<DepartmentRef>,
    pub page: u32,
}

/// The partner a `/partner edit` form is for, and the options given with the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerEditState {
    pub partner: PartnerId,
    pub kind: Option<PartnerKind>,
    /// The new owner (the old one is dropped unless named a co-owner).
    pub owner: Option<UserId>,
    /// A co-owner to add.
    pub co_owner: Option<UserId>,
    /// A co-owner to remove.
    pub remove_co_owner: Option<UserId>,
}

/// `-` for none, else the value: how optional parts of an id are written.
fn opt<T: std::fmt::Display>(value: &Option<T>) -> String {
    value.as_ref().map_or_else(|| "-".to_string(), T::to_string)
}

/// The reverse of [`opt`]: `None` for `-`, and for a part that does not parse (a damaged id).
fn read_opt<T: std::str::FromStr>(part: &str) -> Option<Option<T>> {
    if part == "-" {
        return Some(None);
    }
    part.parse().ok().map(Some)
}

fn kind_code(kind: Option<PartnerKind>) -> &'static str {
    match kind {
        None => "-",
        Some(PartnerKind::Person) => "p",
        Some(PartnerKind::Organisation) => "o",
        Some(PartnerKind::Team) => "t",
        Some(PartnerKind::Group) => "g",
    }
}

fn read_kind(code: &str) -> Option<Option<PartnerKind>> {
    Some(match code {
        "-" => None,
        "p" => Some(PartnerKind::Person),
        "o" => Some(PartnerKind::Organisation),
        "t" => Some(PartnerKind::Team),
        "g" => Some(PartnerKind::Group),
        _ => return None,
    })
}

/// A department as an id carries it: by key, never by its place in the catalogue, so that a
/// config reordered (or a department renamed, keeping its old name as an alias) while a form is
/// open still finds the same department. A key too long for the id travels as its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepartmentRef {
    Key(DepartmentKey),
    Fingerprint(u64),
}

impl DepartmentRef {
    pub fn of(department: &Department) -> Self {
        DepartmentRef::Key(department.key().clone())
    }

    /// `None` when the catalogue no longer has the department.
    pub fn resolve<'c>(&self, catalogue: &'c DepartmentCatalogue) -> Option<&'c Department> {
        match self {
            DepartmentRef::Key(key) => catalogue.by_key(key),
            DepartmentRef::Fingerprint(fingerprint) => catalogue.by_fingerprint(*fingerprint),
        }
    }

    /// `=KEY` or `#FINGERPRINT` (16 hex digits): the key may hold any character, `:` too, so it
    /// always comes last in an id.
    fn encode(&self) -> String {
        match self {
            DepartmentRef::Key(key) => format!("={key}"),
            DepartmentRef::Fingerprint(fingerprint) => format!("#{fingerprint:016x}"),
        }
    }

    fn decode(s: &str) -> Option<Self> {
        if let Some(key) = s.strip_prefix('=').filter(|k| !k.is_empty()) {
            return Some(DepartmentRef::Key(DepartmentKey::from_stored(key)));
        }
        let hex = s.strip_prefix('#').filter(|h| h.len() == 16)?;
        u64::from_str_radix(hex, 16).ok().map(DepartmentRef::Fingerprint)
    }

    /// Always by fingerprint: for a department that is not last in an id.
    fn fingerprinted(&self) -> String {
        match self {
            DepartmentRef::Key(key) => DepartmentRef::Fingerprint(key.fingerprint()).encode(),
            DepartmentRef::Fingerprint(_) => self.encode(),
        }
    }

    /// `prefix` followed by this department, by key if that fits, else by fingerprint.
    fn after(&self, prefix: String) -> String {
        let id = format!("{prefix}{}", self.encode());
        match self {
            DepartmentRef::Key(key) if id.len() > MAX_CUSTOM_ID => {
                format!("{prefix}{}", DepartmentRef::Fingerprint(key.fingerprint()).encode())
            }
            _ => id,
        }
    }
}

/// A new one-time key for a form: SipHash, under keys std draws from the OS once per process, of a
/// counter and the time, so keys differ within a process and across processes and restarts. Not a
/// secret: a key only lets a second submit of the same form find the first one's entry.
pub fn fresh_key() -> CaptureKey {
    static STATE: OnceLock<RandomState> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = STATE.get_or_init(RandomState::new).build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    // A clock before 1970 only loses the time's part; the counter and the random keys remain.
    hasher.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    CaptureKey::new(hasher.finish())
}

/// `intel` or `save`, followed by `.KEY` when the form carries a one-time key.
fn form_kind(kind: &str, once: &Option<CaptureKey>) -> String {
    match once {
        Some(key) => format!("{kind}.{key}"),
        None => kind.to_string(),
    }
}

impl Action {
    pub fn to_custom_id(&self) -> String {
        match self {
            // A form with the team's share and no other department keeps the older, shorter id.
            Action::IntelForm {
                department,
                channel,
                once,
                share: Share::Team,
                also: None,
                hand_off: false,
            } => department.after(format!("{}:{channel}:", form_kind("intel", once))),
            Action::IntelForm { department, channel, once, share, also, hand_off } => {
                let share = match (share, hand_off) {
                    (Share::Team, false) => "t",
                    (Share::Private, false) => "p",
                    (Share::Team, true) => "th",
                    (Share::Private, true) => "ph",
                };
                let also = also.as_ref().map_or_else(|| "-".to_string(), DepartmentRef::fingerprinted);
                department.after(format!("{}:{channel}:{share}:{also}:", form_kind("intel", once)))
            }
            Action::SaveForm { channel_id, message_id, once } => {
                format!("{}:{channel_id}:{message_id}", form_kind("save", once))
            }
            Action::EditForm(id) => format!("edit:{id}"),
            Action::EditWithLinks(id) => format!("editl:{id}"),
            Action::ConfirmDelete(id) => format!("delete:{id}"),
            Action::CancelDelete(id) => format!("keep:{id}"),
            Action::SearchPage { search, page } => format!("search:{search}:{page}"),
            Action::ReminderDone { guild, entry } => format!("remind:{guild}:{entry}"),
            Action::TakeHandOff { guild, entry } => format!("take:{guild}:{entry}"),
            Action::ConfirmErase(id) => format!("erase:{id}"),
            Action::CancelErase(id) => format!("noerase:{id}"),
            Action::PartnerPage { partner, page } => format!("ptl:{partner}:{page}"),
            Action::AddPartnerAnyway(id) => format!("padd:{id}"),
            Action::MarkImpact(id) => format!("impact:{id}"),
            Action::ImpactForm(id) => format!("impactf:{id}"),
            Action::RemoveImpact(id) => format!("impactrm:{id}"),
            Action::PartnerList(state) => {
                let status = match state.status {
                    None => "-",
                    Some(PartnerStatus::Active) => "a",
                    Some(PartnerStatus::Dormant) => "d",
                };
                let prefix = format!(
                    "plist:{}:{}:{status}:{}:{}:",
                    kind_code(state.kind),
                    opt(&state.owner),
                    opt(&state.quiet_weeks),
                    state.page
                );
                match &state.department {
                    Some(d) => d.after(prefix),
                    None => format!("{prefix}-"),
                }
            }
            Action::PartnerEditForm(state) => format!(
                "pedit:{}:{}:{}:{}:{}",
                state.partner,
                kind_code(state.kind),
                opt(&state.owner),
                opt(&state.co_owner),
                opt(&state.remove_co_owner)
            ),
            Action::EventIntelForm { guild, event, channel, once } => {
                format!("{}:{guild}:{event}:{channel}", form_kind("ievt", once))
            }
            Action::EventPrompt { guild, event, answer } => {
                let answer = match answer {
                    PromptAnswer::AddFollowUp => "f",
                    PromptAnswer::LogHeard => "l",
                    PromptAnswer::NothingNeeded => "n",
                };
                format!("evp:{guild}:{event}:{answer}")
            }
            Action::EventFollowUpForm { guild, event, once } => {
                format!("{}:{guild}:{event}", form_kind("evf", once))
            }
            Action::FollowUpDone { entry, all, department } => {
                let prefix = format!("done:{entry}:{}:", if *all { "all" } else { "mine" });
                match department {
                    Some(d) => d.after(prefix),
                    None => format!("{prefix}-"),
                }
            }
        }
    }

    /// `None` for an id this version of the bot did not make (an older one carried departments
    /// by their place in the list: those forms are refused as expired rather than guessed at).
    pub fn parse(custom_id: &str) -> Option<Action> {
        let (kind, rest) = custom_id.split_once(':')?;
        // Only the forms that save an entry carry a key.
        let (kind, once) = match kind.split_once('.') {
            Some((kind @ ("intel" | "save" | "ievt" | "evf"), key)) => (kind, Some(CaptureKey::parse(key)?)),
            Some(_) => return None,
            None => (kind, None),
        };
        let mut parts = rest.split(':');
        let mut next = || parts.next();
        let action = match kind {
            "intel" => {
                let (channel, rest) = rest.split_once(':')?;
                let channel = ChannelKey::from_stored(Some(channel).filter(|c| !c.is_empty())?);
                // An older id has the department right after the channel; a newer one the share
                // and the other department first.
                // `h` after the share: hand it off.
                let (share, also, hand_off, department) = match rest.split_once(':') {
                    Some((share @ ("t" | "p" | "th" | "ph"), rest)) => {
                        let (also, department) = rest.split_once(':')?;
                        let also = match also {
                            "-" => None,
                            a => Some(DepartmentRef::decode(a)?),
                        };
                        let private = share.starts_with('p');
                        (
                            if private { Share::Private } else { Share::Team },
                            also,
                            share.ends_with('h'),
                            department,
                        )
                    }
                    _ => (Share::Team, None, false, rest),
                };
                Action::IntelForm {
                    department: DepartmentRef::decode(department)?,
                    channel,
                    once,
                    share,
                    also,
                    hand_off,
                }
            }
            "save" => Action::SaveForm {
                channel_id: next()?.parse().ok()?,
                message_id: next()?.parse().ok()?,
                once,
            },
            "edit" => Action::EditForm(next()?.parse().ok()?),
            "editl" => Action::EditWithLinks(next()?.parse().ok()?),
            "delete" => Action::ConfirmDelete(next()?.parse().ok()?),
            "keep" => Action::CancelDelete(next()?.parse().ok()?),
            "search" => Action::SearchPage { search: next()?.parse().ok()?, page: next()?.parse().ok()? },
            "remind" => Action::ReminderDone { guild: next()?.parse().ok()?, entry: next()?.parse().ok()? },
            "take" => Action::TakeHandOff { guild: next()?.parse().ok()?, entry: next()?.parse().ok()? },
            "erase" => Action::ConfirmErase(next()?.parse().ok()?),
            "noerase" => Action::CancelErase(next()?.parse().ok()?),
            "ptl" => {
                Action::PartnerPage { partner: PartnerId(next()?.parse().ok()?), page: next()?.parse().ok()? }
            }
            "padd" => Action::AddPartnerAnyway(next()?.parse().ok()?),
            "impact" => Action::MarkImpact(next()?.parse().ok()?),
            "impactf" => Action::ImpactForm(next()?.parse().ok()?),
            "impactrm" => Action::RemoveImpact(next()?.parse().ok()?),
            "evp" => Action::EventPrompt {
                guild: next()?.parse().ok()?,
                event: EventId(next()?.parse().ok()?),
                answer: match next()? {
                    "f" => PromptAnswer::AddFollowUp,
                    "l" => PromptAnswer::LogHeard,
                    "n" => PromptAnswer::NothingNeeded,
                    _ => return None,
                },
            },
            "evf" => Action::EventFollowUpForm {
                guild: next()?.parse().ok()?,
                event: EventId(next()?.parse().ok()?),
                once,
            },
            "ievt" => Action::EventIntelForm {
                guild: next()?.parse().ok()?,
                event: EventId(next()?.parse().ok()?),
                channel: ChannelKey::from_stored(next().filter(|c| !c.is_empty())?),
                once,
            },
            "plist" => {
                let mut parts = rest.splitn(6, ':');
                let kind = read_kind(parts.next()?)?;
                let owner = read_opt::<u64>(parts.next()?)?.map(UserId);
                let status = match parts.next()? {
                    "-" => None,
                    "a" => Some(PartnerStatus::Active),
                    "d" => Some(PartnerStatus::Dormant),
                    _ => return None,
                };
                let quiet_weeks = read_opt(parts.next()?)?;
                let page = parts.next()?.parse().ok()?;
                let department = match parts.next()? {
                    "-" => None,
                    d => Some(DepartmentRef::decode(d)?),
                };
                Action::PartnerList(PartnerListState { kind, owner, status, quiet_weeks, department, page })
            }
            "pedit" => Action::PartnerEditForm(PartnerEditState {
                partner: PartnerId(next()?.parse().ok()?),
                kind: read_kind(next()?)?,
                owner: read_opt::<u64>(next()?)?.map(UserId),
                co_owner: read_opt::<u64>(next()?)?.map(UserId),
                remove_co_owner: read_opt::<u64>(next()?)?.map(UserId),
            }),
            "done" => {
                let mut parts = rest.splitn(3, ':');
                Action::FollowUpDone {
                    entry: parts.next()?.parse().ok()?,
                    all: match parts.next()? {
                        "all" => true,
                        "mine" => false,
                        _ => return None,
                    },
                    department: match parts.next()? {
                        "-" => None,
                        d => Some(DepartmentRef::decode(d)?),
                    },
                }
            }
            _ => return None,
        };
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::department::DepartmentSpec;

    fn spec(name: &str, aliases: &[&str]) -> DepartmentSpec {
        DepartmentSpec { name: name.into(), aliases: aliases.iter().map(|a| a.to_string()).collect() }
    }

    fn catalogue(specs: Vec<DepartmentSpec>) -> DepartmentCatalogue {
        DepartmentCatalogue::new(specs).expect("valid catalogue")
    }

    fn key(s: &str) -> DepartmentRef {
        DepartmentRef::Key(DepartmentKey::from_stored(s))
    }

    fn desk() -> ChannelKey {
        ChannelKey::from_stored("departmental-meeting")
    }

    #[test]
    fn every_action_round_trips_within_100_characters() {
        let actions = [
            Action::IntelForm {
                department: key("History"),
                channel: desk(),
                once: None,
                share: Share::Team,
                also: None,
                hand_off: false,
            },
            Action::IntelForm {
                department: key("Law: Criminal Justice"),
                channel: desk(),
                once: Some(fresh_key()),
                share: Share::Team,
                also: None,
                hand_off: false,
            },
            Action::IntelForm {
                department: DepartmentRef::Fingerprint(u64::MAX),
                channel: ChannelKey::from_stored("c".repeat(32)),
                once: Some(CaptureKey::new(u64::MAX)),
                share: Share::Team,
                also: None,
                hand_off: false,
            },
            Action::SaveForm { channel_id: u64::MAX, message_id: u64::MAX, once: None },
            Action::SaveForm { channel_id: u64::MAX, message_id: u64::MAX, once: Some(CaptureKey::new(0)) },
            Action::EditForm(EntryId(i64::MAX)),
            Action::EditWithLinks(EntryId(i64::MAX)),
            Action::ConfirmDelete(EntryId(1)),
            Action::CancelDelete(EntryId(1)),
            Action::SearchPage { search: i64::MAX, page: u32::MAX },
            Action::FollowUpDone {
                entry: EntryId(i64::MAX),
                all: true,
                department: Some(key("Art: History")),
            },
            Action::FollowUpDone {
                entry: EntryId(2),
                all: true,
                department: Some(DepartmentRef::Fingerprint(0)),
            },
            Action::FollowUpDone { entry: EntryId(3), all: false, department: None },
            Action::ReminderDone { guild: GuildId(u64::MAX), entry: EntryId(i64::MAX) },
            Action::TakeHandOff { guild: GuildId(u64::MAX), entry: EntryId(i64::MAX) },
            Action::EventIntelForm {
                guild: GuildId(u64::MAX),
                event: EventId(i64::MAX),
                channel: ChannelKey::from_stored("c".repeat(32)),
                once: Some(CaptureKey::new(u64::MAX)),
            },
            Action::EventIntelForm { guild: GuildId(1), event: EventId(2), channel: desk(), once: None },
            Action::EventPrompt {
                guild: GuildId(u64::MAX),
                event: EventId(i64::MAX),
                answer: PromptAnswer::AddFollowUp,
            },
            Action::EventPrompt { guild: GuildId(1), event: EventId(2), answer: PromptAnswer::LogHeard },
            Action::EventPrompt { guild: GuildId(1), event: EventId(2), answer: PromptAnswer::NothingNeeded },
            Action::EventFollowUpForm {
                guild: GuildId(u64::MAX),
                event: EventId(i64::MAX),
                once: Some(CaptureKey::new(u64::MAX)),
            },
            Action::EventFollowUpForm { guild: GuildId(1), event: EventId(2), once: None },
            Action::ConfirmErase(i64::MAX),
            Action::CancelErase(1),
            Action::MarkImpact(EntryId(i64::MAX)),
            Action::ImpactForm(EntryId(i64::MAX)),
            Action::RemoveImpact(EntryId(i64::MAX)),
            Action::IntelForm {
                department: DepartmentRef::Fingerprint(u64::MAX),
                channel: ChannelKey::from_stored("c".repeat(32)),
                once: Some(CaptureKey::new(u64::MAX)),
                share: Share::Private,
                also: Some(DepartmentRef::Fingerprint(u64::MAX)),
                hand_off: true,
            },
            Action::IntelForm {
                department: key("History"),
                channel: desk(),
                once: Some(CaptureKey::new(7)),
                share: Share::Team,
                also: None,
                hand_off: true,
            },
            Action::IntelForm {
                department: key("Law: Criminal Justice"),
                channel: desk(),
                once: None,
                share: Share::Private,
                also: None,
                hand_off: false,
            },
            Action::PartnerPage { partner: PartnerId(i64::MAX), page: u32::MAX },
            Action::AddPartnerAnyway(i64::MAX),
            Action::PartnerList(PartnerListState::default()),
            Action::PartnerList(PartnerListState {
                kind: Some(PartnerKind::Organisation),
                owner: Some(UserId(u64::MAX)),
                status: Some(PartnerStatus::Dormant),
                quiet_weeks: Some(104),
                department: Some(DepartmentRef::Fingerprint(u64::MAX)),
                page: u32::MAX,
            }),
            Action::PartnerList(PartnerListState {
                department: Some(key("Art: History")),
                ..PartnerListState::default()
            }),
            Action::PartnerEditForm(PartnerEditState {
                partner: PartnerId(i64::MAX),
                kind: Some(PartnerKind::Group),
                owner: Some(UserId(u64::MAX)),
                co_owner: Some(UserId(u64::MAX)),
                remove_co_owner: Some(UserId(u64::MAX)),
            }),
            Action::PartnerEditForm(PartnerEditState {
                partner: PartnerId(1),
                kind: None,
                owner: None,
                co_owner: None,
                remove_co_owner: None,
            }),
        ];
        for a in actions {
            let id = a.to_custom_id();
            assert!(id.len() <= MAX_CUSTOM_ID, "{id}");
            assert_eq!(Action::parse(&id), Some(a));
        }
    }

    #[test]
    fn ids_of_forms_opened_before_keys_still_read_without_one() {
        assert_eq!(
            Action::parse("intel:desk:=History"),
            Some(Action::IntelForm {
                hand_off: false,
                department: key("History"),
                channel: ChannelKey::from_stored("desk"),
                once: None,
                share: Share::Team,
                also: None
            })
        );
        assert_eq!(
            Action::parse("save:1:2"),
            Some(Action::SaveForm { channel_id: 1, message_id: 2, once: None })
        );
    }

    #[test]
    fn fresh_keys_differ() {
        let keys: std::collections::HashSet<String> = (0..1000).map(|_| fresh_key().to_string()).collect();
        assert_eq!(keys.len(), 1000);
    }

    #[test]
    fn foreign_or_damaged_ids_are_none() {
        for id in [
            "",
            "nope",
            "search:x:1",
            "done:1:some:-",
            "delete:",
            "erase:",
            "erase:x",
            "save:1",
            "remind:1",
            "take:1",
            "take:x:1",
            "intel::=History",
            // A key only on a form that saves, and only as 16 lowercase hex digits.
            "edit.0000000000000001:1",
            "save.:1:2",
            "save.123:1:2",
            "intel.000000000000000G:desk:=History",
        ] {
            assert_eq!(Action::parse(id), None, "{id}");
        }
        // Ids of the version that carried a department's place in the list.
        for id in ["intel:29:departmental-meeting", "done:1:all:499", "intel:desk:#12", "done:1:all:="] {
            assert_eq!(Action::parse(id), None, "{id}");
        }
    }

    /// The department a form's id names, once the id has been through Discord and back.
    fn submitted(action: &Action, catalogue: &DepartmentCatalogue) -> Option<String> {
        let Some(Action::IntelForm { department, .. }) = Action::parse(&action.to_custom_id()) else {
            panic!("not a form");
        };
        department.resolve(catalogue).map(|d| d.name().to_string())
    }

    #[test]
    fn a_form_finds_its_department_in_a_reordered_catalogue() {
        let before = catalogue(vec![spec("Art History", &[]), spec("History", &[]), spec("Law", &[])]);
        let history = before.resolve("History").unwrap();
        let form = Action::IntelForm {
            department: DepartmentRef::of(history),
            channel: desk(),
            once: None,
            share: Share::Team,
            also: None,
            hand_off: false,
        };
        let after = catalogue(vec![spec("Law", &[]), spec("History", &[]), spec("Art History", &[])]);
        assert_eq!(submitted(&form, &after).as_deref(), Some("History"));
        let removed = catalogue(vec![spec("Law", &[]), spec("Art History", &[])]);
        assert_eq!(submitted(&form, &removed), None);
    }

    #[test]
    fn a_form_opened_before_a_rename_finds_the_renamed_department() {
        let before = catalogue(vec![spec("History", &[]), spec("Law", &[])]);
        let form = Action::IntelForm {
            department: DepartmentRef::of(before.resolve("History").unwrap()),
            channel: desk(),
            once: Some(fresh_key()),
            share: Share::Team,
            also: None,
            hand_off: false,
        };
        let after = catalogue(vec![spec("Law", &[]), spec("History and Classics", &["History"])]);
        assert_eq!(submitted(&form, &after).as_deref(), Some("History and Classics"));
    }

    #[test]
    fn a_long_name_travels_as_its_fingerprint_within_100_characters() {
        let long =
            "Department of Medieval and Early Modern Studies, Palaeography, Codicology & Manuscript Cultures";
        let before = catalogue(vec![spec("Law", &[]), spec(long, &[])]);
        let department = DepartmentRef::of(before.resolve(long).unwrap());
        let form = Action::IntelForm {
            department: department.clone(),
            channel: desk(),
            once: Some(fresh_key()),
            share: Share::Team,
            also: None,
            hand_off: false,
        };
        let id = form.to_custom_id();
        assert!(id.len() <= MAX_CUSTOM_ID, "{id}");
        assert!(id.contains('#'), "{id}");
        assert_eq!(submitted(&form, &before).as_deref(), Some(long));
        // Renamed since, the long name kept as an alias: found by the alias's fingerprint.
        let after = catalogue(vec![spec("Medieval Studies", &[long]), spec("Law", &[])]);
        assert_eq!(submitted(&form, &after).as_deref(), Some("Medieval Studies"));
        let done =
            Action::FollowUpDone { entry: EntryId(i64::MAX), all: false, department: Some(department) };
        let id = done.to_custom_id();
        assert!(id.len() <= MAX_CUSTOM_ID, "{id}");
        let Some(Action::FollowUpDone { department: Some(d), .. }) = Action::parse(&id) else {
            panic!("{id}")
        };
        assert_eq!(d.resolve(&after).map(|d| d.name()), Some("Medieval Studies"));
    }
}
