//! What a command handler returns: a plain value that the transport turns into an interaction
//! response. Keeping it ours (not serenity's builders, which cannot be inspected) lets tests read
//! a reply, and lets every reply be fitted to Discord's limits in one place before it is sent.

use super::limits;

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A new message (interaction callback type 4).
    Message(Message),
    /// Replaces the message a button was on (callback type 7).
    Update(Message),
    /// A form (callback type 9).
    Modal(Modal),
    /// Autocomplete suggestions (callback type 8): (name shown, value sent).
    Choices(Vec<(String, String)>),
}

impl Reply {
    /// An ephemeral text message: what errors and confirmations use.
    pub fn private(content: impl Into<String>) -> Reply {
        Reply::Message(Message { content: content.into(), ephemeral: true, ..Message::default() })
    }

    /// The same reply with every part fitted to Discord's limits.
    pub fn fitted(self) -> Reply {
        match self {
            Reply::Message(m) => Reply::Message(m.fitted()),
            Reply::Update(m) => Reply::Update(m.fitted()),
            Reply::Modal(m) => Reply::Modal(m.fitted()),
            Reply::Choices(c) => Reply::Choices(limits::fit_choices(c)),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Message {
    pub content: String,
    pub embeds: Vec<Embed>,
    /// Rows of buttons.
    pub buttons: Vec<Vec<Button>>,
    pub ephemeral: bool,
}

impl Message {
    pub fn fitted(self) -> Message {
        limits::fit_message(self)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    pub title: String,
    pub description: String,
    pub fields: Vec<Field>,
    pub footer: String,
    pub colour: Option<u32>,
    /// An image URL; `attachment://NAME` shows a file sent with the message.
    pub image: Option<String>,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modal {
    pub custom_id: String,
    pub title: String,
    pub inputs: Vec<TextInput>,
}

impl Modal {
    pub fn fitted(self) -> Modal {
        limits::fit_modal(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    pub custom_id: String,
    pub label: String,
    /// A multi-line box rather than one line.
    pub paragraph: bool,
    pub value: String,
    pub placeholder: String,
    pub required: bool,
    pub max_length: u16,
}

impl TextInput {
    pub fn line(custom_id: &str, label: &str) -> Self {
        TextInput {
            custom_id: custom_id.into(),
            label: label.into(),
            paragraph: false,
            value: String::new(),
            placeholder: String::new(),
            required: false,
            max_length: 100,
        }
    }

    pub fn paragraph(custom_id: &str, label: &str) -> Self {
        TextInput { paragraph: true, max_length: limits::TEXT_INPUT_MAX, ..TextInput::line(custom_id, label) }
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    pub fn placeholder(mut self, placeholder: impl Into<String>) -> Self {
        self.placeholder = placeholder.into();
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn max_length(mut self, max: u16) -> Self {
        self.max_length = max;
        self
    }
}
