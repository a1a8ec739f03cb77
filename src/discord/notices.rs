//! What a member is told privately on their next command: reminders (and related notices)
//! Discord refused to DM them.
//! Added to a private reply only, so the notice never lands in a channel, and taken (marked told)
//! only when it will be shown.

use super::app::App;
use super::caller::Caller;
use super::render;
use crate::message::limits::{len, truncate, CONTENT_MAX, EMBEDS_MAX, EMBED_DESCRIPTION_MAX};
use crate::message::{Embed, Reply};
use crate::service::related_notices;
use crate::service::reminder_notices::{take, told};

/// The reply, with any untold refused reminders of the caller's added to it when it is private.
pub async fn add_to(app: &App, caller: &Caller, reply: Reply) -> Reply {
    let Reply::Message(mut message) = reply else { return reply };
    if !message.ephemeral || message.embeds.len() >= EMBEDS_MAX {
        return Reply::Message(message);
    }
    let keys = match take(app.store.as_ref(), caller.guild, caller.user, app.now()).await {
        Ok(keys) => keys,
        Err(e) => {
            // The command's own answer matters more; they are told next time.
            tracing::warn!(error = %e, "could not read the caller's refused reminders");
            Vec::new()
        }
    };
    let related = match related_notices::take(app.store.as_ref(), caller.guild, caller.user, app.now()).await
    {
        Ok(notices) => notices,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the caller's refused related notices");
            Vec::new()
        }
    };
    if keys.is_empty() && related.is_empty() {
        return Reply::Message(message);
    }
    let notice = [told(&keys), render::related_notices::refused(&related)]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let joined =
        if message.content.is_empty() { notice.clone() } else { format!("{}\n\n{notice}", message.content) };
    if len(&joined) <= CONTENT_MAX {
        message.content = joined;
    } else {
        message.embeds.push(Embed {
            title: if related.is_empty() {
                "Reminders I could not send you"
            } else {
                "DMs I could not send you"
            }
            .into(),
            description: truncate(&notice, EMBED_DESCRIPTION_MAX),
            ..Embed::default()
        });
    }
    Reply::Message(message)
}
