//! Every command the bot offers, one module each, and the routing from an interaction to the
//! module that owns it: slash and context-menu commands by name, buttons and forms by the action
//! in their custom id.
//!
//! Each module answers in two steps. `parse` turns the interaction's options (read out of
//! serenity once, into [`Options`]) into a typed request, refusing bad ones as user errors;
//! `handle(app, caller, request)` runs the use case in `service` and renders the [`Reply`]. Forms
//! (`parse_form`/`handle_form`, `parse_edit`/`handle_edit`) and buttons with state to read
//! (`parse_done`/`handle_done`) go the same way. No serenity type goes past the `run_*` functions
//! here: they read the interaction and hand our own values to `route_*`, so the routing, every
//! `parse` and every `handle` are tested as functions, without Discord.

mod choices;
pub mod digest;
pub mod entry;
pub mod event;
pub mod follow_ups;
pub mod hand_offs;
pub mod help;
pub mod impact;
pub mod intel;
pub mod partner;
pub mod privacy;
pub mod report;
pub mod save_as_intel;
pub mod search;
pub mod settings;
pub mod stats;

#[cfg(test)]
mod fixtures;

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::{
    CommandInteraction, CommandOptionType, ComponentInteraction, ModalInteraction,
};

use super::app::App;
use super::caller::Caller;
use super::custom_id::Action;
use super::notices;
use super::options::{modal_fields, target_message, Fields, Options, TargetMessage};
use crate::domain::channel::Channel;
use crate::domain::department::Department;
use crate::domain::rules::Rules;
use crate::message::Reply;
use crate::service::{ServiceError, ServiceResult};

/// All commands, for one bulk registration.
pub fn definitions() -> Vec<CreateCommand> {
    vec![
        intel::definition(),
        save_as_intel::definition(),
        search::definition(),
        entry::definition(),
        follow_ups::definition(),
        stats::definition(),
        settings::definition(),
        digest::definition(),
        privacy::definition(),
        partner::definition(),
        event::definition(),
        report::definition(),
        help::definition(),
    ]
}

pub async fn run_command(app: &App, caller: &Caller, command: &CommandInteraction) -> ServiceResult<Reply> {
    let target = target_message(command);
    route_command(app, caller, &command.data.name, &Options::of(command), target.as_ref()).await
}

/// A command by name, with its options (and, for a message command, its message). A private
/// answer also tells the caller of reminders Discord refused to DM them.
pub async fn route_command(
    app: &App,
    caller: &Caller,
    name: &str,
    options: &Options,
    target: Option<&TargetMessage>,
) -> ServiceResult<Reply> {
    let reply = answer_command(app, caller, name, options, target).await?;
    Ok(notices::add_to(app, caller, reply).await)
}

async fn answer_command(
    app: &App,
    caller: &Caller,
    name: &str,
    options: &Options,
    target: Option<&TargetMessage>,
) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    match name {
        intel::NAME => intel::handle(app, caller, intel::parse(options, rules)?).await,
        save_as_intel::NAME => Ok(save_as_intel::handle(app, caller, save_as_intel::parse(target)?).await),
        search::NAME => search::handle(app, caller, search::parse(options, rules)?).await,
        entry::NAME => entry::handle(app, caller, entry::parse(options, rules, app.now())?).await,
        follow_ups::NAME => follow_ups::handle(app, caller, follow_ups::parse(options, rules)?).await,
        stats::NAME => {
            stats::handle(app, caller, stats::parse(options, rules, rules.today(app.now()))?).await
        }
        settings::NAME => settings::handle(app, caller, settings::parse(options)?).await,
        digest::NAME => digest::handle(app, caller, digest::parse(options)?).await,
        privacy::NAME => privacy::handle(app, caller, privacy::parse(options)?).await,
        partner::NAME => partner::handle(app, caller, partner::parse(options, rules)?).await,
        event::NAME => event::handle(app, caller, event::parse(options, rules)?).await,
        report::NAME => {
            report::handle(app, caller, report::parse(options, rules, rules.today(app.now()))?).await
        }
        help::NAME => help::handle(help::parse(options)?),
        other => Err(unknown(other)),
    }
}

pub async fn run_autocomplete(app: &App, caller: &Caller, command: &CommandInteraction) -> Reply {
    let Some(focused) = command.data.autocomplete() else { return Reply::Choices(Vec::new()) };
    autocomplete(app, caller, focused.name, focused.value).await
}

/// Suggestions for the option being typed, by its name: the same wherever a department or a
/// partner is asked for.
pub async fn autocomplete(app: &App, caller: &Caller, option: &str, typed: &str) -> Reply {
    if option == settings::TIMEZONE {
        let zones = crate::service::settings::timezone_choices(typed);
        return Reply::Choices(zones.into_iter().map(|z| (z.to_string(), z.to_string())).collect());
    }
    if option == event::EVENT_OPTION {
        return event::autocomplete(app, caller, typed).await;
    }
    if partner::PARTNER_OPTIONS.contains(&option) {
        return partner::autocomplete(app, caller, typed).await;
    }
    if option == CHANNEL {
        return choices::channels(app, typed);
    }
    if option == intel::TAGS || option == search::TAG {
        return choices::tags(app, caller, typed, option == intel::TAGS).await;
    }
    if option != DEPARTMENT && option != partner::ALSO_DEPARTMENT {
        return Reply::Choices(Vec::new());
    }
    let names = app.config.rules.departments.autocomplete(typed, 25);
    Reply::Choices(names.into_iter().map(|n| (n.to_string(), n.to_string())).collect())
}

