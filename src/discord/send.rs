//! The gateway transport's half of a reply: our `Reply` value as serenity's builders, sent as the
//! interaction callback, or as an edit of the original after a defer.

use serenity::builder::{
    Builder as _, CreateActionRow, CreateAllowedMentions, CreateAttachment, CreateAutocompleteResponse,
    CreateButton, CreateEmbed, CreateEmbedFooter, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateModal,
    EditInteractionResponse,
};
use serenity::http::Http;
use serenity::model::application::{ButtonStyle as SerenityButtonStyle, InputTextStyle};
use serenity::model::id::InteractionId;

use super::markup;
use crate::message::attachments::fit_files;
use crate::message::{Attachment, Button, ButtonStyle, Embed, Message, Modal, Reply};

/// Where to answer: the interaction's id and token (the token is a secret: never log it), and the
/// largest file Discord takes in answer to it (its `attachment_size_limit`).
pub struct Target<'a> {
    pub id: InteractionId,
    pub token: &'a str,
    pub upload_limit: u64,
}

/// Discord's upload limit when an interaction gives none: 10 MiB.
pub const DEFAULT_UPLOAD_LIMIT: u64 = 10 * 1024 * 1024;

fn attachment(a: &Attachment) -> CreateAttachment {
    CreateAttachment::bytes(a.bytes.clone(), a.name.clone())
}

/// No message from the bot may ping anyone: user text can hold `@everyone` or mentions.
fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

pub(super) fn embed(e: &Embed) -> CreateEmbed {
    let mut b = CreateEmbed::new();
    if !e.title.is_empty() {
        b = b.title(&e.title);
    }
    if !e.description.is_empty() {
        b = b.description(&e.description);
    }
    if !e.footer.is_empty() {
        b = b.footer(CreateEmbedFooter::new(&e.footer));
    }
    if let Some(c) = e.colour {
        b = b.colour(c);
    }
    if let Some(image) = &e.image {
        b = b.image(markup::image_url(image));
    }
    b.fields(e.fields.iter().map(|f| (f.name.clone(), f.value.clone(), f.inline)))
}

fn button(b: &Button) -> CreateButton {
    let style = match b.style {
        ButtonStyle::Primary => SerenityButtonStyle::Primary,
        ButtonStyle::Secondary => SerenityButtonStyle::Secondary,
        ButtonStyle::Success => SerenityButtonStyle::Success,
        ButtonStyle::Danger => SerenityButtonStyle::Danger,
    };
    CreateButton::new(&b.custom_id).label(&b.label).style(style).disabled(b.disabled)
}

pub(super) fn rows(m: &Message) -> Vec<CreateActionRow> {
    m.buttons.iter().map(|row| CreateActionRow::Buttons(row.iter().map(button).collect())).collect()
}

fn message(m: &Message, replacing: bool) -> CreateInteractionResponseMessage {
    let mut b = CreateInteractionResponseMessage::new()
        .embeds(m.embeds.iter().map(embed).collect())
        .components(rows(m))
        .allowed_mentions(no_mentions());
    // A new message leaves out empty content; an update must send it to clear the old text.
    if replacing || !m.content.is_empty() {
        b = b.content(&m.content);
    }
    if !replacing {
        b = b.ephemeral(m.ephemeral);
    }
    b.add_files(m.attachments.iter().map(attachment))
}

fn modal(m: &Modal) -> CreateModal {
    let inputs = m
        .inputs
        .iter()
        .map(|i| {
            let style = if i.paragraph { InputTextStyle::Paragraph } else { InputTextStyle::Short };
            let mut b = CreateInputText::new(style, &i.label, &i.custom_id)
                .required(i.required)
                .max_length(i.max_length);
            if !i.value.is_empty() {
                b = b.value(&i.value);
            }
            if !i.placeholder.is_empty() {
                b = b.placeholder(&i.placeholder);
            }
            CreateActionRow::InputText(b)
        })
        .collect();
    CreateModal::new(&m.custom_id, &m.title).components(inputs)
}

