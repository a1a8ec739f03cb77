//! `/search`: ranked search with filters, five results a page, Previous/Next buttons. The search
//! is saved in the database so that its buttons keep working after a restart.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::{CommandInteraction, CommandOptionType};

use super::{channel_option, department_option};
use crate::config::Config;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::discord::render;
use crate::message::{Markup, Reply};
use crate::service::search::{save, saved_request, search, SearchRequest};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "search";

/// Saved searches older than this answer that they expired.
const KEEP_DAYS: i64 = 14;

pub fn definition(config: &Config) -> CreateCommand {
    CreateCommand::new(NAME)
        .description("Search what the library has heard")
        .dm_permission(false)
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "query", "Words to look for").max_length(200),
        )
        .add_option(department_option("Only this department"))
        .add_option(channel_option(config, "Only this channel"))
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "tag", "Only entries with this tag")
                .max_length(40),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::User,
            "author",
            "Only entries by this person",
        ))
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "since",
                "From: 2026-09-01, last week, 3 days ago…",
            )
            .max_length(40),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "until",
                "Up to and including: yesterday, 3 Nov…",
            )
            .max_length(40),
        )
}

pub async fn run(app: &App, caller: &Caller, command: &CommandInteraction) -> ServiceResult<Reply> {
    let options = Options(command.data.options());
    let rules = &app.config.rules;
    let department = match options.string("department") {
        Some(d) => Some(rules.departments.resolve(&d).map_err(ServiceError::invalid)?.clone()),
        None => None,
    };
    let channel = match options.string("channel") {
        Some(c) => Some(rules.channels.resolve(&c).map_err(ServiceError::invalid)?.clone()),
        None => None,
    };
    let request = SearchRequest {
        guild: caller.guild,
        text: options.string("query"),
        department,
        channel,
        tag: options.string("tag"),
        author: options.user("author"),
        since: options.string("since"),
        until: options.string("until"),
        page: 0,
        per_page: None,
    };
    // Validate before saving, so a bad date is an error now rather than a saved search that fails.
    crate::service::search::prepare(&app.config.rules, &request, app.now())?;
    let saved = save(app.store.as_ref(), caller.user, &request, app.now()).await?;
    show(app, saved, &request).await
}

/// A Previous/Next press: the saved search, at another page.
pub async fn page(app: &App, caller: &Caller, saved: i64, page: u32) -> ServiceResult<Reply> {
    let max_age = chrono::Duration::days(KEEP_DAYS);
    let store = app.store.as_ref();
    let Some(request) =
        saved_request(store, &app.config.rules, caller.guild, saved, app.now(), max_age).await?
    else {
        return Err(ServiceError::invalid("This search has expired. Run /search again."));
    };
    let request = SearchRequest { page, ..request };
    match show(app, saved, &request).await? {
        Reply::Message(m) => Ok(Reply::Update(m)),
        other => Ok(other),
    }
}

async fn show(app: &App, saved: i64, request: &SearchRequest) -> ServiceResult<Reply> {
    let results = search(app.store.as_ref(), &app.config.rules, request, app.now()).await?;
    let heading = match request.text.as_deref() {
        Some(q) => format!("Search: {}", DiscordMarkup.text(q)),
        None => "Latest entries".to_string(),
    };
    Ok(Reply::Message(render::search_page(&results, saved, &heading, &app.config.rules)))
}
