//! `/partner add|show|edit|list|merge`: the people, organisations, teams and groups the library
//! works with. One file per subcommand; this one holds the definition, the dispatch and what they
//! share (the partner options, which all autocomplete, and reading a typed partner name).

pub mod add;
pub mod edit;
pub mod list;
pub mod merge;
pub mod show;

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::department_option;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::domain::department::Department;
use crate::domain::partner::{PartnerKind, PartnerLink, PartnerStatus, MAX_NAME_CHARS};
use crate::domain::rules::Rules;
use crate::message::{Markup, Reply};
use crate::service::partners::{self, Actor};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "partner";

/// The options that name an existing partner: each autocompletes from the guild's partners.
pub const PARTNER_OPTIONS: [&str; 4] = ["partner", "partner2", "from", "into"];

/// A string option naming an existing partner, autocompleted.
pub fn partner_option(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, name, description)
        .set_autocomplete(true)
        .max_length(MAX_NAME_CHARS as u16)
}

fn kind_option(description: &str) -> CreateCommandOption {
    PartnerKind::ALL
        .iter()
        .fold(CreateCommandOption::new(CommandOptionType::String, "kind", description), |option, kind| {
            option.add_string_choice(kind.as_str(), kind.as_str())
        })
}

fn status_option(description: &str) -> CreateCommandOption {
    [PartnerStatus::Active, PartnerStatus::Dormant]
        .iter()
        .fold(CreateCommandOption::new(CommandOptionType::String, "status", description), |option, status| {
            option.add_string_choice(status.as_str(), status.as_str())
        })
}

fn user_option(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::User, name, description)
}

fn sub(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::SubCommand, name, description)
}

pub fn definition() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("The people, organisations, teams and groups the library works with")
        .dm_permission(false)
        .add_option(
            sub("add", "Add a partner (a close existing name is offered first)")
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::String, "name", "Their name")
                        .required(true)
                        .max_length(MAX_NAME_CHARS as u16),
                )
                .add_sub_option(kind_option("A person, an organisation, a team or a group").required(true))
                .add_sub_option(department_option("The department they belong to or work with"))
                .add_sub_option(also_department_option())
                .add_sub_option(user_option("owner", "Who looks after them (you, if left out)"))
                .add_sub_option(user_option("co_owner", "Someone else who looks after them"))
                .add_sub_option(notes_option())
                .add_sub_option(link_option()),
        )
        .add_option(
            sub("show", "A partner's profile, owners, entries, open follow-ups and activity")
                .add_sub_option(partner_option("partner", "Which partner").required(true)),
        )
        .add_option(
            sub("edit", "Edit a partner in a form (its owners and admins)")
                .add_sub_option(partner_option("partner", "Which partner").required(true))
                .add_sub_option(kind_option("Change what they are"))
                .add_sub_option(user_option("owner", "A new owner"))
                .add_sub_option(user_option("co_owner", "Add a co-owner"))
                .add_sub_option(user_option("remove_co_owner", "Remove a co-owner")),
        )
        .add_option(
            sub("list", "List partners, with filters")
                .add_sub_option(kind_option("Only this kind"))
                .add_sub_option(user_option("owner", "Only partners this member owns or co-owns"))
                .add_sub_option(department_option("Only this department"))
                .add_sub_option(
                    CreateCommandOption::new(
                        CommandOptionType::Integer,
                        "quiet",
                        "Gone quiet: no entry for this many weeks",
                    )
                    .min_int_value(1)
                    .max_int_value(list::MAX_QUIET_WEEKS),
                )
                .add_sub_option(status_option("Only active or only dormant partners")),
        )
        .add_option(
            sub("merge", "Fold one partner into another (admins)")
                .add_sub_option(partner_option("from", "The partner to fold in (it goes)").required(true))
                .add_sub_option(partner_option("into", "The partner that stays").required(true)),
        )
}

/// The name of the option for a second department, wherever it is.
pub const ALSO_DEPARTMENT: &str = "also_department";

pub fn also_department_option() -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, ALSO_DEPARTMENT, "Another department it concerns")
        .set_autocomplete(true)
        .max_length(100)
}

fn notes_option() -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, "notes", "They want / we offer")
        .max_length(crate::domain::partner::MAX_NOTES_CHARS as u16)
}

fn link_option() -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, "link", "A web page about them")
        .max_length(crate::domain::partner::MAX_LINK_CHARS as u16)
}

/// A `/partner` subcommand with its options read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnerRequest {
    Add(add::AddRequest),
    Show(String),
    Edit(edit::EditRequest),
    List(list::ListFilter),
    Merge { from: String, into: String },
}

pub fn parse(options: &Options, rules: &Rules) -> Result<PartnerRequest, ServiceError> {
    let Some((sub, options)) = options.subcommand() else {
        return Err(ServiceError::invalid("Choose add, show, edit, list or merge."));
    };
    match sub {
        "add" => Ok(PartnerRequest::Add(add::parse(options, rules)?)),
        "show" => Ok(PartnerRequest::Show(options.string("partner").unwrap_or_default())),
        "edit" => Ok(PartnerRequest::Edit(edit::parse(options)?)),
        "list" => Ok(PartnerRequest::List(list::parse(options, rules)?)),
        "merge" => Ok(PartnerRequest::Merge {
            from: options.string("from").unwrap_or_default(),
            into: options.string("into").unwrap_or_default(),
        }),
        other => Err(ServiceError::invalid(format!("There is no /partner {}.", DiscordMarkup.text(other)))),
    }
}

