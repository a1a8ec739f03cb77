//! Every command the bot offers, one module each, and the routing from an interaction to the
//! module that owns it: slash and context-menu commands by name, buttons and forms by the action
//! in their custom id.

pub mod digest;
pub mod entry;
pub mod follow_ups;
pub mod intel;
pub mod save_as_intel;
pub mod search;
pub mod settings;
pub mod stats;

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::{
    CommandInteraction, CommandOptionType, ComponentInteraction, ModalInteraction,
};

use super::app::App;
use super::caller::Caller;
use super::custom_id::Action;
use crate::config::Config;
use crate::message::Reply;
use crate::service::{ServiceError, ServiceResult};

/// All commands, for one bulk registration.
pub fn definitions(config: &Config) -> Vec<CreateCommand> {
    vec![
        intel::definition(config),
        save_as_intel::definition(),
        search::definition(config),
        entry::definition(),
        follow_ups::definition(),
        stats::definition(),
        settings::definition(),
        digest::definition(),
    ]
}

pub async fn run_command(app: &App, caller: &Caller, command: &CommandInteraction) -> ServiceResult<Reply> {
    match command.data.name.as_str() {
        intel::NAME => intel::run(app, caller, command).await,
        save_as_intel::NAME => save_as_intel::run(app, command),
        search::NAME => search::run(app, caller, command).await,
        entry::NAME => entry::run(app, caller, command).await,
        follow_ups::NAME => follow_ups::run(app, caller, command).await,
        stats::NAME => stats::run(app, caller, command).await,
        settings::NAME => settings::run(app, caller, command).await,
        digest::NAME => digest::run(app, caller, command).await,
        other => Err(unknown(other)),
    }
}

/// Department autocomplete is the same wherever a `department` option is.
pub fn autocomplete(app: &App, command: &CommandInteraction) -> Reply {
    let Some(focused) = command.data.autocomplete() else { return Reply::Choices(Vec::new()) };
    if focused.name == settings::TIMEZONE {
        let zones = crate::service::settings::timezone_choices(focused.value);
        return Reply::Choices(zones.into_iter().map(|z| (z.to_string(), z.to_string())).collect());
    }
    if focused.name != DEPARTMENT {
        return Reply::Choices(Vec::new());
    }
    let names = app.config.rules.departments.autocomplete(focused.value, 25);
    Reply::Choices(names.into_iter().map(|n| (n.to_string(), n.to_string())).collect())
}

pub async fn run_component(
    app: &App,
    caller: &Caller,
    component: &ComponentInteraction,
) -> ServiceResult<Reply> {
    match Action::parse(&component.data.custom_id) {
        Some(Action::SearchPage { search, page }) => search::page(app, caller, search, page).await,
        Some(Action::ConfirmDelete(id)) => entry::confirm_delete(app, caller, id).await,
        Some(Action::CancelDelete(id)) => Ok(entry::cancel_delete(id)),
        Some(Action::FollowUpDone { entry, all, department }) => {
            follow_ups::done(app, caller, entry, all, department.as_ref()).await
        }
        _ => Err(expired()),
    }
}

pub async fn run_modal(app: &App, caller: &Caller, modal: &ModalInteraction) -> ServiceResult<Reply> {
    match Action::parse(&modal.data.custom_id) {
        Some(Action::IntelForm { department, channel }) => {
            intel::submit(app, caller, &department, &channel, &modal.data).await
        }
        Some(Action::SaveForm { channel_id, message_id }) => {
            save_as_intel::submit(app, caller, channel_id, message_id, &modal.data).await
        }
        Some(Action::EditForm(id)) => entry::submit_edit(app, caller, id, &modal.data).await,
        _ => Err(expired()),
    }
}

/// The name of the option every command autocompletes.
pub const DEPARTMENT: &str = "department";

fn department_option(description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, DEPARTMENT, description)
        .set_autocomplete(true)
        .max_length(100)
}

fn channel_option(config: &Config, description: &str) -> CreateCommandOption {
    config
        .rules
        .channels
        .iter()
        .fold(CreateCommandOption::new(CommandOptionType::String, "channel", description), |option, c| {
            option.add_string_choice(c.name(), c.key().as_str())
        })
}

fn unknown(name: &str) -> ServiceError {
    ServiceError::invalid(format!(
        "I don't know the command \"{name}\" any more; Discord may still be showing an old list."
    ))
}

fn expired() -> ServiceError {
    ServiceError::invalid("This button or form is from an older version of liaison. Run the command again.")
}
