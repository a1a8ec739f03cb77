//! Use cases: capture, search, entries, follow-ups, statistics, export and import. Each takes the
//! store and the rules it needs, and `now` where time matters, so tests pass a fixed clock. No
//! serenity, no SQL.

pub mod capture;
mod claimed;
pub mod clock;
pub mod defaults;
pub mod departments;
pub mod digest;
pub mod digest_runs;
pub mod edit;
pub mod entries;
pub mod event_moves;
pub mod event_prompts;
pub mod events;
pub mod export;
pub mod filed_under;
pub mod follow_ups;
pub mod hand_offs;
pub mod impact;
pub mod import;
pub mod liaisons;
pub mod locales;
pub(crate) mod pages;
pub mod partners;
pub mod poster;
pub mod privacy;
pub mod record;
pub mod related;
pub mod related_notices;
pub mod reminder_notices;
pub mod reminders;
pub mod report;
pub mod retry;
pub mod search;
pub mod settings;
pub mod settings_moves;
pub mod stats;
pub mod tag_choices;
pub mod terms;

pub(crate) mod dates;

use crate::domain::ids::EntryId;
use crate::store::StoreError;

/// What a use case can fail with. `Invalid`, `NotFound`, `Forbidden` and `NotAuthor` carry text
/// that is safe and useful to show the person who asked; `Store` is for the log, never for a chat
/// reply.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(String),
    #[error("there is no entry #{0} in this server")]
    NotFound(EntryId),
    #[error("{0}")]
    Forbidden(String),
    /// The entry exists but its row cannot be decoded (the log says why, by its id); it can
    /// still be deleted.
    #[error("entry #{0} could not be read (it can still be deleted)")]
    Unreadable(EntryId),
    /// Only the entry's author or an admin may `verb` it. The author's name is kept apart from
    /// the sentence because it is a person's own text: each front end escapes it for its markup.
    #[error("only {author} (who wrote entry #{entry}) or an admin can {verb} it")]
    NotAuthor { entry: EntryId, author: String, verb: &'static str },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not write the output: {0}")]
    Io(#[from] std::io::Error),
    /// A refusal, as `Invalid`, that hands the person's own text back to copy into a new try:
    /// shown whole, logged as `reason` alone (see `loggable`), as that text may be a note.
    #[error("{reason}\n\n{returned}")]
    Returned { reason: String, returned: String },
}

impl ServiceError {
    pub fn invalid(message: impl std::fmt::Display) -> Self {
        ServiceError::Invalid(message.to_string())
    }

    /// Whether the person who asked can fix it (and so should see the message).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ServiceError::Store(_) | ServiceError::Io(_))
    }

    /// The error as the log may hold it: everything but text handed back to the person.
    pub fn loggable(&self) -> String {
        match self {
            ServiceError::Returned { reason, .. } => reason.clone(),
            // A display name is a person's own text: the entry and the verb are enough to go on.
            ServiceError::NotAuthor { entry, verb, .. } => {
                format!("only the author of entry #{entry} or an admin can {verb} it")
            }
            other => other.to_string(),
        }
    }

    /// Whether the database could not be reached: nobody's fault, and worth trying again shortly.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, ServiceError::Store(StoreError::Unavailable(_)))
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_gets_the_reason_without_a_persons_own_text() {
        let returned = ServiceError::Returned { reason: "no such tag".into(), returned: "my note".into() };
        assert_eq!(returned.loggable(), "no such tag");
        assert!(returned.to_string().contains("my note"), "the person still gets it back");
        let not_author = ServiceError::NotAuthor {
            entry: EntryId(7),
            author: "[x](https://e.example)".into(),
            verb: "edit",
        };
        assert_eq!(not_author.loggable(), "only the author of entry #7 or an admin can edit it");
        assert!(not_author.to_string().contains("[x](https://e.example)"));
    }
}