pub async fn run_component(
    app: &App,
    caller: &Caller,
    component: &ComponentInteraction,
) -> ServiceResult<Reply> {
    route_button(app, caller, &component.data.custom_id).await
}

/// A button press, by the action its custom id carries.
pub async fn route_button(app: &App, caller: &Caller, custom_id: &str) -> ServiceResult<Reply> {
    match Action::parse(custom_id) {
        Some(Action::SearchPage { search, page }) => search::handle_page(app, caller, search, page).await,
        Some(Action::ConfirmDelete(id)) => entry::confirm_delete(app, caller, id).await,
        Some(Action::CancelDelete(id)) => Ok(entry::cancel_delete(id)),
        Some(Action::ConfirmErase(pending)) => privacy::confirm_erase(app, caller, pending).await,
        Some(Action::CancelErase(pending)) => privacy::cancel_erase(app, caller, pending).await,
        Some(Action::PartnerPage { partner, page }) => {
            partner::show::handle_page(app, caller, partner, page).await
        }
        Some(Action::PartnerList(state)) => partner::list::handle_page(app, caller, state).await,
        Some(Action::AddPartnerAnyway(pending)) => partner::add::add_anyway(app, caller, pending).await,
        Some(Action::MarkImpact(entry)) => impact::open_form(app, caller, entry).await,
        Some(Action::RemoveImpact(entry)) => impact::remove(app, caller, entry).await,
        Some(Action::FollowUpDone { entry, all, department }) => {
            let request = follow_ups::parse_done(entry, all, department.as_ref(), &app.config.rules);
            follow_ups::handle_done(app, caller, request).await
        }
        _ => Err(expired()),
    }
}

pub async fn run_modal(app: &App, caller: &Caller, modal: &ModalInteraction) -> ServiceResult<Reply> {
    route_form(app, caller, &modal.data.custom_id, &modal_fields(&modal.data)).await
}

/// A form's submit, by the action its custom id carries, with its fields.
pub async fn route_form(
    app: &App,
    caller: &Caller,
    custom_id: &str,
    fields: &Fields,
) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    match Action::parse(custom_id) {
        Some(Action::IntelForm { department, channel, once, share, also, hand_off }) => {
            let form = intel::FormState { department, channel, share, also, hand_off };
            let submitted = intel::parse_form(&form, fields, rules)?;
            intel::handle_form(app, caller, submitted, once).await
        }
        // "Save as intel"'s form is saved as /intel's is.
        Some(Action::SaveForm { channel_id, message_id, once }) => {
            let message = intel::SourceMessage { channel_id, message_id };
            intel::handle_form(app, caller, save_as_intel::parse_form(message, fields, rules)?, once).await
        }
        Some(Action::EditForm(id)) => {
            entry::handle_edit(app, caller, entry::parse_edit(id, fields, rules, false)?).await
        }
        Some(Action::EditWithLinks(id)) => {
            entry::handle_edit(app, caller, entry::parse_edit(id, fields, rules, true)?).await
        }
        Some(Action::EventIntelForm { guild, event, channel, once }) => {
            intel::event_form::handle(app, caller, (guild, event, channel, once), fields).await
        }
        Some(Action::PartnerEditForm(state)) => {
            let submit = partner::edit::parse_form(state, fields, rules)?;
            partner::edit::handle_form(app, caller, submit).await
        }
        Some(Action::ImpactForm(entry)) => {
            impact::handle_form(app, caller, impact::parse_form(entry, fields)).await
        }
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

/// The name of the option naming how intel reached us, wherever it is asked for.
pub const CHANNEL: &str = "channel";

/// Autocompleted rather than a fixed list of choices, so that a near miss typed anyway is met with
/// "did you mean", as a department's is.
fn channel_option(description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, CHANNEL, description)
        .set_autocomplete(true)
        .max_length(100)
}

/// The department option, resolved through the catalogue, if one was given.
fn department_of(options: &Options, rules: &Rules) -> Result<Option<Department>, ServiceError> {
    let named = options.string(DEPARTMENT);
    named.map(|d| rules.departments.resolve(&d).cloned().map_err(ServiceError::invalid)).transpose()
}

/// The channel option, resolved through the catalogue (with "did you mean"), if one was given.
fn channel_of(options: &Options, rules: &Rules) -> Result<Option<Channel>, ServiceError> {
    let named = options.string(CHANNEL);
    named.map(|c| rules.channels.resolve(&c).cloned().map_err(ServiceError::invalid)).transpose()
}

fn unknown(name: &str) -> ServiceError {
    ServiceError::invalid(format!(
        "I don't know the command \"{name}\" any more; Discord may still be showing an old list."
    ))
}

fn expired() -> ServiceError {
    ServiceError::invalid("This button or form is from an older version of liaison. Run the command again.")
}
