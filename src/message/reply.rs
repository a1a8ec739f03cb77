//! What a command handler answers with: a new message, an update of the message a button was on,
//! a form, or autocomplete suggestions. The front end turns it into its chat's response, fitted
//! to the limits first.

use super::limits;
use super::Message;

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
