//! How a claimed send (a hand-off, a post-event prompt, a reminder) ends: one type for every
//! claim table, recorded in the same columns by both backends' `claims` modules.

use super::ids;

/// How a claimed private message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimEnd {
    Delivered {
        message_id: u64,
    },
    /// Discord refused the DM for good (the recipient's DMs are closed, say): not tried again.
    Undeliverable {
        error: String,
    },
}

impl ClaimEnd {
    /// `message_id`, `undeliverable` and `last_error`, as stored.
    pub(crate) fn columns(&self) -> (Option<i64>, bool, Option<&str>) {
        match self {
            ClaimEnd::Delivered { message_id } => (Some(ids::to_sql(*message_id)), false, None),
            ClaimEnd::Undeliverable { error } => (None, true, Some(error)),
        }
    }
}
