//! `/event list [upcoming|past]`: upcoming events soonest first, or past ones most recent first.

use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::discord::render::events as view;
use crate::message::{Markup, Reply};
use crate::service::events::{self, Which};
use crate::service::{ServiceError, ServiceResult};

pub fn parse(options: &Options) -> Result<Which, ServiceError> {
    match options.string("which") {
        None => Ok(Which::Upcoming),
        Some(typed) => Which::parse(&typed).ok_or_else(|| {
            ServiceError::invalid(format!(
                "which is upcoming or past, not \"{}\"",
                DiscordMarkup.text(&typed.chars().take(40).collect::<String>())
            ))
        }),
    }
}

pub async fn handle(app: &App, caller: &Caller, which: Which) -> ServiceResult<Reply> {
    let found = events::list(app.store.as_ref(), &app.config.rules, caller.guild, which, app.now()).await?;
    Ok(Reply::Message(view::list(&found, which, caller.dates)))
}
