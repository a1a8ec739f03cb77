//! `/entry show|edit|delete id`: one entry. Editing opens a form pre-filled with the note and tags
//! and redacts again; deleting asks for confirmation. Only the author or an admin may change one.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::impact;
use super::intel::{keep_text, partner_list, partners_input};
use super::partner::{departments_in, resolve_list};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::Action;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::{Fields, Options};
use crate::discord::render;
use crate::domain::department::Department;
use crate::domain::entry::EntryLinks;
use crate::domain::ids::EntryId;
use crate::domain::rules::Rules;
use crate::domain::tag::{MAX_TAGS, MAX_TAG_CHARS};
use crate::domain::words::{count, noun};
use crate::message::limits::TEXT_INPUT_MAX;
use crate::message::{Button, ButtonStyle, Markup, Message, Modal, Reply, TextInput};
use crate::service::entries::{self, EntryChange};
use crate::service::impact as impact_service;
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "entry";

/// The edit form's tags field holds the most tags an entry may have at their longest, each with a
/// `#` and the `, ` between them: so the list it is pre-filled with is never cut (a cut tag would
/// be lost on submit), and there is room to type the list again. Within Discord's limit for a
/// text input, checked when this compiles.
const TAGS_INPUT_MAX: u16 = {
    let chars = MAX_TAGS * (MAX_TAG_CHARS + "#, ".len());
    assert!(chars <= TEXT_INPUT_MAX as usize);
    chars as u16
};

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

/// Which entry, and what to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryRequest {
    Show(EntryId),
    Edit(EntryId),
    Delete(EntryId),
}

/// The edit form's submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRequest {
    pub id: EntryId,
    /// The note and tags; its links are set from `links` when it runs.
    pub change: EntryChange,
    /// `None` from a form opened before it held them: the entry's links stay as they are.
    pub links: Option<TypedLinks>,
}

/// Other departments (resolved) and partners (as typed, resolved when it runs) from the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedLinks {
    pub also_departments: Vec<Department>,
    pub partners: String,
}

pub fn parse(options: &Options) -> Result<EntryRequest, ServiceError> {
    let Some((sub, options)) = options.subcommand() else {
        return Err(ServiceError::invalid("Choose show, edit or delete."));
    };
    // Discord always sends the id (it is required); without one the answer is that there is no
    // entry #0, as it always was.
    let id = EntryId(options.integer("id").unwrap_or(0));
    match sub {
        "show" => Ok(EntryRequest::Show(id)),
        "edit" => Ok(EntryRequest::Edit(id)),
        "delete" => Ok(EntryRequest::Delete(id)),
        other => Err(ServiceError::invalid(format!("There is no /entry {}.", DiscordMarkup.text(other)))),
    }
}

/// The entry in full; or, for its author or an admin, the edit form or the delete confirmation.
pub async fn handle(app: &App, caller: &Caller, request: EntryRequest) -> ServiceResult<Reply> {
    let store = app.store.as_ref();
    match request {
        EntryRequest::Show(id) => {
            let entry = entries::show_to(store, caller.guild, id, caller.actor()).await?;
            let mut embed = render::entry(&entry, &app.config.rules, caller.dates);
            if let Some(event) = crate::service::events::of_entry(store, caller.guild, id).await? {
                embed.fields.push(crate::message::Field::inline("Event", DiscordMarkup.text(&event.label())));
            }
            let mut embeds = vec![embed];
            embeds.extend(
                impact_service::story(store, caller.guild, id).await?.as_ref().map(impact::story_embed),
            );
            Ok(Reply::Message(Message {
                embeds,
                buttons: vec![vec![impact::mark_button(id)]],
                ephemeral: true,
                ..Message::default()
            }))
        }
        EntryRequest::Edit(id) => {
            let entry = entries::authorised(store, caller.guild, id, caller.actor(), "edit").await?;
            let tags: Vec<&str> = entry.tags.iter().map(|t| t.as_str()).collect();
            let rules = &app.config.rules;
            let also: Vec<&str> =
                entry.also_departments.iter().map(|k| rules.departments.display_name(k)).collect();
            Ok(Reply::Modal(Modal {
                custom_id: Action::EditWithLinks(id).to_custom_id(),
                title: format!("Edit entry #{id}"),
                inputs: vec![
                    TextInput::paragraph("note", "Note").value(entry.note.as_str()).required(),
                    TextInput::line("tags", "Tags (comma separated)")
                        .value(tags.join(", "))
                        .max_length(TAGS_INPUT_MAX),
                    TextInput::line("also_departments", "Other departments (comma separated)")
                        .value(also.join(", "))
                        .max_length(TEXT_INPUT_MAX),
                    partners_input(&partner_list(&entry.partners)),
                ],
            }))
        }
        EntryRequest::Delete(id) => {
            // An entry that cannot be read can still be deleted: the confirmation says so instead
            // of quoting it.
            let content = match entries::deletable(store, caller.guild, id, caller.actor()).await? {
                Some(entry) => format!(
                    "Delete entry #{id}? This cannot be undone.\n{}",
                    render::quoted(&entry.note.excerpt(300))
                ),
                None => format!("Entry #{id} could not be read. Delete it? This cannot be undone."),
            };
            Ok(Reply::Message(Message {
                content,
                buttons: vec![vec![
                    Button::new(Action::ConfirmDelete(id).to_custom_id(), "Delete", ButtonStyle::Danger),
                    Button::new(Action::CancelDelete(id).to_custom_id(), "Keep it", ButtonStyle::Secondary),
                ]],
                ephemeral: true,
                ..Message::default()
            }))
        }
    }
}

