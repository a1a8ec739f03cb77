//! What the claim tables (hand-offs, post-event prompts, reminders) record when a claimed send
//! ends, in one form both backends' `claims` modules write: each concern keeps its own public end
//! type, and they all come down to these columns.

use super::{ids, EventPromptEnd, HandOffEnd, ReminderEnd};

/// How a claimed send ended.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ending<'a> {
    Delivered {
        message_id: u64,
    },
    /// Refused for good; not tried again.
    Undeliverable {
        error: &'a str,
    },
}

impl<'a> Ending<'a> {
    /// `message_id`, `undeliverable` and `last_error`, as stored.
    pub(crate) fn columns(self) -> (Option<i64>, bool, Option<&'a str>) {
        match self {
            Ending::Delivered { message_id } => (Some(ids::to_sql(message_id)), false, None),
            Ending::Undeliverable { error } => (None, true, Some(error)),
        }
    }
}

impl<'a> From<&'a HandOffEnd> for Ending<'a> {
    fn from(end: &'a HandOffEnd) -> Self {
        match end {
            HandOffEnd::Delivered { message_id } => Ending::Delivered { message_id: *message_id },
            HandOffEnd::Undeliverable { error } => Ending::Undeliverable { error },
        }
    }
}

impl<'a> From<&'a EventPromptEnd> for Ending<'a> {
    fn from(end: &'a EventPromptEnd) -> Self {
        match end {
            EventPromptEnd::Delivered { message_id } => Ending::Delivered { message_id: *message_id },
            EventPromptEnd::Undeliverable { error } => Ending::Undeliverable { error },
        }
    }
}

impl<'a> From<&'a ReminderEnd> for Ending<'a> {
    fn from(end: &'a ReminderEnd) -> Self {
        match end {
            ReminderEnd::Delivered { message_id } => Ending::Delivered { message_id: *message_id },
            ReminderEnd::Undeliverable { error } => Ending::Undeliverable { error },
        }
    }
}