pub async fn handle(app: &App, caller: &Caller, request: PartnerRequest) -> ServiceResult<Reply> {
    match request {
        PartnerRequest::Add(request) => add::handle(app, caller, request).await,
        PartnerRequest::Show(name) => show::handle(app, caller, &name).await,
        PartnerRequest::Edit(request) => edit::handle(app, caller, request).await,
        PartnerRequest::List(filter) => list::handle(app, caller, filter).await,
        PartnerRequest::Merge { from, into } => merge::handle(app, caller, &from, &into).await,
    }
}

/// Partner names for a half-typed one, as Discord's choices (the name is both label and value).
pub async fn autocomplete(app: &App, caller: &Caller, partial: &str) -> Reply {
    let limit = crate::message::limits::CHOICES_MAX;
    match partners::autocomplete(app.store.as_ref(), caller.guild, partial, limit).await {
        Ok(names) => Reply::Choices(names.into_iter().map(|n| (n.clone(), n)).collect()),
        // Autocomplete cannot show an error: no suggestions, and the log says why.
        Err(e) => {
            tracing::warn!(error = %e.loggable(), "partner autocomplete failed");
            Reply::Choices(Vec::new())
        }
    }
}

/// How a member adds a partner, as an unknown name's refusal says it.
const ADD_WITH: &str = "/partner add";

/// The partner a typed name names (`Invalid`, with the closest names, when none does), escaped.
pub async fn resolve(app: &App, caller: &Caller, typed: &str) -> ServiceResult<PartnerLink> {
    partners::resolve(app.store.as_ref(), caller.guild, typed, ADD_WITH).await.map_err(escaped)
}

/// A partner use case's refusal as Discord shows it. The service is chat-neutral, and its
/// refusals quote names as typed or stored: escaped whole, they read the same in Discord, and a
/// name like `**x**` or `[x](https://…)` cannot change how the message looks.
pub fn escaped(error: ServiceError) -> ServiceError {
    match error {
        ServiceError::Invalid(reason) => ServiceError::Invalid(DiscordMarkup.text(&reason)),
        ServiceError::Forbidden(reason) => ServiceError::Forbidden(DiscordMarkup.text(&reason)),
        other => other,
    }
}

/// The most comma-separated pieces one name is looked for across: a name may hold a comma
/// ("Smith, Jones and Partners"), and a form's list of them is separated by commas too.
const COMMAS_IN_A_NAME: usize = 2;

/// The partners a comma-separated list names, in order, each resolved; blank items skipped. The
/// longest run of pieces that names a partner is taken first, so a name with a comma in it (as a
/// form is pre-filled with) reads back as itself.
pub async fn resolve_list(app: &App, caller: &Caller, typed: &str) -> ServiceResult<Vec<PartnerLink>> {
    let pieces: Vec<&str> = typed.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    let mut found = Vec::new();
    let mut at = 0;
    while at < pieces.len() {
        let longest = (at + 1 + COMMAS_IN_A_NAME).min(pieces.len());
        let mut resolved = None;
        for end in (at + 2..=longest).rev() {
            if let Ok(partner) =
                partners::resolve(app.store.as_ref(), caller.guild, &pieces[at..end].join(", "), ADD_WITH)
                    .await
            {
                resolved = Some((partner, end));
                break;
            }
        }
        let (partner, end) = match resolved {
            Some(found) => found,
            // One piece alone: found, or refused with the closest names.
            None => (resolve(app, caller, pieces[at]).await?, at + 1),
        };
        found.push(partner);
        at = end;
    }
    Ok(found)
}

/// Departments typed as a comma-separated list, each resolved; blank items skipped. As with
/// partners, the longest run of pieces that names a department is taken first: a configured name
/// may hold a comma.
pub fn departments_in(typed: &str, rules: &Rules) -> Result<Vec<Department>, ServiceError> {
    let pieces: Vec<&str> = typed.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    let mut found = Vec::new();
    let mut at = 0;
    while at < pieces.len() {
        let longest = (at + 1 + COMMAS_IN_A_NAME).min(pieces.len());
        let run = (at + 2..=longest)
            .rev()
            .find_map(|end| rules.departments.resolve(&pieces[at..end].join(", ")).ok().map(|d| (d, end)));
        let (department, end) = match run {
            Some(found) => found,
            None => (rules.departments.resolve(pieces[at]).map_err(ServiceError::invalid)?, at + 1),
        };
        found.push(department.clone());
        at = end;
    }
    Ok(found)
}

fn actor(caller: &Caller) -> Actor {
    Actor { user: caller.user, is_admin: caller.is_admin }
}

/// A partner's kind, as Discord's choice sent it; anything else came from elsewhere.
fn kind_of(options: &Options) -> Result<Option<PartnerKind>, ServiceError> {
    match options.string("kind") {
        Some(k) => PartnerKind::parse(&k).map(Some).ok_or_else(|| {
            ServiceError::invalid(format!(
                "kind is person, organisation, team or group, not \"{}\"",
                DiscordMarkup.text(&k.chars().take(40).collect::<String>())
            ))
        }),
        None => Ok(None),
    }
}

fn status_of(options: &Options) -> Result<Option<PartnerStatus>, ServiceError> {
    match options.string("status") {
        Some(s) => parse_status(&s).map(Some),
        None => Ok(None),
    }
}

fn parse_status(typed: &str) -> Result<PartnerStatus, ServiceError> {
    PartnerStatus::parse(typed).ok_or_else(|| {
        ServiceError::invalid(format!(
            "status is active or dormant, not \"{}\"",
            DiscordMarkup.text(&typed.chars().take(40).collect::<String>())
        ))
    })
}

#[cfg(test)]
mod tests;
