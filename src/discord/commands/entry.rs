//! `/entry show|edit|delete id`: one entry. Deleting asks for confirmation. Only the author or an
//! admin may change one.
//!
//! Editing: a Discord form holds at most five inputs, and the short fields are best picked the way
//! `/intel` picks them, so `/entry edit` takes them as options, applied at once: `department`
//! (autocompleted), `channel`, `date` (a date phrase, as `/intel when:` reads it), and
//! `follow_up_owner` / `follow_up_due`, or `no_follow_up:True` to clear it. Without any of them it
//! opens the form, pre-filled with the note, tags, other departments and partners, whose submit
//! redacts the note again. Either way the reply says what changed. An entry of a hand-off channel
//! filed under a new department goes to that department's liaison librarians, as a capture would.

use chrono::{DateTime, Utc};
use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::intel::{keep_text, partner_list, partners_input};
use super::partner::{departments_in, resolve_list};
use super::{channel_option, department_option, hand_offs, impact};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::Action;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::{Fields, Options};
use crate::discord::render;
use crate::domain::department::Department;
use crate::domain::ids::EntryId;
use crate::domain::rules::Rules;
use crate::domain::tag::{MAX_TAGS, MAX_TAG_CHARS};
use crate::message::limits::TEXT_INPUT_MAX;
use crate::message::{Button, ButtonStyle, Markup, Message, Modal, Reply, TextInput};
use crate::service::dates;
use crate::service::edit::{self, Changed, EntryChange, FollowUpChange};
use crate::service::entries;
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

/// `/entry edit`'s options besides the id.
const DATE: &str = "date";
const FOLLOW_UP_OWNER: &str = "follow_up_owner";
const FOLLOW_UP_DUE: &str = "follow_up_due";
const NO_FOLLOW_UP: &str = "no_follow_up";

pub fn definition() -> CreateCommand {
    let id = || {
        CreateCommandOption::new(CommandOptionType::Integer, "id", "The entry's number (as in #12)")
            .required(true)
            .min_int_value(1)
    };
    let sub = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::SubCommand, name, description).add_sub_option(id())
    };
    let text = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::String, name, description).max_length(40)
    };
    let edit = sub(
        "edit",
        "Edit an entry (its author or an admin): options change those fields; none opens the note's form",
    )
    .add_sub_option(department_option("Move it to this department"))
    .add_sub_option(channel_option("How it reached you"))
    .add_sub_option(text(DATE, "When it happened: today, yesterday, monday, 3 Nov…"))
    .add_sub_option(CreateCommandOption::new(CommandOptionType::User, FOLLOW_UP_OWNER, "Who follows it up"))
    .add_sub_option(text(FOLLOW_UP_DUE, "Follow it up by: friday, in 7 days, 3 Dec…"))
    .add_sub_option(CreateCommandOption::new(
        CommandOptionType::Boolean,
        NO_FOLLOW_UP,
        "Remove its follow-up",
    ));
    CreateCommand::new(NAME)
        .description("Show, edit or delete one entry")
        .dm_permission(false)
        .add_option(sub("show", "Show an entry in full"))
        .add_option(edit)
        .add_option(sub("delete", "Delete an entry (its author or an admin)"))
}

/// Which entry, and what to do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryRequest {
    Show(EntryId),
    /// Open the form for the note, tags and links.
    Edit(EntryId),
    /// The options' changes, applied at once.
    EditFields(EntryId, Box<EntryChange>),
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

/// `now` and the rules read `date` and `follow_up_due` as `/intel` reads its dates.
pub fn parse(options: &Options, rules: &Rules, now: DateTime<Utc>) -> Result<EntryRequest, ServiceError> {
    let Some((sub, options)) = options.subcommand() else {
        return Err(ServiceError::invalid("Choose show, edit or delete."));
    };
    // Discord always sends the id (it is required); without one the answer is that there is no
    // entry #0, as it always was.
    let id = EntryId(options.integer("id").unwrap_or(0));
    match sub {
        "show" => Ok(EntryRequest::Show(id)),
        "edit" => {
            let change = edit_options(options, rules, now)?;
            if change == EntryChange::default() {
                Ok(EntryRequest::Edit(id))
            } else {
                Ok(EntryRequest::EditFields(id, Box::new(change)))
            }
        }
        "delete" => Ok(EntryRequest::Delete(id)),
        other => Err(ServiceError::invalid(format!("There is no /entry {}.", DiscordMarkup.text(other)))),
    }
}

