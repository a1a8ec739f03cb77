//! `/event add`: any member may add an event; whoever adds it organises it unless they name an
//! organiser. The date phrases are read in the guild's time, as `/intel`'s are.

use super::super::partner::{departments_in, escaped, resolve as resolve_partner};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::options::Options;
use crate::discord::render::events as view;
use crate::domain::department::Department;
use crate::domain::ids::UserId;
use crate::domain::rules::Rules;
use crate::message::Reply;
use crate::service::events::{self, EventInput};
use crate::service::{ServiceError, ServiceResult};

/// `/event add`'s options, the department resolved; the partner is resolved when it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddRequest {
    pub name: String,
    pub date: String,
    pub end: Option<String>,
    pub partner: Option<String>,
    pub departments: Vec<Department>,
    pub organiser: Option<UserId>,
    pub place: Option<String>,
}

pub fn parse(options: &Options, rules: &Rules) -> Result<AddRequest, ServiceError> {
    let departments = departments_in(&options.string(super::super::DEPARTMENT).unwrap_or_default(), rules)?;
    Ok(AddRequest {
        name: options.string("name").unwrap_or_default(),
        date: options.string("date").unwrap_or_default(),
        end: options.string("end"),
        partner: options.string("partner"),
        departments,
        organiser: options.user("organiser"),
        place: options.string("place"),
    })
}

pub async fn handle(app: &App, caller: &Caller, request: AddRequest) -> ServiceResult<Reply> {
    let partners = match request.partner.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(typed) => vec![resolve_partner(app, caller, typed).await?],
        None => Vec::new(),
    };
    let input = EventInput {
        name: request.name,
        date: request.date,
        end: request.end,
        partners,
        departments: request.departments,
        organisers: request.organiser.into_iter().collect(),
        place: request.place,
    };
    let rules = &app.config.rules;
    let event = events::add(app.store.as_ref(), rules, caller.guild, caller.user, input, app.now())
        .await
        .map_err(escaped)?;
    Ok(Reply::Message(view::added(&event, rules, caller.dates)))
}
