//! "Mark as impact": the button on a capture's saved reply and on `/entry show`, the form it opens
//! (outcome, evidence link, objective typed and matched to the guild's list), the story as
//! `/entry show` shows it, and "Remove impact story" there. Who may mark an entry is the service's to decide, on opening the form
//! and again on its submit.

use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::Action;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Fields;
use crate::discord::render;
use crate::domain::ids::EntryId;
use crate::domain::impact::{
    ImpactStory, ObjectiveMismatch, MAX_EVIDENCE_CHARS, MAX_OBJECTIVE_CHARS, MAX_OUTCOME_CHARS,
};
use crate::message::{Button, ButtonStyle, Embed, Field, Markup, Message, Modal, Reply, TextInput};
use crate::service::impact::{self, ImpactInput};
use crate::service::{ServiceError, ServiceResult};

const PURPLE: u32 = 0x6a1b9a;
const OUTCOME: &str = "outcome";
const EVIDENCE: &str = "evidence";
const OBJECTIVE: &str = "objective";

/// The button, for an entry.
pub fn mark_button(entry: EntryId) -> Button {
    Button::new(Action::MarkImpact(entry).to_custom_id(), "Mark as impact", ButtonStyle::Secondary)
}

/// `/entry show`'s buttons: "Mark as impact", or, for an entry that is a story already, "Edit
/// impact story" (the same form, filled in) and "Remove impact story".
pub fn story_buttons(entry: EntryId, marked: bool) -> Vec<Button> {
    if !marked {
        return vec![mark_button(entry)];
    }
    vec![
        Button::new(Action::MarkImpact(entry).to_custom_id(), "Edit impact story", ButtonStyle::Secondary),
        Button::new(Action::RemoveImpact(entry).to_custom_id(), "Remove impact story", ButtonStyle::Danger),
    ]
}

/// "Remove impact story" pressed: the story is taken off, and the reply, private, shows what it
/// said, so that a slip of the finger loses nothing that cannot be typed back.
pub async fn remove(app: &App, caller: &Caller, entry: EntryId) -> ServiceResult<Reply> {
    let store = app.store.as_ref();
    let story = impact::story(store, caller.guild, entry).await?;
    let removed = impact::remove(store, caller.guild, entry, caller.actor()).await?;
    let message = match story.filter(|_| removed) {
        Some(story) => Message {
            content: format!(
                "Entry #{entry} is no longer an impact story. This is what it said; mark it again \
                 with `/entry show id:{entry}`."
            ),
            embeds: vec![story_embed(&story)],
            ..Message::default()
        },
        None => Message { content: format!("Entry #{entry} is not an impact story."), ..Message::default() },
    };
    Ok(Reply::Message(Message { ephemeral: true, ..message }))
}

/// The button pressed: the form, pre-filled with the entry's story if it has one; refused before
/// it opens for someone who may not mark the entry, or where the guild has no objectives yet.
pub async fn open_form(app: &App, caller: &Caller, entry: EntryId) -> ServiceResult<Reply> {
    let store = app.store.as_ref();
    impact::markable(store, caller.guild, entry, caller.actor()).await?;
    let objectives = impact::objectives(store, caller.guild).await?;
    if objectives.names().is_empty() {
        return Err(ServiceError::invalid(ObjectiveMismatch::NoneListed));
    }
    let story = impact::story(store, caller.guild, entry).await?;
    let example = objectives.names().first().map(|n| format!("e.g. {n}")).unwrap_or_default();
    let (outcome, evidence, objective) = match &story {
        Some(s) => (
            s.outcome.as_str().to_string(),
            s.evidence.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default(),
            s.objective.as_str().to_string(),
        ),
        None => Default::default(),
    };
    Ok(Reply::Modal(Modal {
        custom_id: Action::ImpactForm(entry).to_custom_id(),
        title: format!("Impact story for entry #{entry}"),
        inputs: vec![
            TextInput::paragraph(OUTCOME, "What changed?")
                .value(outcome)
                .required()
                .max_length(MAX_OUTCOME_CHARS as u16),
            TextInput::line(EVIDENCE, "Evidence link (optional)")
                .value(evidence)
                .max_length(MAX_EVIDENCE_CHARS as u16),
            TextInput::line(OBJECTIVE, "Objective it serves")
                .value(objective)
                .placeholder(example)
                .required()
                .max_length(MAX_OBJECTIVE_CHARS as u16),
        ],
    }))
}

/// The form's submit: the entry and what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactSubmit {
    pub entry: EntryId,
    pub input: ImpactInput,
}

pub fn parse_form(entry: EntryId, fields: &Fields) -> ImpactSubmit {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    ImpactSubmit {
        entry,
        input: ImpactInput {
            outcome: field(OUTCOME),
            evidence: fields.get(EVIDENCE).cloned(),
            objective: field(OBJECTIVE),
        },
    }
}

/// Marks the entry and says so privately; a refusal hands the typed outcome back, since a
/// refused form's text is lost.
pub async fn handle_form(app: &App, caller: &Caller, submit: ImpactSubmit) -> ServiceResult<Reply> {
    let store = app.store.as_ref();
    let rules = &app.config.rules;
    let marked =
        impact::mark(store, rules, caller.guild, submit.entry, caller.actor(), &submit.input, app.now())
            .await
            .map_err(|e| keep_outcome(e, &submit.input.outcome))?;
    Ok(Reply::Message(Message {
        content: format!("Entry #{} is marked as an impact story.", submit.entry),
        embeds: vec![story_embed(&marked)],
        ephemeral: true,
        ..Message::default()
    }))
}

fn keep_outcome(error: ServiceError, outcome: &str) -> ServiceError {
    match error {
        ServiceError::Invalid(reason) if !outcome.trim().is_empty() => ServiceError::Returned {
            reason,
            returned: format!("Your outcome, to copy into a new try:\n{}", render::quoted(outcome)),
        },
        other => other,
    }
}

/// A story as `/entry show` and the confirmation show it. The evidence link as text, as a
/// partner's is: a typed link may say one thing and go to another.
pub fn story_embed(story: &ImpactStory) -> Embed {
    let m = DiscordMarkup;
    let mut fields = vec![
        Field::inline("Objective", m.text(story.objective.as_str())),
        Field::inline("Marked by", m.user(story.marked_by.0)),
    ];
    if let Some(evidence) = &story.evidence {
        fields.push(Field::new("Evidence", m.text(evidence.as_str())));
    }
    Embed {
        title: format!("Impact story · entry #{}", story.entry),
        description: render::quoted(story.outcome.as_str()),
        fields,
        colour: Some(PURPLE),
        ..Embed::default()
    }
}
