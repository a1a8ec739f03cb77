//! `/partner show`: a partner's timeline — profile, owners, last contact, entries newest first
//! (paged like `/search`, by Previous/Next buttons that carry the partner and page), open
//! follow-ups, and a year of activity by month. A member does not see others' private entries'
//! text; admins see everything, as in `/search`.

use super::resolve;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::render::partners as view;
use crate::domain::partner::PartnerId;
use crate::message::{Message, Reply};
use crate::service::partners;
use crate::service::ServiceResult;

pub async fn handle(app: &App, caller: &Caller, typed: &str) -> ServiceResult<Reply> {
    let partner = resolve(app, caller, typed).await?;
    Ok(Reply::Message(timeline(app, caller, partner.id, 0).await?))
}

/// Previous/Next: another page of the same timeline, in place.
pub async fn handle_page(app: &App, caller: &Caller, partner: PartnerId, page: u32) -> ServiceResult<Reply> {
    Ok(Reply::Update(timeline(app, caller, partner, page).await?))
}

async fn timeline(app: &App, caller: &Caller, partner: PartnerId, page: u32) -> ServiceResult<Message> {
    let rules = &app.config.rules;
    // Admins see every entry's text; a member, the team's and their own private ones.
    let viewer = (!caller.is_admin).then_some(caller.user);
    let timeline =
        partners::show(app.store.as_ref(), rules, caller.guild, partner, viewer, page, app.now()).await?;
    Ok(view::timeline(&timeline, rules, caller.dates))
}
