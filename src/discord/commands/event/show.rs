//! `/event show`: an event's details and organisers, the entries heard there and the follow-ups
//! decided. A member does not see others' private entries; admins see everything, as in `/search`.

use super::super::partner::escaped;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::render::events as view;
use crate::message::Reply;
use crate::service::events;
use crate::service::ServiceResult;

pub async fn handle(app: &App, caller: &Caller, typed: &str) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    let viewer = (!caller.is_admin).then_some(caller.user);
    let shown = events::show(app.store.as_ref(), rules, caller.guild, typed, viewer, app.now())
        .await
        .map_err(escaped)?;
    Ok(Reply::Message(view::page(&shown, rules, caller.dates)))
}
