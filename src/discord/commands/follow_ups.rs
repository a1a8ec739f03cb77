//! `/followups scope department`: open follow-ups, overdue first, each with a Done button; and
//! the Done button of a reminder sent by DM.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::{CommandInteraction, CommandOptionType};

use super::department_option;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::DepartmentRef;
use crate::discord::options::Options;
use crate::discord::render;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::message::{Message, Reply};
use crate::service::entries::Actor;
use crate::service::follow_ups::{mark_done, open, FollowUpRequest};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "followups";

pub fn definition() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("Open follow-ups, overdue first")
        .dm_permission(false)
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "scope", "Yours or everyone's")
                .add_string_choice("mine", "mine")
                .add_string_choice("all", "all"),
        )
        .add_option(department_option("Only this department"))
}

pub async fn run(app: &App, caller: &Caller, command: &CommandInteraction) -> ServiceResult<Reply> {
    let options = Options(command.data.options());
    let all = options.string("scope").as_deref() == Some("all");
    let department = match options.string("department") {
        Some(d) => {
            let department = app.config.rules.departments.resolve(&d).map_err(ServiceError::invalid)?;
            Some(DepartmentRef::of(department))
        }
        None => None,
    };
    list(app, caller, all, department.as_ref()).await.map(Reply::Message)
}

/// A Done press: mark it, then show the list again with the same filter, in place.
pub async fn done(
    app: &App,
    caller: &Caller,
    entry: EntryId,
    all: bool,
    department: Option<&DepartmentRef>,
) -> ServiceResult<Reply> {
    mark_done(app.store.as_ref(), caller.guild, entry, caller.actor(), app.now()).await?;
    let mut message = list(app, caller, all, department).await?;
    message.content = format!("Marked the follow-up on #{entry} done.");
    Ok(Reply::Update(message))
}

/// Done, pressed on a reminder in a DM: closes the follow-up and turns the reminder into a note
/// that it is done.
pub async fn reminder_done(app: &App, user: UserId, guild: GuildId, entry: EntryId) -> ServiceResult<Reply> {
    let actor = Actor { id: user, is_admin: false };
    mark_done(app.store.as_ref(), guild, entry, actor, app.now()).await?;
    Ok(Reply::Update(Message {
        content: format!("Done: the follow-up on #{entry} is closed. Thank you."),
        ..Message::default()
    }))
}

async fn list(
    app: &App,
    caller: &Caller,
    all: bool,
    department: Option<&DepartmentRef>,
) -> ServiceResult<Message> {
    let rules = &app.config.rules;
    let request = FollowUpRequest {
        guild: caller.guild,
        owner: (!all).then_some(caller.user),
        department: department.and_then(|d| d.resolve(&rules.departments)).cloned(),
        overdue_only: false,
    };
    let now = app.now();
    let entries = open(app.store.as_ref(), rules, &request, now).await?;
    Ok(render::follow_ups(&entries, rules, rules.today(now), all, department))
}
