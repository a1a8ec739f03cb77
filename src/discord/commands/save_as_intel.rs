//! "Save as intel": a message context-menu command that turns a chat message into an entry, with
//! a link back to it. The form's submit is saved as `/intel`'s is ([`super::intel::handle_form`]).

use serenity::builder::CreateCommand;
use serenity::model::application::CommandType;

use super::intel::{keep_text, parse_private, partners_input, private_input, SourceMessage, SubmittedNote};
use super::partner::departments_in;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::{fresh_key, Action};
use crate::discord::options::{Fields, TargetMessage};
use crate::domain::note::MAX_NOTE_CHARS;
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::message::{Modal, Reply, TextInput};
use crate::service::{defaults, ServiceError};

pub const NAME: &str = "Save as intel";

pub fn definition() -> CreateCommand {
    CreateCommand::new(NAME).kind(CommandType::Message).dm_permission(false)
}

/// The message to save: where it is, and its text as the note to start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveAsIntelRequest {
    pub message: SourceMessage,
    pub note: String,
}

/// `target`: the message the command was used on, `None` when it could not be read.
pub fn parse(target: Option<&TargetMessage>) -> Result<SaveAsIntelRequest, ServiceError> {
    let Some(message) = target else {
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
    Ok(SaveAsIntelRequest {
        message: SourceMessage { channel_id: message.channel_id, message_id: message.message_id },
        note: text.chars().take(MAX_NOTE_CHARS).collect(),
    })
}

/// The form: the message's text to edit, and what else an entry needs. Five inputs: Discord's
/// most. With no options to say the rest, this form keeps "Private?" (which can be said nowhere
/// else) and the channel (which no edit changes), takes several departments in one field (the first
/// is the entry's own), and gives the tags' slot to partners: tags are still taken from the note's
/// `#hashtags`, as on every capture, and `/entry edit` sets them afterwards.
/// The department and channel start from the member's last (the channel from the config's default
/// before their first entry), as `/intel`'s do.
pub async fn handle(app: &App, caller: &Caller, request: SaveAsIntelRequest) -> Reply {
    let SourceMessage { channel_id, message_id } = request.message;
    let rules = &app.config.rules;
    let last = defaults::last_choices(app.store.as_ref(), rules, caller.guild, caller.user).await;
    let (channel, _) = defaults::channel_for(rules, false, last.channel);
    let department = last.department.as_ref().map_or("", |d| d.name());
    Reply::Modal(Modal {
        custom_id: Action::SaveForm { channel_id, message_id, once: Some(fresh_key()) }.to_custom_id(),
        title: "Save as intel".into(),
        inputs: vec![
            TextInput::paragraph("note", "What you heard (#hashtags become tags)")
                .value(request.note)
                .required(),
            TextInput::line("department", "Departments (the first is its own)")
                .value(department)
                .placeholder("History, Law, Engineering…")
                .required()
                .max_length(400),
            TextInput::line("channel", "How it reached you").value(channel.name()).max_length(40),
            partners_input(""),
            private_input(Share::Team),
        ],
    })
}

/// The form's submit, for the message its id names. A department or channel that does not
/// resolve is refused with the note handed back.
pub fn parse_form(
    message: SourceMessage,
    fields: &Fields,
    rules: &Rules,
) -> Result<SubmittedNote, ServiceError> {
    let note = fields.get("note").cloned().unwrap_or_default();
    let refused = |e: String| keep_text(ServiceError::Invalid(e), &note);
    let typed = fields.get("department").map_or("", String::as_str);
    let mut departments = departments_in(typed, rules).map_err(|e| keep_text(e, &note))?.into_iter();
    let department = match departments.next() {
        Some(d) => d,
        // Nothing typed: refused as an unknown (empty) department is, with the closest names.
        None => rules.departments.resolve("").map_err(|e| refused(e.to_string()))?.clone(),
    };
    let channel = match fields.get("channel") {
        Some(c) => Some(rules.channels.resolve(c).map_err(|e| refused(e.to_string()))?.clone()),
        None => None,
    };
    let share = parse_private(fields).map_err(|e| keep_text(e, &note))?;
    Ok(SubmittedNote {
        hand_off: false,
        department,
        also_departments: departments.collect(),
        partners: fields.get("partners").cloned(),
        channel,
        note: note.clone(),
        // A form opened by an older version has a tags field.
        tags: fields.get("tags").cloned(),
        when: None,
        follow_up: None,
        source: Some(message),
        share,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::{channel, department, refusal, rules};

    fn target(content: &str) -> TargetMessage {
        TargetMessage { channel_id: 10, message_id: 20, content: content.into() }
    }

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const MESSAGE: SourceMessage = SourceMessage { channel_id: 10, message_id: 20 };

    #[test]
    fn a_message_with_text_is_the_note_to_start_from_cut_to_a_notes_length() {
        let request = parse(Some(&target("  Prof. Khan says the reading list is missing \n"))).unwrap();
        assert_eq!(
            request,
            SaveAsIntelRequest {
                message: MESSAGE,
                note: "Prof. Khan says the reading list is missing".into()
            }
        );
        let long = "é".repeat(MAX_NOTE_CHARS + 10);
        assert_eq!(parse(Some(&target(&long))).unwrap().note.chars().count(), MAX_NOTE_CHARS);
    }

    #[test]
    fn a_message_unread_or_without_text_is_refused() {
        assert_eq!(refusal(parse(None)), "I couldn't read that message. Copy its text into /intel instead.");
        assert!(refusal(parse(Some(&target(" \n ")))).starts_with("That message has no text I can save"));
    }

    #[test]
    fn the_form_resolves_department_and_channel_and_keeps_the_message() {
        let rules = rules();
        let form = fields(&[
            ("note", "The MSc cohort can't find the reading list"),
            ("department", "computing, maths"),
            ("channel", "Corridor"),
            ("partners", "Dr A. Field"),
        ]);
        assert_eq!(
            parse_form(MESSAGE, &form, &rules).unwrap(),
            SubmittedNote {
                hand_off: false,
                department: department(&rules, "Computer Science"),
                channel: Some(channel(&rules, "corridor")),
                note: "The MSc cohort can't find the reading list".into(),
                tags: None,
                when: None,
                follow_up: None,
                source: Some(MESSAGE),
                share: Share::Team,
                also_departments: vec![department(&rules, "Mathematics")],
                partners: Some("Dr A. Field".into()),
            }
        );
        let no_channel = fields(&[("note", "x"), ("department", "Law")]);
        assert_eq!(parse_form(MESSAGE, &no_channel, &rules).unwrap().channel, None, "the default");
    }

    #[test]
    fn a_department_or_channel_that_does_not_resolve_hands_the_note_back() {
        let rules = rules();
        for (form, refused) in [
            (fields(&[("note", "Keep this"), ("department", "Alchemy")]), "no department called \"Alchemy\""),
            (fields(&[("note", "Keep this")]), "no department called \"\""),
            (
                fields(&[("note", "Keep this"), ("department", "Law"), ("channel", "pigeon")]),
                "no channel called \"pigeon\"",
            ),
        ] {
            let text = refusal(parse_form(MESSAGE, &form, &rules));
            assert!(text.starts_with(refused), "{text}");
            assert!(text.ends_with("Your note, to copy into a new try:\n> Keep this"), "{text}");
        }
    }
}
