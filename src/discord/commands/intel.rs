//! `/intel`: record what you heard. With a note it saves at once; without one it opens a form.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::{CommandInteraction, CommandOptionType, ModalInteractionData};

use super::{channel_option, department_option};
use crate::config::Config;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::{Action, DepartmentRef};
use crate::discord::options::{modal_fields, Options};
use crate::discord::render;
use crate::domain::channel::ChannelKey;
use crate::domain::note::MAX_NOTE_CHARS;
use crate::message::{Modal, Reply, TextInput};
use crate::service::capture::{capture, related, CaptureRequest};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "intel";

pub fn definition(config: &Config) -> CreateCommand {
    CreateCommand::new(NAME)
        .description("Record what you heard from a department")
        .dm_permission(false)
        .add_option(department_option("The academic department it is about").required(true))
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "note",
                "What you heard (leave out to write it in a form)",
            )
            .max_length(MAX_NOTE_CHARS as u16),
        )
        .add_option(channel_option(config, "How it reached you"))
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "tags", "Tags, separated by commas")
                .max_length(400),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "when",
                "When it happened: today, yesterday, monday, 3 Nov…",
            )
            .max_length(40),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "follow_up",
                "Remind yourself to follow up by: friday, in 7 days, 3 Dec…",
            )
            .max_length(40),
        )
}

pub async fn run(app: &App, caller: &Caller, command: &CommandInteraction) -> ServiceResult<Reply> {
    let options = Options(command.data.options());
    let rules = &app.config.rules;
    let department_input = options.string("department").unwrap_or_default();
    // Checked before any form opens, so nobody types a note for a department that will be refused.
    let department = rules.departments.resolve(&department_input).map_err(ServiceError::invalid)?;
    let channel = match options.string("channel") {
        Some(c) => rules.channels.resolve(&c).map_err(ServiceError::invalid)?,
        None => rules.channels.default_channel(),
    };
    let Some(note) = options.string("note") else {
        return Ok(Reply::Modal(form(
            Action::IntelForm { department: DepartmentRef::of(department), channel: channel.key().clone() },
            &format!("Intel: {}", department.name()),
            "",
            options.string("tags").as_deref().unwrap_or(""),
            options.string("when").as_deref().unwrap_or(""),
            options.string("follow_up").as_deref().unwrap_or(""),
        )));
    };
    let request = CaptureRequest {
        guild: caller.guild,
        author: caller.author(),
        department: department.clone(),
        channel: Some(channel.clone()),
        note,
        tags: options.string("tags"),
        when: options.string("when"),
        follow_up: options.string("follow_up"),
        source: None,
    };
    saved(app, request).await
}

/// The form for a note: the note, then tags, when and follow-up, pre-filled from the command.
pub fn form(action: Action, title: &str, note: &str, tags: &str, when: &str, follow_up: &str) -> Modal {
    Modal {
        custom_id: action.to_custom_id(),
        title: title.to_string(),
        inputs: vec![
            TextInput::paragraph("note", "What you heard")
                .value(note)
                .placeholder("Three PhD students asked for EEBO training…")
                .required(),
            TextInput::line("tags", "Tags (comma separated)").value(tags).max_length(400),
            TextInput::line("when", "When (today, yesterday, monday, 3 Nov)").value(when).max_length(40),
            TextInput::line("follow_up", "Follow up by (friday, in 7 days)").value(follow_up).max_length(40),
        ],
    }
}

pub async fn submit(
    app: &App,
    caller: &Caller,
    department: &DepartmentRef,
    channel: &ChannelKey,
    data: &ModalInteractionData,
) -> ServiceResult<Reply> {
    let fields = modal_fields(data);
    let rules = &app.config.rules;
    let Some(department) = department.resolve(&rules.departments) else {
        return Err(ServiceError::invalid(
            "The department list changed while the form was open. Run /intel again.",
        ));
    };
    let note = fields.get("note").cloned().unwrap_or_default();
    let request = rules.channels.resolve(channel.as_str()).map_err(ServiceError::invalid).map(|channel| {
        CaptureRequest {
            guild: caller.guild,
            author: caller.author(),
            department: department.clone(),
            channel: Some(channel.clone()),
            note: note.clone(),
            tags: fields.get("tags").cloned(),
            when: fields.get("when").cloned(),
            follow_up: fields.get("follow_up").cloned(),
            source: None,
        }
    });
    saved_or_keep_text(app, &note, request).await
}

/// Saves and confirms, with who else heard about the same department or topic.
pub async fn saved(app: &App, request: CaptureRequest) -> ServiceResult<Reply> {
    let now = app.now();
    let entry = capture(app.store.as_ref(), &app.config.rules, request, now).await?;
    let related = related(app.store.as_ref(), &app.config.rules, &entry, 3, now).await?;
    Ok(Reply::Message(render::saved(&entry, &related, &app.config.rules)))
}

/// A form's text is lost when a submit is refused, so the refusal hands it back to copy: a
/// request the form's fields made (or the reason they made none), and the note typed.
pub async fn saved_or_keep_text(
    app: &App,
    note: &str,
    request: ServiceResult<CaptureRequest>,
) -> ServiceResult<Reply> {
    let result = match request {
        Ok(request) => saved(app, request).await,
        Err(e) => Err(e),
    };
    match result {
        Err(ServiceError::Invalid(message)) if !note.trim().is_empty() => Err(ServiceError::Invalid(
            format!("{message}\n\nYour note, to copy into a new try:\n{}", render::quoted(note)),
        )),
        other => other,
    }
}
