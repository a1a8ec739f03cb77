//! A message as plain values: text, embeds and buttons, in whatever markup its renderer wrote
//! (see [`Markup`](super::Markup)). Keeping it ours (not a chat library's builders, which cannot be
//! inspected) lets tests read a message, and lets every message be fitted to the limits in one
//! place before it is sent.

use super::limits;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Message {
    pub content: String,
    pub embeds: Vec<Embed>,
    /// Rows of buttons.
    pub buttons: Vec<Vec<Button>>,
    pub ephemeral: bool,
    /// Files sent with the message; each within the upload limit its front end was given (see
    /// [`super::attachments::fit_files`]).
    pub attachments: Vec<Attachment>,
}

impl Message {
    pub fn fitted(self) -> Message {
        limits::fit_message(self)
    }
}

/// A file sent with a message.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

// The bytes are a report's data: a debug print shows their size, never them.
impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment").field("name", &self.name).field("bytes", &self.bytes.len()).finish()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    pub title: String,
    pub description: String,
    pub fields: Vec<Field>,
    pub footer: String,
    pub colour: Option<u32>,
    pub image: Option<Image>,
}

/// What an embed shows as its image. The front end says how its chat points at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Image {
    /// The file of this name sent with the same message.
    Attachment(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

impl Field {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Field { name: name.into(), value: value.into(), inline: false }
    }

    pub fn inline(name: impl Into<String>, value: impl Into<String>) -> Self {
        Field { name: name.into(), value: value.into(), inline: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub custom_id: String,
    pub label: String,
    pub style: ButtonStyle,
    pub disabled: bool,
}

impl Button {
    pub fn new(custom_id: impl Into<String>, label: impl Into<String>, style: ButtonStyle) -> Self {
        Button { custom_id: custom_id.into(), label: label.into(), style, disabled: false }
    }

    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }
}
