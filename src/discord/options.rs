//! What an interaction carries, as our own plain values: a command's options, a modal's fields and
//! the message a message command was used on. serenity's resolved options are read here, once;
//! every command's `parse` (and its tests) works on these values, never on serenity's.

use std::collections::HashMap;

use serenity::model::application::{
    ActionRowComponent, CommandInteraction, ModalInteractionData, ResolvedOption, ResolvedTarget,
    ResolvedValue,
};

use crate::domain::ids::UserId;

/// One option's value: only the kinds the commands use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    String(String),
    Integer(i64),
    Boolean(bool),
    User(UserId),
    /// A Discord channel (not one of the catalogue's channels, which are strings).
    Channel(u64),
    /// The chosen subcommand's own options.
    SubCommand(Options),
}

impl From<&str> for OptionValue {
    fn from(s: &str) -> Self {
        OptionValue::String(s.to_string())
    }
}

impl From<i64> for OptionValue {
    fn from(i: i64) -> Self {
        OptionValue::Integer(i)
    }
}

impl From<bool> for OptionValue {
    fn from(b: bool) -> Self {
        OptionValue::Boolean(b)
    }
}

impl From<UserId> for OptionValue {
    fn from(user: UserId) -> Self {
        OptionValue::User(user)
    }
}

impl From<Options> for OptionValue {
    fn from(options: Options) -> Self {
        OptionValue::SubCommand(options)
    }
}

/// A command's options (or a subcommand's) by name, in the order Discord sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options(Vec<(String, OptionValue)>);

impl Options {
    pub fn new() -> Self {
        Options::default()
    }

    /// These options and one more: how tests (and [`Options::resolved`]) build them.
    pub fn with(mut self, name: &str, value: impl Into<OptionValue>) -> Self {
        self.0.push((name.to_string(), value.into()));
        self
    }

    /// serenity's resolved options as ours. A kind no command uses (numbers, roles, attachments,
    /// subcommand groups, values Discord could not resolve) is left out, as if not given.
    pub fn resolved(options: Vec<ResolvedOption<'_>>) -> Self {
        options.into_iter().fold(Options::new(), |options, o| {
            let value = match o.value {
                // An autocompleted option that is submitted arrives as a plain string; this keeps a
                // half-typed one readable too.
                ResolvedValue::String(s) | ResolvedValue::Autocomplete { value: s, .. } => {
                    OptionValue::from(s)
                }
                ResolvedValue::Integer(i) => OptionValue::Integer(i),
                ResolvedValue::Boolean(b) => OptionValue::Boolean(b),
                ResolvedValue::User(user, _) => OptionValue::User(UserId(user.id.get())),
                ResolvedValue::Channel(channel) => OptionValue::Channel(channel.id.get()),
                ResolvedValue::SubCommand(nested) => OptionValue::SubCommand(Options::resolved(nested)),
                _ => return options,
            };
            options.with(o.name, value)
        })
    }

    /// A command interaction's options.
    pub fn of(command: &CommandInteraction) -> Self {
        Options::resolved(command.data.options())
    }

    fn get(&self, name: &str) -> Option<&OptionValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, value)| value)
    }

    /// A string option, trimmed; `None` when absent or blank.
    pub fn string(&self, name: &str) -> Option<String> {
        match self.get(name)? {
            OptionValue::String(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string),
            _ => None,
        }
    }

    pub fn integer(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            OptionValue::Integer(i) => Some(*i),
            _ => None,
        }
    }

    pub fn user(&self, name: &str) -> Option<UserId> {
        match self.get(name)? {
            OptionValue::User(user) => Some(*user),
            _ => None,
        }
    }

    pub fn boolean(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            OptionValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    pub fn channel(&self, name: &str) -> Option<u64> {
        match self.get(name)? {
            OptionValue::Channel(c) => Some(*c),
            _ => None,
        }
    }

    /// The chosen subcommand and its options.
    pub fn subcommand(&self) -> Option<(&str, &Options)> {
        self.0.iter().find_map(|(name, value)| match value {
            OptionValue::SubCommand(options) => Some((name.as_str(), options)),
            _ => None,
        })
    }
}

/// A modal's text inputs by custom id, trimmed (blank ones are absent).
pub type Fields = HashMap<String, String>;

/// A modal's fields as [`Fields`].
pub fn modal_fields(data: &ModalInteractionData) -> Fields {
    data.components
        .iter()
        .flat_map(|row| row.components.iter())
        .filter_map(|c| match c {
            ActionRowComponent::InputText(input) => {
                let value = input.value.as_deref().unwrap_or("").trim();
                (!value.is_empty()).then(|| (input.custom_id.clone(), value.to_string()))
            }
            _ => None,
        })
        .collect()
}

/// The chat message a message command ("Save as intel") was used on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetMessage {
    pub channel_id: u64,
    pub message_id: u64,
    pub content: String,
}

/// `None` when the command names no message serenity could read.
pub fn target_message(command: &CommandInteraction) -> Option<TargetMessage> {
    match command.data.target()? {
        ResolvedTarget::Message(m) => Some(TargetMessage {
            channel_id: m.channel_id.get(),
            message_id: m.id.get(),
            content: m.content.clone(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use serenity::model::application::CommandData;

    /// A slash command's data as Discord sends it, read by serenity as the gateway does.
    fn command(options: serde_json::Value) -> CommandData {
        serde_json::from_value(serde_json::json!({
            "id": "6", "name": "settings", "type": 1, "options": options,
            "resolved": {
                "users": {"42": {"id": "42", "username": "bob", "discriminator": "0", "avatar": null}},
                "channels": {"555": {"id": "555", "name": "digest", "type": 0, "permissions": "0"}}
            }
        }))
        .expect("a command's data")
    }

    #[test]
    fn serenitys_options_become_ours_once_subcommands_included() {
        let interaction = command(serde_json::json!([{
            "name": "digest", "type": 1, "options": [
                {"name": "time", "type": 3, "value": " 10:00 "},
                {"name": "blank", "type": 3, "value": "  "},
                {"name": "enabled", "type": 5, "value": true},
                {"name": "channel", "type": 7, "value": "555"},
                {"name": "id", "type": 4, "value": 12},
                {"name": "author", "type": 6, "value": "42"},
                {"name": "weight", "type": 10, "value": 1.5}
            ]
        }]));
        let options = Options::resolved(interaction.options());
        let (name, sub) = options.subcommand().expect("a subcommand");
        assert_eq!(name, "digest");
        assert_eq!(
            *sub,
            Options::new()
                .with("time", " 10:00 ")
                .with("blank", "  ")
                .with("enabled", true)
                .with("channel", OptionValue::Channel(555))
                .with("id", 12)
                .with("author", UserId(42)),
            "the number, a kind no command uses, is left out"
        );
        assert_eq!(sub.string("time").as_deref(), Some("10:00"), "trimmed");
        assert_eq!(sub.string("blank"), None, "blank is absent");
        assert_eq!((sub.boolean("enabled"), sub.channel("channel")), (Some(true), Some(555)));
        assert_eq!((sub.integer("id"), sub.user("author")), (Some(12), Some(UserId(42))));
        assert_eq!(sub.string("id"), None, "a value of another kind is absent");
        assert_eq!(sub.string("missing"), None);
        assert!(sub.subcommand().is_none());
    }
}
