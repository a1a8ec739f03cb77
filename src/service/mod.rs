//! Use cases: capture, search, entries, follow-ups, statistics, export and import. Each takes the
//! store and the rules it needs, and `now` where time matters, so tests pass a fixed clock. No
//! serenity, no SQL.

pub mod capture;
pub mod clock;
pub mod digest;
pub mod digest_runs;
pub mod entries;
pub mod export;
pub mod filed_under;
pub mod follow_ups;
pub mod import;
pub mod poster;
pub mod record;
pub mod reminders;
pub mod search;
pub mod settings;
pub mod stats;

mod dates;

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
    /// Only the entry's author or an admin may `verb` it. The author's name is kept apart from
    /// the sentence because it is a person's own text: each front end escapes it for its markup.
    #[error("only {author} (who wrote entry #{entry}) or an admin can {verb} it")]
    NotAuthor { entry: EntryId, author: String, verb: &'static str },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not write the output: {0}")]
    Io(#[from] std::io::Error),
}

impl ServiceError {
    pub fn invalid(message: impl std::fmt::Display) -> Self {
        ServiceError::Invalid(message.to_string())
    }

    /// Whether the person who asked can fix it (and so should see the message).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ServiceError::Store(_) | ServiceError::Io(_))
    }

    /// Whether the database could not be reached: nobody's fault, and worth trying again shortly.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, ServiceError::Store(StoreError::Unavailable(_)))
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
