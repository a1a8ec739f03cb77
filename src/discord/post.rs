//! Messages the bot sends on its own rather than as an interaction reply: the weekly digest in a
//! channel, and follow-up reminders and desk hand-offs by DM.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serenity::builder::{CreateAllowedMentions, CreateAttachment, CreateMessage};
use serenity::http::Http;
use serenity::model::id::{ChannelId, UserId};

use super::commands::{self, hand_offs};
use super::errors::{describe, status};
use super::markup::DiscordMarkup;
use super::render;
use super::send;
use crate::domain::date_style::DateStyle;
use crate::domain::entry::Entry;
use crate::domain::event::Event;
use crate::domain::ids::UserId as LiaisonId;
use crate::message::{Markup, Message};
use crate::service::poster::{File, PostError, Poster};
use crate::service::related_notices::Heard;

/// Posts one message, fitted to Discord's limits and with mentions suppressed, with the file (if
/// any) attached.
pub async fn message(
    http: &Http,
    channel: u64,
    message: Message,
    file: Option<File>,
) -> serenity::Result<u64> {
    let m = message.fitted();
    let mut b = CreateMessage::new()
        .embeds(m.embeds.iter().map(send::embed).collect())
        .components(send::rows(&m))
        .allowed_mentions(CreateAllowedMentions::new());
    if !m.content.is_empty() {
        b = b.content(&m.content);
    }
    if let Some(f) = file {
        b = b.add_file(CreateAttachment::bytes(f.bytes, f.name));
    }
    Ok(ChannelId::new(channel).send_message(http, b).await?.id.get())
}

/// serenity's client sets no timeout of its own: without one, a request Discord never answers
/// would stall the scheduler for good. A timeout is retried like a 5xx (the post may have gone
/// through, which is the at-least-once case the README describes).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The scheduler's way to Discord, over the bot's REST client.
#[derive(Clone)]
pub struct DiscordPoster(pub Arc<Http>);

#[async_trait::async_trait]
impl Poster for DiscordPoster {
    async fn post(&self, channel: u64, m: Message, file: Option<File>) -> Result<u64, PostError> {
        within(message(&self.0, channel, m, file)).await
    }

    async fn remind(&self, entry: &Entry, department: &str, dates: DateStyle) -> Result<u64, PostError> {
        // Owner 0 is no Discord user (an imported row, say), and serenity's ids cannot hold it.
        let Some(owner) = entry.follow_up.as_ref().map(|f| f.owner.0).filter(|&o| o != 0) else {
            return Err(PostError {
                message: format!("entry #{} has no owner to remind", entry.id),
                permanent: true,
            });
        };
        // Opening the DM channel is idempotent on Discord's side: the same channel comes back.
        let dm = within(UserId::new(owner).create_dm_channel(&self.0)).await?;
        within(message(&self.0, dm.id.get(), render::reminder(entry, department, dates), None)).await
    }

    async fn hand_off(&self, liaison: LiaisonId, entry: &Entry, department: &str) -> Result<u64, PostError> {
        // 0 is no Discord user, and serenity's ids cannot hold it.
        if liaison.0 == 0 {
            return Err(PostError { message: "no liaison to hand off to".into(), permanent: true });
        }
        let dm = within(UserId::new(liaison.0).create_dm_channel(&self.0)).await?;
        within(message(&self.0, dm.id.get(), hand_offs::message(entry, department), None)).await
    }

    async fn event_prompt(
        &self,
        organiser: LiaisonId,
        event: &Event,
        dates: DateStyle,
    ) -> Result<u64, PostError> {
        // 0 is no Discord user, and serenity's ids cannot hold it.
        if organiser.0 == 0 {
            return Err(PostError { message: "no organiser to ask".into(), permanent: true });
        }
        let dm = within(UserId::new(organiser.0).create_dm_channel(&self.0)).await?;
        within(message(&self.0, dm.id.get(), commands::event::prompt::message(event, dates), None)).await
    }

    async fn related_notice(&self, owner: LiaisonId, heard: &Heard) -> Result<u64, PostError> {
        // 0 is no Discord user, and serenity's ids cannot hold it.
        if owner.0 == 0 {
            return Err(PostError { message: "no owner to tell".into(), permanent: true });
        }
        let dm = within(UserId::new(owner.0).create_dm_channel(&self.0)).await?;
        within(message(&self.0, dm.id.get(), render::related_notices::message(heard), None)).await
    }

    fn markup(&self) -> &dyn Markup {
        &DiscordMarkup
    }
}

async fn within<T>(request: impl Future<Output = serenity::Result<T>>) -> Result<T, PostError> {
    match tokio::time::timeout(REQUEST_TIMEOUT, request).await {
        Ok(result) => result.map_err(post_error),
        Err(_) => Err(PostError {
            message: format!("Discord did not answer within {} s", REQUEST_TIMEOUT.as_secs()),
            permanent: false,
        }),
    }
}

fn post_error(e: serenity::Error) -> PostError {
    PostError {
        message: describe(&e),
        // Missing access or permissions, an unknown channel, or DMs closed (50007, a 403): only
        // a person can fix it.
        permanent: matches!(status(&e), Some(403 | 404)),
    }
}
