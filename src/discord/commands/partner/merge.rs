//! `/partner merge from into`: admins fold a duplicate into the partner that stays; its entries,
//! departments and owners move over (the service checks who may).

use super::{actor, escaped, resolve};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::render::partners as view;
use crate::message::{Markup, Message, Reply};
use crate::service::partners;
use crate::service::{ServiceError, ServiceResult};

pub async fn handle(app: &App, caller: &Caller, from: &str, into: &str) -> ServiceResult<Reply> {
    if !caller.is_admin {
        return Err(ServiceError::Forbidden("Only server admins can merge partners.".into()));
    }
    let from = resolve(app, caller, from).await?;
    let into = resolve(app, caller, into).await?;
    if from.id == into.id {
        return Err(ServiceError::invalid("Those are the same partner: choose two."));
    }
    let merged =
        partners::merge(app.store.as_ref(), caller.guild, actor(caller), from.id, into.id, app.now())
            .await
            .map_err(escaped)?;
    let mut message: Message = view::profile_message(&merged, &app.config.rules);
    message.content = format!(
        "Merged **{}** into **{}**.",
        DiscordMarkup.text(from.name.as_str()),
        DiscordMarkup.text(merged.profile.name.as_str())
    );
    Ok(Reply::Message(message))
}