pub fn response(reply: &Reply) -> CreateInteractionResponse {
    match reply {
        Reply::Message(m) => CreateInteractionResponse::Message(message(m, false)),
        Reply::Update(m) => CreateInteractionResponse::UpdateMessage(message(m, true)),
        Reply::Modal(m) => CreateInteractionResponse::Modal(modal(m)),
        Reply::Choices(choices) => CreateInteractionResponse::Autocomplete(
            choices
                .iter()
                .fold(CreateAutocompleteResponse::new(), |b, (name, value)| b.add_string_choice(name, value)),
        ),
    }
}

/// Sends a reply (fitted to Discord's limits) as the interaction callback; files beyond what one
/// message carries follow it.
pub async fn reply(http: &Http, target: &Target<'_>, reply: Reply) -> serenity::Result<()> {
    let (reply, rest) = with_files_fitted(reply.fitted(), target.upload_limit);
    response(&reply).execute(http, (target.id, target.token)).await?;
    follow_up(http, target, rest).await
}

/// A message's files within the upload limit: the reply with the first of them, and the
/// follow-ups that carry the rest.
fn with_files_fitted(reply: Reply, limit: u64) -> (Reply, Vec<Message>) {
    let fit = |m: Message| {
        let mut messages = fit_files(m, limit).into_iter();
        let first = messages.next().unwrap_or_default();
        (first, messages.collect())
    };
    match reply {
        Reply::Message(m) => {
            let (first, rest) = fit(m);
            (Reply::Message(first), rest)
        }
        Reply::Update(m) => {
            let (first, rest) = fit(m);
            (Reply::Update(first), rest)
        }
        other => (other, Vec::new()),
    }
}

async fn follow_up(http: &Http, target: &Target<'_>, messages: Vec<Message>) -> serenity::Result<()> {
    for m in messages {
        CreateInteractionResponseFollowup::new()
            .content(&m.content)
            .ephemeral(m.ephemeral)
            .allowed_mentions(no_mentions())
            .add_files(m.attachments.iter().map(attachment))
            .execute(http, (None, target.token))
            .await?;
    }
    Ok(())
}

/// Acknowledges now and answers later: a new message for commands and forms (ephemeral, the
/// usual case; Discord fixes that at the defer), or an in-place update for buttons.
pub async fn defer(http: &Http, target: &Target<'_>, is_button: bool) -> serenity::Result<()> {
    let response = if is_button {
        CreateInteractionResponse::Acknowledge
    } else {
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true))
    };
    http.create_interaction_response(target.id, target.token, &response, Vec::new()).await
}

/// After a defer the answer goes in as an edit of the original (a second callback would fail
/// with 40060). A form cannot follow a defer, so it is explained instead.
pub async fn edit_original(http: &Http, target: &Target<'_>, reply: Reply) -> serenity::Result<()> {
    let (reply, rest) = with_files_fitted(reply.fitted(), target.upload_limit);
    let m = match reply {
        Reply::Message(m) | Reply::Update(m) => m,
        Reply::Modal(_) | Reply::Choices(_) => Message {
            content: "That took too long for Discord to show the form. Please try again.".into(),
            ..Message::default()
        },
    };
    let edit = m.attachments.iter().fold(
        EditInteractionResponse::new()
            .content(&m.content)
            .embeds(m.embeds.iter().map(embed).collect())
            .components(rows(&m))
            .allowed_mentions(no_mentions()),
        |edit, a| edit.new_attachment(attachment(a)),
    );
    edit.execute(http, target.token).await?;
    follow_up(http, target, rest).await
}

/// A message as the JSON body Discord would receive for it in a channel.
pub fn message_payload(m: &Message) -> serde_json::Value {
    let b = serenity::builder::CreateMessage::new()
        .content(&m.content)
        .embeds(m.embeds.iter().map(embed).collect())
        .components(rows(m))
        .allowed_mentions(no_mentions());
    serde_json::to_value(b).unwrap_or(serde_json::Value::Null)
}