/// `/entry edit`'s options as a change: each resolved or read here, once.
fn edit_options(options: &Options, rules: &Rules, now: DateTime<Utc>) -> Result<EntryChange, ServiceError> {
    let department = super::department_of(options, rules)?;
    let channel = super::channel_of(options, rules)?;
    let occurred_at = match options.string(DATE) {
        Some(phrase) => Some(dates::occurred_at(rules, Some(&phrase), now)?),
        None => None,
    };
    let owner = options.user(FOLLOW_UP_OWNER);
    let due = match options.string(FOLLOW_UP_DUE) {
        Some(phrase) => Some(dates::due_date(rules, &phrase, now)?),
        None => None,
    };
    let follow_up = match (options.boolean(NO_FOLLOW_UP).unwrap_or(false), owner, due) {
        (true, None, None) => FollowUpChange::Clear,
        (true, _, _) => {
            return Err(ServiceError::invalid(
                "Either remove the follow-up (no_follow_up) or change it (follow_up_owner, follow_up_due), not both.",
            ))
        }
        (false, None, None) => FollowUpChange::Keep,
        (false, owner, due) => FollowUpChange::Set { owner, due },
    };
    Ok(EntryChange { department, channel, occurred_at, follow_up, ..EntryChange::default() })
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
            let story = impact_service::story(store, caller.guild, id).await?;
            let mut embeds = vec![embed];
            embeds.extend(story.as_ref().map(impact::story_embed));
            Ok(Reply::Message(Message {
                embeds,
                buttons: vec![impact::story_buttons(id, story.is_some())],
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
        EntryRequest::EditFields(id, change) => edit_reply(app, caller, id, &change).await,
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
    // A form's tags field is always sent; blank, it means no tags.
    let tags = fields.get("tags").cloned().unwrap_or_default();
    let change = EntryChange { note: Some(note), tags: Some(tags), ..EntryChange::default() };
    Ok(EditRequest { id, change, links })
}

pub async fn handle_edit(app: &App, caller: &Caller, request: EditRequest) -> ServiceResult<Reply> {
    let EditRequest { id, mut change, links } = request;
    let note = change.note.clone().unwrap_or_default();
    if let Some(links) = links {
        let partners = resolve_list(app, caller, &links.partners).await.map_err(|e| keep_text(e, &note))?;
        change.also_departments = Some(links.also_departments);
        change.partners = Some(partners.iter().map(|p| p.id).collect());
    }
    edit_reply(app, caller, id, &change).await.map_err(|e| keep_text(e, &note))
}

/// Applies a change and says what changed, with the entry as it now reads.
async fn edit_reply(app: &App, caller: &Caller, id: EntryId, change: &EntryChange) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    let edited =
        edit::edit(app.store.as_ref(), rules, caller.guild, id, caller.actor(), change, app.now()).await?;
    let mut content = edit::describe(&edited, rules, &DiscordMarkup, Some(caller.dates));
    let refiled = edited
        .changed
        .iter()
        .any(|c| matches!(c, Changed::Department { .. } | Changed::Channel { .. } | Changed::Links));
    if refiled {
        if let Some(told) = hand_offs::after_edit(app, &edited.entry).await {
            content.push('\n');
            content.push_str(&told);
        }
    }
    Ok(Reply::Message(Message {
        content,
        embeds: vec![render::entry(&edited.entry, rules, caller.dates)],
        ephemeral: true,
        ..Message::default()
    }))
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
    use chrono::{NaiveDate, TimeZone};

    use super::*;
    use crate::discord::commands::fixtures::{channel, department, refusal, rules};
    use crate::discord::options::OptionValue;
    use crate::domain::ids::UserId;

    fn sub(name: &str, options: Options) -> Options {
        Options::new().with(name, options)
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 18, 15, 0, 0).unwrap()
    }

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn each_subcommand_names_its_entry() {
        let (rules, id) = (rules(), || Options::new().with("id", 12));
        assert_eq!(parse(&sub("show", id()), &rules, now()).unwrap(), EntryRequest::Show(EntryId(12)));
        assert_eq!(parse(&sub("edit", id()), &rules, now()).unwrap(), EntryRequest::Edit(EntryId(12)));
        assert_eq!(parse(&sub("delete", id()), &rules, now()).unwrap(), EntryRequest::Delete(EntryId(12)));
        // Discord requires the id; without one, the entry is #0, which no entry is.
        assert_eq!(
            parse(&sub("show", Options::new()), &rules, now()).unwrap(),
            EntryRequest::Show(EntryId(0))
        );
    }

    #[test]
    fn no_subcommand_or_an_unknown_one_is_refused() {
        let rules = rules();
        assert_eq!(
            refusal(parse(&Options::new().with("id", 1), &rules, now())),
            "Choose show, edit or delete."
        );
        assert_eq!(
            refusal(parse(&sub("*purge*", Options::new()), &rules, now())),
            "There is no /entry \\*purge\\*."
        );
    }

    #[test]
    fn edit_options_are_read_into_a_change_once() {
        let rules = rules();
        let options = Options::new()
            .with("id", 7)
            .with("department", "law")
            .with("channel", "coffee")
            .with(DATE, "yesterday")
            .with(FOLLOW_UP_OWNER, UserId(55))
            .with(FOLLOW_UP_DUE, "2026-12-01");
        let EntryRequest::EditFields(id, change) = parse(&sub("edit", options), &rules, now()).unwrap()
        else {
            panic!("applied at once")
        };
        assert_eq!(id, EntryId(7));
        // Yesterday, at midday in the rules' timezone (London is on UTC in November).
        let expected = EntryChange {
            department: Some(department(&rules, "Law")),
            channel: Some(channel(&rules, "coffee")),
            occurred_at: Some(Utc.with_ymd_and_hms(2026, 11, 17, 12, 0, 0).unwrap()),
            follow_up: FollowUpChange::Set {
                owner: Some(UserId(55)),
                due: Some(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            },
            ..EntryChange::default()
        };
        assert_eq!(*change, expected);

        let clear = sub("edit", Options::new().with("id", 7).with(NO_FOLLOW_UP, true));
        let EntryRequest::EditFields(_, change) = parse(&clear, &rules, now()).unwrap() else {
            panic!("a change")
        };
        assert_eq!(change.follow_up, FollowUpChange::Clear);
        // `no_follow_up:False` is no change: the form opens.
        let kept = sub("edit", Options::new().with("id", 7).with(NO_FOLLOW_UP, false));
        assert_eq!(parse(&kept, &rules, now()).unwrap(), EntryRequest::Edit(EntryId(7)));
    }

    #[test]
    fn bad_edit_options_are_refused_before_anything_is_read() {
        let rules = rules();
        let edit = |name: &str, value: OptionValue| {
            let options = Options::new().with("id", 7).with(name, value);
            refusal(parse(&sub("edit", options), &rules, now()))
        };
        assert!(edit("department", "Alchemy".into()).starts_with("no department called \"Alchemy\""));
        assert!(edit("channel", "carrier pigeon".into()).contains("carrier pigeon"));
        assert!(edit(DATE, "someday".into()).starts_with("\"someday\" is not a date I understand"));
        assert!(edit(DATE, "in 3 days".into()).contains("is in the future"));
        assert!(edit(FOLLOW_UP_DUE, "3 days ago".into()).contains("is in the past"));
        let both = Options::new().with("id", 7).with(NO_FOLLOW_UP, true).with(FOLLOW_UP_DUE, "friday");
        assert!(refusal(parse(&sub("edit", both), &rules, now())).starts_with("Either remove the follow-up"));
    }

    #[test]
    fn the_edit_form_is_the_new_note_and_tags() {
        let rules = rules();
        let change = EntryChange {
            note: Some("Edited".into()),
            tags: Some("westlaw".into()),
            ..EntryChange::default()
        };
        assert_eq!(
            parse_edit(EntryId(3), &fields(&[("note", "Edited"), ("tags", "westlaw")]), &rules, false)
                .unwrap(),
            EditRequest { id: EntryId(3), change, links: None }
        );
        // A note left blank is an empty note, which the edit then refuses; blank tags are none.
        let blank = parse_edit(EntryId(3), &Fields::new(), &rules, false).unwrap();
        let none =
            EntryChange { note: Some(String::new()), tags: Some(String::new()), ..EntryChange::default() };
        assert_eq!(blank.change, none);
        // The newer form's links: departments resolved, partners as typed; blank ones clear them.
        let linked =
            fields(&[("note", "x"), ("also_departments", "law, maths"), ("partners", "Dr A. Field")]);
        let links = parse_edit(EntryId(3), &linked, &rules, true).unwrap().links.unwrap();
        let names: Vec<&str> = links.also_departments.iter().map(|d| d.name()).collect();
        assert_eq!((names, links.partners.as_str()), (vec!["Law", "Mathematics"], "Dr A. Field"));
        let cleared = parse_edit(EntryId(3), &fields(&[("note", "x")]), &rules, true);
        assert_eq!(cleared.unwrap().links, Some(TypedLinks::default()));
        let typo = fields(&[("note", "Keep"), ("also_departments", "Alchemy")]);
        let text = refusal(parse_edit(EntryId(3), &typo, &rules, true));
        assert!(text.starts_with("no department called \"Alchemy\""), "{text}");
    }
}
