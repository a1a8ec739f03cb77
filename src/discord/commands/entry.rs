//! `/entry show|edit|delete id`: one entry. Editing opens a form pre-filled with the note and tags
//! and redacts again; deleting asks for confirmation. Only the author or an admin may change one.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::{CommandInteraction, CommandOptionType, ModalInteractionData};

use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::Action;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::{modal_fields, Options};
use crate::discord::render;
use crate::domain::ids::EntryId;
use crate::message::{Button, ButtonStyle, Markup, Message, Modal, Reply, TextInput};
use crate::service::entries::{self, EntryChange};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "entry";

pub fn definition() -> CreateCommand {
    let id = || {
        CreateCommandOption::new(CommandOptionType::Integer, "id", "The entry's number (as in #12)")
            .required(true)
            .min_int_value(1)
    };
    let sub = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::SubCommand, name, description).add_sub_option(id())
    };
    CreateCommand::new(NAME)
        .description("Show, edit or delete one entry")
        .dm_permission(false)
        .add_option(sub("show", "Show an entry in full"))
        .add_option(sub("edit", "Edit an entry's note and tags (its author or an admin)"))
        .add_option(sub("delete", "Delete an entry (its author or an admin)"))
}

pub async fn run(app: &App, caller: &Caller, command: &CommandInteraction) -> ServiceResult<Reply> {
    let Some((sub, options)) = Options(command.data.options()).subcommand() else {
        return Err(ServiceError::invalid("Choose show, edit or delete."));
    };
    let id = EntryId(options.integer("id").unwrap_or(0));
    let entry = entries::show(app.store.as_ref(), caller.guild, id).await?;
    match sub {
        "show" => Ok(Reply::Message(Message {
            embeds: vec![render::entry(&entry, &app.config.rules)],
            ephemeral: true,
            ..Message::default()
        })),
        "edit" => {
            entries::authorise(&entry, caller.actor(), "edit")?;
            let tags: Vec<&str> = entry.tags.iter().map(|t| t.as_str()).collect();
            Ok(Reply::Modal(Modal {
                custom_id: Action::EditForm(id).to_custom_id(),
                title: format!("Edit entry #{id}"),
                inputs: vec![
                    TextInput::paragraph("note", "Note").value(entry.note.as_str()).required(),
                    TextInput::line("tags", "Tags (comma separated)").value(tags.join(", ")).max_length(400),
                ],
            }))
        }
        "delete" => {
            entries::authorise(&entry, caller.actor(), "delete")?;
            Ok(Reply::Message(Message {
                content: format!(
                    "Delete entry #{id}? This cannot be undone.\n{}",
                    render::quoted(&entry.note.excerpt(300))
                ),
                buttons: vec![vec![
                    Button::new(Action::ConfirmDelete(id).to_custom_id(), "Delete", ButtonStyle::Danger),
                    Button::new(Action::CancelDelete(id).to_custom_id(), "Keep it", ButtonStyle::Secondary),
                ]],
                ephemeral: true,
                ..Message::default()
            }))
        }
        other => Err(ServiceError::invalid(format!("There is no /entry {}.", DiscordMarkup.text(other)))),
    }
}

pub async fn submit_edit(
    app: &App,
    caller: &Caller,
    id: EntryId,
    data: &ModalInteractionData,
) -> ServiceResult<Reply> {
    let fields = modal_fields(data);
    let change = EntryChange {
        note: fields.get("note").cloned().unwrap_or_default(),
        tags: fields.get("tags").cloned(),
    };
    let entry = entries::edit(
        app.store.as_ref(),
        &app.config.rules,
        caller.guild,
        id,
        caller.actor(),
        &change,
        app.now(),
    )
    .await?;
    let mut message = Message {
        content: format!("Updated entry #{id}."),
        embeds: vec![render::entry(&entry, &app.config.rules)],
        ephemeral: true,
        ..Message::default()
    };
    if entry.redactions > 0 {
        message.content.push_str(&format!(" {} item(s) of personal data are redacted.", entry.redactions));
    }
    Ok(Reply::Message(message))
}

pub async fn confirm_delete(app: &App, caller: &Caller, id: EntryId) -> ServiceResult<Reply> {
    entries::delete(app.store.as_ref(), caller.guild, id, caller.actor()).await?;
    Ok(Reply::Update(Message {
        content: format!("Deleted entry #{id}."),
        ephemeral: true,
        ..Message::default()
    }))
}

pub fn cancel_delete(id: EntryId) -> Reply {
    Reply::Update(Message { content: format!("Kept entry #{id}."), ephemeral: true, ..Message::default() })
}
