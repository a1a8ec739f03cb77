//! `/followups scope department`: open follow-ups, overdue first, each with a Done button; and
//! the Done button of a reminder sent by DM.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::department_option;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::DepartmentRef;
use crate::discord::options::Options;
use crate::discord::render;
use crate::domain::department::Department;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::rules::Rules;
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

/// Whose follow-ups, and of which department.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpsRequest {
    /// Everyone's, not only the caller's.
    pub all: bool,
    pub department: Option<Department>,
}

/// A Done press: the follow-up, and the list to show again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneRequest {
    pub entry: EntryId,
    pub list: FollowUpsRequest,
}

pub fn parse(options: &Options, rules: &Rules) -> Result<FollowUpsRequest, ServiceError> {
    let department = match options.string("department") {
        Some(d) => Some(rules.departments.resolve(&d).map_err(ServiceError::invalid)?.clone()),
        None => None,
    };
    Ok(FollowUpsRequest { all: options.string("scope").as_deref() == Some("all"), department })
}

pub async fn handle(app: &App, caller: &Caller, request: FollowUpsRequest) -> ServiceResult<Reply> {
    list(app, caller, &request).await.map(Reply::Message)
}

/// A Done button's id made a request. A department gone from the config since the list was shown
/// lists every department, as there is no other to go by.
pub fn parse_done(
    entry: EntryId,
    all: bool,
    department: Option<&DepartmentRef>,
    rules: &Rules,
) -> DoneRequest {
    let department = department.and_then(|d| d.resolve(&rules.departments)).cloned();
    DoneRequest { entry, list: FollowUpsRequest { all, department } }
}

/// Marks it done, then shows the list again with the same filter, in place.
pub async fn handle_done(app: &App, caller: &Caller, request: DoneRequest) -> ServiceResult<Reply> {
    mark_done(app.store.as_ref(), caller.guild, request.entry, caller.actor(), app.now()).await?;
    let mut message = list(app, caller, &request.list).await?;
    message.content = format!("Marked the follow-up on #{} done.", request.entry);
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

async fn list(app: &App, caller: &Caller, request: &FollowUpsRequest) -> ServiceResult<Message> {
    let rules = &app.config.rules;
    let filter = FollowUpRequest {
        guild: caller.guild,
        owner: (!request.all).then_some(caller.user),
        department: request.department.clone(),
        overdue_only: false,
    };
    let now = app.now();
    let entries = open(app.store.as_ref(), rules, &filter, now).await?;
    let department = request.department.as_ref();
    Ok(render::follow_ups(
        &entries,
        rules,
        rules.today(now),
        request.all,
        department,
        caller.actor(),
        caller.dates,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::{department, refusal, rules};
    use crate::domain::department::DepartmentKey;

    #[test]
    fn scope_and_department_make_the_filter() {
        let rules = rules();
        assert_eq!(
            parse(&Options::new(), &rules).unwrap(),
            FollowUpsRequest::default(),
            "mine, all departments"
        );
        let options = Options::new().with("scope", "all").with("department", "physics and astronomy");
        assert_eq!(
            parse(&options, &rules).unwrap(),
            FollowUpsRequest { all: true, department: Some(department(&rules, "Physics")) }
        );
        let mine = Options::new().with("scope", "mine");
        assert!(!parse(&mine, &rules).unwrap().all);
    }

    #[test]
    fn a_department_that_does_not_resolve_is_refused() {
        let text = refusal(parse(&Options::new().with("department", "Alchemy"), &rules()));
        assert!(text.starts_with("no department called \"Alchemy\""), "{text}");
    }

    #[test]
    fn a_done_button_lists_again_with_its_filter_or_every_department_once_its_one_is_gone() {
        let rules = rules();
        let physics = department(&rules, "Physics");
        let done = parse_done(EntryId(2), true, Some(&DepartmentRef::of(&physics)), &rules);
        assert_eq!(
            done,
            DoneRequest {
                entry: EntryId(2),
                list: FollowUpsRequest { all: true, department: Some(physics) }
            }
        );
        let gone = DepartmentRef::Key(DepartmentKey::from_stored("Alchemy"));
        assert_eq!(parse_done(EntryId(2), false, Some(&gone), &rules).list, FollowUpsRequest::default());
        assert_eq!(parse_done(EntryId(2), false, None, &rules).list, FollowUpsRequest::default());
    }
}
