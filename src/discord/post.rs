//! Messages the bot posts on its own (the weekly digest), rather than as an interaction reply.

use serenity::builder::{CreateAllowedMentions, CreateAttachment, CreateMessage};
use serenity::http::Http;
use serenity::model::id::ChannelId;

use super::reply::Message;
use super::send;

/// A file sent with the first message, shown by an embed image `attachment://NAME`.
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Posts `messages` to a channel in order, each fitted to Discord's limits and with mentions
/// suppressed, the attachment (if any) on the first. Returns the posted message ids; stops at the
/// first failure, which the caller decides whether to retry.
pub async fn messages(
    http: &Http,
    channel: u64,
    messages: Vec<Message>,
    mut attachment: Option<Attachment>,
) -> serenity::Result<Vec<u64>> {
    let channel = ChannelId::new(channel);
    let mut ids = Vec::with_capacity(messages.len());
    for m in messages {
        let m = m.fitted();
        let mut b = CreateMessage::new()
            .embeds(m.embeds.iter().map(send::embed).collect())
            .components(send::rows(&m))
            .allowed_mentions(CreateAllowedMentions::new());
        if !m.content.is_empty() {
            b = b.content(&m.content);
        }
        if let Some(a) = attachment.take() {
            b = b.add_file(CreateAttachment::bytes(a.bytes, a.name));
        }
        ids.push(channel.send_message(http, b).await?.id.get());
    }
    Ok(ids)
}

/// The digest scheduler's way to Discord.
pub struct DiscordPoster<'a>(pub &'a Http);

#[async_trait::async_trait]
impl crate::service::digest_runs::Poster for DiscordPoster<'_> {
    async fn post(
        &self,
        channel: u64,
        messages: Vec<Message>,
        chart: Option<(String, Vec<u8>)>,
    ) -> Result<Vec<u64>, crate::service::digest_runs::PostError> {
        let attachment = chart.map(|(name, bytes)| Attachment { name, bytes });
        self::messages(self.0, channel, messages, attachment).await.map_err(|e| {
            crate::service::digest_runs::PostError {
                message: super::errors::describe(&e),
                // Missing access or permissions, or an unknown channel: only an admin can fix it.
                permanent: matches!(super::errors::status(&e), Some(403 | 404)),
            }
        })
    }
}
