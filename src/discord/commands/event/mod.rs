//! `/event add|show|list`: the events the library organises. One file per subcommand; this one
//! holds the definition, the dispatch and the `event` option that names one (autocompleted from
//! recent and upcoming events, wherever it is asked for).

pub mod add;
pub mod list;
pub mod prompt;
pub mod show;

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::department_option;
use super::partner::{escaped, partner_option};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::domain::event::{EventChoice, MAX_NAME_CHARS, MAX_PLACE_CHARS};
use crate::domain::rules::Rules;
use crate::message::{Markup, Reply};
use crate::service::events;
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "event";

/// The option that names an existing event, wherever it is (`/event show`, `/intel`).
pub const EVENT_OPTION: &str = "event";

/// A string option naming an existing event, autocompleted; a picked choice sends the event's id.
pub fn event_option(description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, EVENT_OPTION, description)
        .set_autocomplete(true)
        .max_length(100)
}

fn text_option(name: &str, description: &str, max: usize) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, name, description).max_length(max as u16)
}

fn sub(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::SubCommand, name, description)
}

pub fn definition() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("Events the library organises, and what happens after them")
        .dm_permission(false)
        .add_option(
            sub("add", "Add an event (you organise it, unless you name an organiser)")
                .add_sub_option(text_option("name", "What it is called", MAX_NAME_CHARS).required(true))
                .add_sub_option(
                    text_option("date", "When it starts: today, friday, 3 Dec, 2026-12-03…", 40)
                        .required(true),
                )
                .add_sub_option(text_option("end", "Its last day, if it runs over several", 40))
                .add_sub_option(partner_option("partner", "A partner it is run with or for"))
                .add_sub_option(department_option("The department it is for"))
                .add_sub_option(CreateCommandOption::new(
                    CommandOptionType::User,
                    "organiser",
                    "Who organises it (you, if left out)",
                ))
                .add_sub_option(text_option("place", "Where it takes place", MAX_PLACE_CHARS)),
        )
        .add_option(
            sub("show", "An event: details, organisers, what was heard there and the follow-ups decided")
                .add_sub_option(event_option("Which event").required(true)),
        )
        .add_option(
            sub("list", "Upcoming or past events").add_sub_option(
                CreateCommandOption::new(CommandOptionType::String, "which", "Upcoming (default) or past")
                    .add_string_choice("upcoming", "upcoming")
                    .add_string_choice("past", "past"),
            ),
        )
}

/// An `/event` subcommand with its options read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventRequest {
    Add(add::AddRequest),
    Show(String),
    List(events::Which),
}

pub fn parse(options: &Options, rules: &Rules) -> Result<EventRequest, ServiceError> {
    let Some((sub, options)) = options.subcommand() else {
        return Err(ServiceError::invalid("Choose add, show or list."));
    };
    match sub {
        "add" => Ok(EventRequest::Add(add::parse(options, rules)?)),
        "show" => Ok(EventRequest::Show(options.string(EVENT_OPTION).unwrap_or_default())),
        "list" => Ok(EventRequest::List(list::parse(options)?)),
        other => Err(ServiceError::invalid(format!("There is no /event {}.", DiscordMarkup.text(other)))),
    }
}

pub async fn handle(app: &App, caller: &Caller, request: EventRequest) -> ServiceResult<Reply> {
    match request {
        EventRequest::Add(request) => add::handle(app, caller, request).await,
        EventRequest::Show(typed) => show::handle(app, caller, &typed).await,
        EventRequest::List(which) => list::handle(app, caller, which).await,
    }
}

/// Recent and upcoming events for a half-typed name, as Discord's choices: the label (name and
/// dates) shown, the id sent.
pub async fn autocomplete(app: &App, caller: &Caller, partial: &str) -> Reply {
    let limit = crate::message::limits::CHOICES_MAX;
    let rules = &app.config.rules;
    match events::autocomplete(app.store.as_ref(), rules, caller.guild, partial, limit, app.now()).await {
        Ok(found) => Reply::Choices(found.iter().map(|c| (c.label(), c.id.to_string())).collect()),
        // Autocomplete cannot show an error: no suggestions, and the log says why.
        Err(e) => {
            tracing::warn!(error = %e.loggable(), "event autocomplete failed");
            Reply::Choices(Vec::new())
        }
    }
}

/// The event a typed or picked value names (`Invalid`, with the closest, when none does), escaped.
pub async fn resolve(app: &App, caller: &Caller, typed: &str) -> ServiceResult<EventChoice> {
    events::resolve(app.store.as_ref(), &app.config.rules, caller.guild, typed, app.now())
        .await
        .map_err(escaped)
}
