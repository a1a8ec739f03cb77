//! `/partner add`: any member may add a partner. A name close to an existing partner's is offered
//! back first ("Did you mean …?") with an "Add anyway" button; the request waits on the server
//! (`service::partners::pending`), never in the button.

use super::{departments_in, escaped, kind_of};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::Action;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::discord::render::partners as view;
use crate::domain::department::Department;
use crate::domain::ids::UserId;
use crate::domain::partner::{PartnerKind, PartnerLink, PartnerStatus};
use crate::domain::rules::Rules;
use crate::message::{Button, ButtonStyle, Markup, Message, Reply};
use crate::service::partners::{self, pending, Added, PartnerInput};
use crate::service::{ServiceError, ServiceResult};

/// `/partner add`'s options, departments resolved; the owner is the caller's when left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddRequest {
    pub name: String,
    pub kind: PartnerKind,
    pub departments: Vec<Department>,
    pub owner: Option<UserId>,
    pub co_owner: Option<UserId>,
    pub notes: Option<String>,
    pub link: Option<String>,
}

pub fn parse(options: &Options, rules: &Rules) -> Result<AddRequest, ServiceError> {
    let kind = kind_of(options)?.ok_or_else(|| ServiceError::invalid("Choose the partner's kind."))?;
    let typed = [options.string("department"), options.string(super::ALSO_DEPARTMENT)];
    let departments = departments_in(&typed.into_iter().flatten().collect::<Vec<_>>().join(","), rules)?;
    Ok(AddRequest {
        name: options.string("name").unwrap_or_default(),
        kind,
        departments,
        owner: options.user("owner"),
        co_owner: options.user("co_owner"),
        notes: options.string("notes"),
        link: options.string("link"),
    })
}

impl AddRequest {
    fn input(self, caller: &Caller) -> PartnerInput {
        let owner = self.owner.unwrap_or(caller.user);
        let mut owners = vec![owner];
        owners.extend(self.co_owner.filter(|&c| c != owner));
        PartnerInput {
            kind: self.kind,
            name: self.name,
            departments: self.departments,
            owners,
            notes: self.notes.unwrap_or_default(),
            link: self.link,
            status: PartnerStatus::Active,
        }
    }
}

pub async fn handle(app: &App, caller: &Caller, request: AddRequest) -> ServiceResult<Reply> {
    let input = request.input(caller);
    let store = app.store.as_ref();
    let rules = &app.config.rules;
    match partners::add(store, rules, caller.guild, caller.user, input.clone(), false, app.now())
        .await
        .map_err(escaped)?
    {
        Added::Added(partner) => Ok(Reply::Message(view::added(&partner, rules))),
        Added::Close(close) => {
            let id = pending::keep(store, caller.guild, caller.user, &input, app.now()).await?;
            Ok(Reply::Message(did_you_mean(&input.name, &close, id)))
        }
    }
}

fn did_you_mean(name: &str, close: &[PartnerLink], pending: i64) -> Message {
    let names: Vec<String> =
        close.iter().map(|p| format!("**{}**", DiscordMarkup.text(p.name.as_str()))).collect();
    Message {
        content: format!(
            "Did you mean {}? Nothing was added. Use `/partner show` for one of them, or add \"{}\" anyway.",
            names.join(", "),
            DiscordMarkup.text(name)
        ),
        buttons: vec![vec![Button::new(
            Action::AddPartnerAnyway(pending).to_custom_id(),
            "Add anyway",
            ButtonStyle::Primary,
        )]],
        ephemeral: true,
        ..Message::default()
    }
}

/// "Add anyway": the request kept when the close names were offered, added now, by whoever made
/// it (the message is theirs alone, but an id can be typed).
pub async fn add_anyway(app: &App, caller: &Caller, id: i64) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    let added = pending::add_kept(app.store.as_ref(), rules, caller.guild, caller.user, id, app.now())
        .await
        .map_err(escaped)?;
    match added {
        Some(Added::Added(partner)) => Ok(Reply::Update(view::added(&partner, rules))),
        Some(Added::Close(_)) => {
            Err(ServiceError::invalid("The partner could not be added. Run /partner add again."))
        }
        None => Err(ServiceError::invalid(
            "This request is no longer waiting (it is over an hour old, or was added already). Run /partner add again.",
        )),
    }
}
