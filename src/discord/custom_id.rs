//! The state carried by buttons and modals, in their `custom_id` (at most 100 characters).
//! Everything a press needs is in the id or in the database, so a button keeps working after the
//! bot restarts.

use crate::domain::ids::{EntryId, GuildId};

/// What a button press or a modal submit is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `/intel` without a note: the form for the note. Department as a catalogue index, so that
    /// any name fits; channel by key.
    IntelForm {
        department: usize,
        channel: String,
    },
    /// "Save as intel": the form, for a message in a channel.
    SaveForm {
        channel_id: u64,
        message_id: u64,
    },
    EditForm(EntryId),
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
        department: Option<usize>,
    },
    /// Mark a follow-up done from its reminder, in a DM: the guild travels in the id.
    ReminderDone {
        guild: GuildId,
        entry: EntryId,
    },
}

impl Action {
    pub fn to_custom_id(&self) -> String {
        match self {
            Action::IntelForm { department, channel } => format!("intel:{department}:{channel}"),
            Action::SaveForm { channel_id, message_id } => format!("save:{channel_id}:{message_id}"),
            Action::EditForm(id) => format!("edit:{id}"),
            Action::ConfirmDelete(id) => format!("delete:{id}"),
            Action::CancelDelete(id) => format!("keep:{id}"),
            Action::SearchPage { search, page } => format!("search:{search}:{page}"),
            Action::ReminderDone { guild, entry } => format!("remind:{guild}:{entry}"),
            Action::FollowUpDone { entry, all, department } => format!(
                "done:{entry}:{}:{}",
                if *all { "all" } else { "mine" },
                department.map_or_else(|| "-".to_string(), |d| d.to_string())
            ),
        }
    }

    /// `None` for an id this version of the bot did not make.
    pub fn parse(custom_id: &str) -> Option<Action> {
        let mut parts = custom_id.split(':');
        let kind = parts.next()?;
        let mut next = || parts.next();
        let action = match kind {
            "intel" => Action::IntelForm { department: next()?.parse().ok()?, channel: next()?.to_string() },
            "save" => {
                Action::SaveForm { channel_id: next()?.parse().ok()?, message_id: next()?.parse().ok()? }
            }
            "edit" => Action::EditForm(next()?.parse().ok()?),
            "delete" => Action::ConfirmDelete(next()?.parse().ok()?),
            "keep" => Action::CancelDelete(next()?.parse().ok()?),
            "search" => Action::SearchPage { search: next()?.parse().ok()?, page: next()?.parse().ok()? },
            "remind" => Action::ReminderDone { guild: next()?.parse().ok()?, entry: next()?.parse().ok()? },
            "done" => Action::FollowUpDone {
                entry: next()?.parse().ok()?,
                all: match next()? {
                    "all" => true,
                    "mine" => false,
                    _ => return None,
                },
                department: match next()? {
                    "-" => None,
                    d => Some(d.parse().ok()?),
                },
            },
            _ => return None,
        };
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_within_100_characters() {
        let actions = [
            Action::IntelForm { department: 29, channel: "departmental-meeting".into() },
            Action::SaveForm { channel_id: u64::MAX, message_id: u64::MAX },
            Action::EditForm(EntryId(i64::MAX)),
            Action::ConfirmDelete(EntryId(1)),
            Action::CancelDelete(EntryId(1)),
            Action::SearchPage { search: i64::MAX, page: u32::MAX },
            Action::FollowUpDone { entry: EntryId(i64::MAX), all: true, department: Some(499) },
            Action::FollowUpDone { entry: EntryId(3), all: false, department: None },
            Action::ReminderDone { guild: GuildId(u64::MAX), entry: EntryId(i64::MAX) },
        ];
        for a in actions {
            let id = a.to_custom_id();
            assert!(id.len() <= 100, "{id}");
            assert_eq!(Action::parse(&id), Some(a));
        }
    }

    #[test]
    fn foreign_or_damaged_ids_are_none() {
        for id in ["", "nope", "search:x:1", "done:1:some:-", "delete:", "save:1", "remind:1"] {
            assert_eq!(Action::parse(id), None, "{id}");
        }
    }
}
