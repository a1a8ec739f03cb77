//! "Save as intel": a message context-menu command that turns a chat message into an entry, with
//! a link back to it.

use serenity::builder::CreateCommand;
use serenity::model::application::{CommandInteraction, CommandType, ModalInteractionData, ResolvedTarget};

use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::Action;
use crate::discord::options::modal_fields;
use crate::domain::note::MAX_NOTE_CHARS;
use crate::message::{Modal, Reply, TextInput};
use crate::service::capture::CaptureRequest;
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "Save as intel";

pub fn definition() -> CreateCommand {
    CreateCommand::new(NAME).kind(CommandType::Message).dm_permission(false)
}

pub fn run(app: &App, command: &CommandInteraction) -> ServiceResult<Reply> {
    let Some(ResolvedTarget::Message(message)) = command.data.target() else {
        return Err(ServiceError::invalid(
            "I couldn't read that message. Copy its text into /intel instead.",
        ));
    };
    let text = message.content.trim();
    if text.is_empty() {
        return Err(ServiceError::invalid(
            "That message has no text I can save (it may hold only images, embeds or a poll). Use /intel and describe it.",
        ));
    }
    let note: String = text.chars().take(MAX_NOTE_CHARS).collect();
    let default_channel = app.config.rules.channels.default_channel().name();
    Ok(Reply::Modal(Modal {
        custom_id: Action::SaveForm { channel_id: message.channel_id.get(), message_id: message.id.get() }
            .to_custom_id(),
        title: "Save as intel".into(),
        inputs: vec![
            TextInput::paragraph("note", "What you heard").value(note).required(),
            TextInput::line("department", "Department").placeholder("History, Law, Engineering…").required(),
            TextInput::line("channel", "How it reached you").value(default_channel).max_length(40),
            TextInput::line("tags", "Tags (comma separated)").max_length(400),
        ],
    }))
}

pub async fn submit(
    app: &App,
    caller: &Caller,
    channel_id: u64,
    message_id: u64,
    data: &ModalInteractionData,
) -> ServiceResult<Reply> {
    let fields = modal_fields(data);
    let rules = &app.config.rules;
    let note = fields.get("note").cloned().unwrap_or_default();
    let request = || -> ServiceResult<CaptureRequest> {
        let department = fields.get("department").map_or("", String::as_str);
        let department = rules.departments.resolve(department).map_err(ServiceError::invalid)?;
        let channel = match fields.get("channel") {
            Some(c) => Some(rules.channels.resolve(c).map_err(ServiceError::invalid)?.clone()),
            None => None,
        };
        Ok(CaptureRequest {
            guild: caller.guild,
            author: caller.author(),
            department: department.clone(),
            channel,
            note: note.clone(),
            tags: fields.get("tags").cloned(),
            when: None,
            follow_up: None,
            source: Some(format!("https://discord.com/channels/{}/{channel_id}/{message_id}", caller.guild)),
        })
    };
    super::intel::saved_or_keep_text(app, &note, request()).await
}
