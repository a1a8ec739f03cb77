//! Reading a command's options and a modal's fields by name.

use std::collections::HashMap;

use serenity::model::application::{ActionRowComponent, ModalInteractionData, ResolvedOption, ResolvedValue};

use crate::domain::ids::UserId;

/// A command's options (or a subcommand's), resolved by serenity.
pub struct Options<'a>(pub Vec<ResolvedOption<'a>>);

impl<'a> Options<'a> {
    fn get(&self, name: &str) -> Option<&ResolvedValue<'a>> {
        self.0.iter().find(|o| o.name == name).map(|o| &o.value)
    }

    /// A string option, trimmed; `None` when absent or blank.
    pub fn string(&self, name: &str) -> Option<String> {
        match self.get(name)? {
            ResolvedValue::String(s) | ResolvedValue::Autocomplete { value: s, .. } => {
                Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string)
            }
            _ => None,
        }
    }

    pub fn integer(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            ResolvedValue::Integer(i) => Some(*i),
            _ => None,
        }
    }

    pub fn user(&self, name: &str) -> Option<UserId> {
        match self.get(name)? {
            ResolvedValue::User(user, _) => Some(UserId(user.id.get())),
            _ => None,
        }
    }

    pub fn boolean(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            ResolvedValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    pub fn channel(&self, name: &str) -> Option<u64> {
        match self.get(name)? {
            ResolvedValue::Channel(c) => Some(c.id.get()),
            _ => None,
        }
    }

    /// The chosen subcommand and its options.
    pub fn subcommand(self) -> Option<(&'a str, Options<'a>)> {
        self.0.into_iter().find_map(|o| match o.value {
            ResolvedValue::SubCommand(options) => Some((o.name, Options(options))),
            _ => None,
        })
    }
}

/// A modal's text inputs by custom id, trimmed (blank ones are absent).
pub fn modal_fields(data: &ModalInteractionData) -> HashMap<String, String> {
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
