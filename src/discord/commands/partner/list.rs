//! `/partner list`: partners by name with their owner, last contact and entry count, filtered by
//! kind, owner, department, status or "gone quiet" (no entry for some weeks); ten a page, with
//! Previous/Next buttons that carry the whole filter in their ids.

use super::{kind_of, status_of};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::{DepartmentRef, PartnerListState};
use crate::discord::options::Options;
use crate::discord::render::partners as view;
use crate::domain::department::Department;
use crate::domain::ids::UserId;
use crate::domain::partner::{PartnerKind, PartnerStatus};
use crate::domain::rules::Rules;
use crate::message::{Message, Reply};
use crate::service::partners::{self, ListRequest};
use crate::service::{ServiceError, ServiceResult};

/// The most weeks "gone quiet" takes: two years.
pub const MAX_QUIET_WEEKS: u64 = 104;

/// `/partner list`'s filters, the department resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub kind: Option<PartnerKind>,
    pub owner: Option<UserId>,
    pub department: Option<Department>,
    pub quiet_weeks: Option<u32>,
    pub status: Option<PartnerStatus>,
}

pub fn parse(options: &Options, rules: &Rules) -> Result<ListFilter, ServiceError> {
    let department = match options.string("department") {
        Some(d) => Some(rules.departments.resolve(&d).map_err(ServiceError::invalid)?.clone()),
        None => None,
    };
    let quiet_weeks = match options.integer("quiet") {
        Some(w) if (1..=MAX_QUIET_WEEKS as i64).contains(&w) => Some(w as u32),
        Some(_) => return Err(ServiceError::invalid(format!("quiet is 1 to {MAX_QUIET_WEEKS} weeks"))),
        None => None,
    };
    Ok(ListFilter {
        kind: kind_of(options)?,
        owner: options.user("owner"),
        department,
        quiet_weeks,
        status: status_of(options)?,
    })
}

pub async fn handle(app: &App, caller: &Caller, filter: ListFilter) -> ServiceResult<Reply> {
    Ok(Reply::Message(page(app, caller, filter, 0).await?))
}

/// Previous/Next: the same filter at another page, in place.
pub async fn handle_page(app: &App, caller: &Caller, state: PartnerListState) -> ServiceResult<Reply> {
    let department = match &state.department {
        Some(d) => Some(d.resolve(&app.config.rules.departments).cloned().ok_or_else(|| {
            ServiceError::invalid(
                "The department list changed since this list was made. Run /partner list again.",
            )
        })?),
        None => None,
    };
    let filter = ListFilter {
        kind: state.kind,
        owner: state.owner,
        department,
        quiet_weeks: state.quiet_weeks,
        status: state.status,
    };
    Ok(Reply::Update(page(app, caller, filter, state.page).await?))
}

async fn page(app: &App, caller: &Caller, filter: ListFilter, page: u32) -> ServiceResult<Message> {
    let state = PartnerListState {
        kind: filter.kind,
        owner: filter.owner,
        status: filter.status,
        quiet_weeks: filter.quiet_weeks,
        department: filter.department.as_ref().map(DepartmentRef::of),
        page,
    };
    let request = ListRequest {
        kind: filter.kind,
        owner: filter.owner,
        department: filter.department,
        status: filter.status,
        quiet_weeks: filter.quiet_weeks,
        page,
    };
    let rules = &app.config.rules;
    let list = partners::list(app.store.as_ref(), rules, caller.guild, &request, app.now()).await?;
    Ok(view::list(&list, &state, rules))
}
