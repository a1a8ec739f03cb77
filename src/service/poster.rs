//! How the scheduler's work leaves the process: messages posted to a channel, and reminders sent
//! to a person. The bot does it over Discord's REST API (`discord::post`); the services decide
//! what to send and when, and keep the record of what went out.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::domain::date_style::DateStyle;
use crate::domain::entry::Entry;
use crate::domain::event::Event;
use crate::domain::ids::{EntryId, UserId};
use crate::message::{Markup, Message};

#[async_trait]
pub trait Poster: Send + Sync {
    /// Posts one message to a channel, with the file (if any) attached; returns its id.
    async fn post(&self, channel: u64, message: Message, file: Option<File>) -> Result<u64, PostError>;

    /// Reminds the owner of the entry's follow-up, privately; returns the message id. `department`
    /// is what the entry's department is called now; `dates`, how its server writes them.
    async fn remind(&self, entry: &Entry, department: &str, dates: DateStyle) -> Result<u64, PostError>;

    /// Hands the entry to a liaison librarian of `department` (what it is called now),
    /// privately, with a way to take it on; returns the message id. A poster that cannot send
    /// private messages refuses for good, so the digest lists the hand-off instead.
    async fn hand_off(&self, liaison: UserId, entry: &Entry, department: &str) -> Result<u64, PostError> {
        let _ = (liaison, department);
        Err(PostError {
            message: format!("entry #{}: this poster sends no private messages", entry.id),
            permanent: true,
        })
    }

    /// Asks an organiser, privately, what happens after `event`; returns the message id. A poster
    /// that cannot send private messages refuses for good, as for hand-offs. `dates`: how the
    /// event's server writes them.
    async fn event_prompt(
        &self,
        organiser: UserId,
        event: &Event,
        dates: DateStyle,
    ) -> Result<u64, PostError> {
        let _ = (organiser, dates);
        Err(PostError {
            message: format!("event {}: this poster sends no private messages", event.id),
            permanent: true,
        })
    }

    /// Tells the owner of a follow-up, privately, that someone else heard about the same thing
    /// (`heard`); returns the message id. A poster that cannot send private messages refuses for
    /// good, as for hand-offs.
    async fn related_notice(&self, owner: UserId, heard: &Heard) -> Result<u64, PostError> {
        let _ = owner;
        Err(PostError {
            message: format!("entry #{}: this poster sends no private messages", heard.follow_up),
            permanent: true,
        })
    }

    /// The markup of the chat this poster posts to: what a service writes into a message or a
    /// notice meant for that chat is written with it.
    fn markup(&self) -> &dyn Markup;
}

/// A file sent with a message, shown by an embed whose image is `Image::Attachment(NAME)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a post failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostError {
    pub message: String,
    /// Discord refused for good (a channel gone or forbidden, a person's DMs closed): retrying
    /// cannot help until someone acts.
    pub permanent: bool,
}

/// When the new entry of a related notice (`service::related_notices`) was heard, as the owner reads it on the day they are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeardOn {
    Today,
    Yesterday,
    Day(NaiveDate),
}

/// What the owner is told: everything the DM says, resolved; the chat layer renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heard {
    /// The new entry: a team entry, so the owner may open it.
    pub entry: Entry,
    /// The owner's follow-up it concerns.
    pub follow_up: EntryId,
    /// The new entry's department, as it is called now.
    pub department: String,
    /// The channel it was heard through, as it is called now.
    pub channel: String,
    pub on: HeardOn,
    /// How the server writes dates.
    pub dates: DateStyle,
}
