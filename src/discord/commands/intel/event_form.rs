//! The /intel form for what was heard at an event: opened by `/intel event:` without a note, and
//! by "Log what I heard" in a post-event DM. Its id carries the guild and the event (a DM has no
//! guild), so its submit saves the note as `/intel` does and links it to the event.

use super::{handle_form_at, keep_text, SubmittedNote};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::{fresh_key, Action};
use crate::discord::options::Fields;
use crate::domain::channel::ChannelKey;
use crate::domain::event::{EventChoice, EventId};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::message::{Modal, Reply, TextInput};
use crate::service::{events, ServiceError, ServiceResult};
use crate::store::CaptureKey;

/// What the form is pre-filled with.
#[derive(Debug, Clone, Copy, Default)]
pub struct Typed<'a> {
    pub department: &'a str,
    pub tags: &'a str,
    pub when: &'a str,
    pub follow_up: &'a str,
}

/// The form's title: within Discord's 45 characters, the event's name cut to fit.
fn title(event: &EventChoice) -> String {
    let name: String = event.name.as_str().chars().take(36).collect();
    if name.chars().count() < event.name.as_str().chars().count() {
        format!("Heard at {}…", name.chars().take(35).collect::<String>())
    } else {
        format!("Heard at {name}")
    }
}

/// The form: the department (it may differ for each thing heard), the note, tags, when (the
/// event's last day unless typed) and a follow-up date.
pub fn form(guild: GuildId, event: &EventChoice, channel: ChannelKey, typed: Typed<'_>) -> Modal {
    let when = match typed.when {
        "" => event.dates.ends_on().format("%Y-%m-%d").to_string(),
        typed => typed.to_string(),
    };
    Modal {
        custom_id: Action::EventIntelForm { guild, event: event.id, channel, once: Some(fresh_key()) }
            .to_custom_id(),
        title: title(event),
        inputs: vec![
            TextInput::line("department", "Department").value(typed.department).max_length(100).required(),
            TextInput::paragraph("note", "What you heard")
                .placeholder("Two lecturers asked for a session on data management…")
                .required(),
            TextInput::line("tags", "Tags (comma separated)").value(typed.tags).max_length(400),
            TextInput::line("when", "When (today, yesterday, monday, 3 Nov)").value(when).max_length(40),
            TextInput::line("follow_up", "Follow up by (friday, in 7 days)")
                .value(typed.follow_up)
                .max_length(40),
        ],
    }
}

/// The submit, as a note `/intel` saves: the department typed, the channel the id carries.
pub fn parse(channel: &ChannelKey, fields: &Fields, rules: &Rules) -> Result<SubmittedNote, ServiceError> {
    let note = fields.get("note").cloned().unwrap_or_default();
    let department = rules
        .departments
        .resolve(fields.get("department").map(String::as_str).unwrap_or(""))
        .map_err(|e| keep_text(ServiceError::invalid(e), &note))?;
    let channel =
        rules.channels.resolve(channel.as_str()).map_err(|e| keep_text(ServiceError::invalid(e), &note))?;
    Ok(SubmittedNote {
        department: department.clone(),
        channel: Some(channel.clone()),
        note,
        tags: fields.get("tags").cloned(),
        when: fields.get("when").cloned(),
        follow_up: fields.get("follow_up").cloned(),
        source: None,
        share: Share::Team,
        also_departments: Vec::new(),
        partners: None,
        hand_off: false,
    })
}

/// The submit in a server: any member may log what they heard at one of its events.
pub async fn handle(
    app: &App,
    caller: &Caller,
    (guild, event, channel, once): (GuildId, EventId, ChannelKey, Option<CaptureKey>),
    fields: &Fields,
) -> ServiceResult<Reply> {
    if guild != caller.guild {
        return Err(ServiceError::invalid("This form belongs to another server."));
    }
    let submitted = parse(&channel, fields, &app.config.rules)?;
    handle_form_at(app, caller, submitted, once, Some(event)).await
}

/// The submit in a DM (from a post-event prompt): no member to identify, so only the event's
/// organisers may use it, as the prompt went to them alone.
pub async fn handle_in_dm(
    app: &App,
    (user, name): (UserId, String),
    (guild, event, channel, once): (GuildId, EventId, ChannelKey, Option<CaptureKey>),
    fields: &Fields,
) -> ServiceResult<Reply> {
    let organiser = events::is_organiser(app.store.as_ref(), guild, event, user).await?;
    if !organiser {
        return Err(ServiceError::invalid(
            "Only the event's organisers can log what they heard from here; use /intel in the server.",
        ));
    }
    let caller = Caller { guild, user, name, is_admin: false, is_reporter: false, dates: Default::default() };
    handle(app, &caller, (guild, event, channel, once), fields).await
}

/// Links the saved entry to the event, and says so; a failure is told (the entry is saved all the
/// same) and logged.
pub async fn link(app: &App, guild: GuildId, entry: EntryId, event: EventId) -> String {
    match events::link(app.store.as_ref(), guild, entry, event).await {
        Ok(()) => "Linked to the event.".to_string(),
        Err(e) => {
            tracing::error!(guild = %guild, entry = %entry, event = %event, error = %e.loggable(), "linking an entry to its event failed");
            "It was saved, but could not be linked to the event just now.".to_string()
        }
    }
}
