//! `/partner edit`: a form pre-filled with the partner's name, departments, "they want / we offer",
//! link and status (Discord's five inputs), with the slash options for what a form cannot hold —
//! kind and owners, which are members — applied with it on submit. Only its owners and admins: the
//! form is not opened for anyone else (nobody types into a form that will be refused), and the
//! service checks again on submit.

use super::{actor, departments_in, escaped, kind_of, parse_status, resolve};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::{Action, PartnerEditState};
use crate::discord::options::{Fields, Options};
use crate::discord::render::{self, partners as view};
use crate::domain::department::Department;
use crate::domain::ids::UserId;
use crate::domain::partner::{
    Partner, PartnerKind, PartnerStatus, MAX_LINK_CHARS, MAX_NAME_CHARS, MAX_NOTES_CHARS,
};
use crate::domain::rules::Rules;
use crate::message::limits::TEXT_INPUT_MAX;
use crate::message::{Modal, Reply, TextInput};
use crate::service::partners::{self, PartnerInput};
use crate::service::{ServiceError, ServiceResult};

/// `/partner edit`'s options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRequest {
    pub partner: String,
    pub kind: Option<PartnerKind>,
    pub owner: Option<UserId>,
    pub co_owner: Option<UserId>,
    pub remove_co_owner: Option<UserId>,
}

pub fn parse(options: &Options) -> Result<EditRequest, ServiceError> {
    Ok(EditRequest {
        partner: options.string("partner").unwrap_or_default(),
        kind: kind_of(options)?,
        owner: options.user("owner"),
        co_owner: options.user("co_owner"),
        remove_co_owner: options.user("remove_co_owner"),
    })
}

fn may_edit(partner: &Partner, caller: &Caller) -> ServiceResult<()> {
    if caller.is_admin || partner.profile.is_owner(caller.user) {
        return Ok(());
    }
    Err(ServiceError::Forbidden(
        "Only the partner's owners and server admins can edit it. `/partner show` says who they are.".into(),
    ))
}

/// The form, pre-filled; the options travel in its id.
pub async fn handle(app: &App, caller: &Caller, request: EditRequest) -> ServiceResult<Reply> {
    let link = resolve(app, caller, &request.partner).await?;
    let partner = partners::get(app.store.as_ref(), caller.guild, link.id).await.map_err(escaped)?;
    may_edit(&partner, caller)?;
    let state = PartnerEditState {
        partner: partner.id,
        kind: request.kind,
        owner: request.owner,
        co_owner: request.co_owner,
        remove_co_owner: request.remove_co_owner,
    };
    Ok(Reply::Modal(form(&partner, state, &app.config.rules)))
}

pub fn form(partner: &Partner, state: PartnerEditState, rules: &Rules) -> Modal {
    let profile = &partner.profile;
    let departments: Vec<&str> =
        profile.departments.iter().map(|k| rules.departments.display_name(k)).collect();
    Modal {
        custom_id: Action::PartnerEditForm(state).to_custom_id(),
        title: "Edit partner".into(),
        inputs: vec![
            TextInput::line("name", "Name")
                .value(profile.name.as_str())
                .required()
                .max_length(MAX_NAME_CHARS as u16),
            TextInput::line("departments", "Departments (comma separated)")
                .value(departments.join(", "))
                .max_length(TEXT_INPUT_MAX),
            // Room beyond the notes' limit: a stored note redaction lengthened is never cut here
            // (a cut field would be saved cut); a note too long is refused on submit, handed back.
            TextInput::paragraph("notes", "They want / we offer")
                .value(profile.notes.as_str())
                .placeholder(format!("At most {MAX_NOTES_CHARS} characters")),
            TextInput::line("link", "Link")
                .value(profile.link.as_deref().unwrap_or(""))
                .max_length(MAX_LINK_CHARS as u16),
            TextInput::line("status", "Status (active or dormant)")
                .value(profile.status.as_str())
                .required()
                .max_length(10),
        ],
    }
}

/// The form's submit, with the options its id carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditSubmit {
    pub state: PartnerEditState,
    pub name: String,
    pub departments: Vec<Department>,
    pub notes: String,
    pub link: Option<String>,
    pub status: PartnerStatus,
}

/// A department or status that does not read is refused with the notes handed back.
pub fn parse_form(
    state: PartnerEditState,
    fields: &Fields,
    rules: &Rules,
) -> Result<EditSubmit, ServiceError> {
    let notes = fields.get("notes").cloned().unwrap_or_default();
    let keep = |e: ServiceError| keep_notes(e, &notes);
    let departments =
        departments_in(fields.get("departments").map_or("", String::as_str), rules).map_err(keep)?;
    let status = parse_status(fields.get("status").map_or("active", String::as_str)).map_err(keep)?;
    Ok(EditSubmit {
        state,
        name: fields.get("name").cloned().unwrap_or_default(),
        departments,
        notes: notes.clone(),
        link: fields.get("link").cloned(),
        status,
    })
}

pub async fn handle_form(app: &App, caller: &Caller, submit: EditSubmit) -> ServiceResult<Reply> {
    let store = app.store.as_ref();
    let rules = &app.config.rules;
    let EditSubmit { state, name, departments, notes, link, status } = submit;
    let partner =
        partners::get(store, caller.guild, state.partner).await.map_err(|e| keep_notes(e, &notes))?;
    let input = PartnerInput {
        kind: state.kind.unwrap_or(partner.profile.kind),
        name,
        departments,
        owners: owners_after(&partner.profile.owners, &state),
        notes: notes.clone(),
        link,
        status,
    };
    let edited = partners::edit(store, rules, caller.guild, state.partner, actor(caller), input, app.now())
        .await
        .map_err(|e| keep_notes(escaped(e), &notes))?;
    let mut message = view::profile_message(&edited, rules);
    message.content = "Saved.".into();
    Ok(Reply::Message(message))
}

/// The owners once the options are applied: a new owner first (the old one goes, unless named a
/// co-owner), a co-owner added, one removed; each once.
pub fn owners_after(owners: &[UserId], state: &PartnerEditState) -> Vec<UserId> {
    let mut after: Vec<UserId> = Vec::new();
    let (owner, co_owners) = match owners.split_first() {
        Some((first, rest)) => (Some(*first), rest.to_vec()),
        None => (None, Vec::new()),
    };
    let owner = state.owner.or(owner);
    after.extend(owner);
    for user in co_owners.into_iter().chain(state.co_owner) {
        if !after.contains(&user) && Some(user) != state.remove_co_owner {
            after.push(user);
        }
    }
    after
}

/// A refused form loses what was typed, so a refusal the person can act on hands the notes back.
fn keep_notes(error: ServiceError, notes: &str) -> ServiceError {
    match error {
        ServiceError::Invalid(reason) if !notes.trim().is_empty() => ServiceError::Returned {
            reason,
            returned: format!("Your notes, to copy into a new try:\n{}", render::quoted(notes)),
        },
        other => other,
    }
}