/// The edit form's submit, for the entry its id names. `with_links`: the form holds other
/// departments and partners (a department that does not resolve is refused, the note handed back).
pub fn parse_edit(
    id: EntryId,
    fields: &Fields,
    rules: &Rules,
    with_links: bool,
) -> Result<EditRequest, ServiceError> {
    let note = fields.get("note").cloned().unwrap_or_default();
    let links = match with_links {
        true => Some(TypedLinks {
            also_departments: departments_in(
                fields.get("also_departments").map_or("", String::as_str),
                rules,
            )
            .map_err(|e| keep_text(e, &note))?,
            partners: fields.get("partners").cloned().unwrap_or_default(),
        }),
        false => None,
    };
    let change = EntryChange { note, tags: fields.get("tags").cloned(), links: None };
    Ok(EditRequest { id, change, links })
}

pub async fn handle_edit(app: &App, caller: &Caller, request: EditRequest) -> ServiceResult<Reply> {
    let EditRequest { id, mut change, links } = request;
    if let Some(links) = links {
        let partners =
            resolve_list(app, caller, &links.partners).await.map_err(|e| keep_text(e, &change.note))?;
        change.links = Some(EntryLinks {
            also_departments: links.also_departments.iter().map(|d| d.key().clone()).collect(),
            partners: partners.iter().map(|p| p.id).collect(),
        });
    }
    let rules = &app.config.rules;
    let entry =
        entries::edit(app.store.as_ref(), rules, caller.guild, id, caller.actor(), &change, app.now())
            .await
            .map_err(|e| keep_text(e, &change.note))?;
    let mut message = Message {
        content: format!("Updated entry #{id}."),
        embeds: vec![render::entry(&entry, rules, caller.dates)],
        ephemeral: true,
        ..Message::default()
    };
    if entry.redactions > 0 {
        let items = count(entry.redactions, "item", "items");
        let verb = noun(entry.redactions, "is", "are");
        message.content.push_str(&format!(" {items} of personal data {verb} redacted."));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::refusal;

    fn sub(name: &str, options: Options) -> Options {
        Options::new().with(name, options)
    }

    #[test]
    fn each_subcommand_names_its_entry() {
        let id = || Options::new().with("id", 12);
        assert_eq!(parse(&sub("show", id())).unwrap(), EntryRequest::Show(EntryId(12)));
        assert_eq!(parse(&sub("edit", id())).unwrap(), EntryRequest::Edit(EntryId(12)));
        assert_eq!(parse(&sub("delete", id())).unwrap(), EntryRequest::Delete(EntryId(12)));
        // Discord requires the id; without one, the entry is #0, which no entry is.
        assert_eq!(parse(&sub("show", Options::new())).unwrap(), EntryRequest::Show(EntryId(0)));
    }

    #[test]
    fn no_subcommand_or_an_unknown_one_is_refused() {
        assert_eq!(refusal(parse(&Options::new().with("id", 1))), "Choose show, edit or delete.");
        assert_eq!(refusal(parse(&sub("*purge*", Options::new()))), "There is no /entry \\*purge\\*.");
    }

    #[test]
    fn the_edit_form_is_the_new_note_and_tags() {
        let fields: Fields = [("note", "Edited"), ("tags", "westlaw")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let rules = crate::discord::commands::fixtures::rules();
        let change = EntryChange { note: "Edited".into(), tags: Some("westlaw".into()), links: None };
        assert_eq!(
            parse_edit(EntryId(3), &fields, &rules, false).unwrap(),
            EditRequest { id: EntryId(3), change, links: None }
        );
        // A note left blank is an empty note, which the edit then refuses.
        let blank = parse_edit(EntryId(3), &Fields::new(), &rules, false).unwrap();
        assert_eq!(blank.change, EntryChange { note: String::new(), tags: None, links: None });
        // The newer form's links: departments resolved, partners as typed; blank ones clear them.
        let linked: Fields = [("note", "x"), ("also_departments", "law, maths"), ("partners", "Dr A. Field")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let links = parse_edit(EntryId(3), &linked, &rules, true).unwrap().links.unwrap();
        let names: Vec<&str> = links.also_departments.iter().map(|d| d.name()).collect();
        assert_eq!((names, links.partners.as_str()), (vec!["Law", "Mathematics"], "Dr A. Field"));
        let cleared = parse_edit(EntryId(3), &[("note".to_string(), "x".to_string())].into(), &rules, true);
        assert_eq!(cleared.unwrap().links, Some(TypedLinks::default()));
        let typo: Fields = [("note", "Keep"), ("also_departments", "Alchemy")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let text = crate::discord::commands::fixtures::refusal(parse_edit(EntryId(3), &typo, &rules, true));
        assert!(text.starts_with("no department called \"Alchemy\""), "{text}");
    }
}
