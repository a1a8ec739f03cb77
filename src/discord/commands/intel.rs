//! `/intel`: record what you heard. With a note it saves at once; without one it opens a form,
//! whose submit saves. Saving a form's note (this one's or "Save as intel"'s) is here too.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::event::{event_option, resolve as resolve_event, EVENT_OPTION};
use super::partner::{also_department_option, partner_option, resolve, resolve_list, ALSO_DEPARTMENT};
use super::{channel_option, department_option, hand_offs};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::{fresh_key, Action, DepartmentRef};
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::{Fields, Options};
use crate::discord::render;
use crate::domain::channel::{Channel, ChannelKey};
use crate::domain::department::Department;
use crate::domain::event::EventId;
use crate::domain::note::MAX_NOTE_CHARS;
use crate::domain::partner::PartnerLink;
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::message::{Markup, Modal, Reply, TextInput};
use crate::service::capture::{capture_once, Capture, CaptureRequest};
use crate::service::defaults::{self, ChannelDefault, LastChoices};
use crate::service::{ServiceError, ServiceResult};
use crate::store::CaptureKey;

pub const NAME: &str = "intel";

/// The option holding several tags, the last of which autocompletes.
pub const TAGS: &str = "tags";

pub fn definition() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("Record what you heard from a department")
        .dm_permission(false)
        // Left out, the form asks for it, starting from the member's last.
        .add_option(department_option("The academic department it is about (or pick it in the form)"))
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "note",
                "What you heard (leave out to write it in a form)",
            )
            .max_length(MAX_NOTE_CHARS as u16),
        )
        .add_option(channel_option("How it reached you (your last one when left out)"))
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, TAGS, "Tags, separated by commas")
                .set_autocomplete(true)
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
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "share",
                "Who sees the text: the team (default), or only you and admins",
            )
            .add_string_choice("team", Share::Team.as_str())
            .add_string_choice("private: only you and admins see the text", Share::Private.as_str()),
        )
        .add_option(partner_option("partner", "A partner it concerns"))
        .add_option(partner_option("partner2", "A second one (the form takes more)"))
        .add_option(also_department_option())
        .add_option(CreateCommandOption::new(
            CommandOptionType::Boolean,
            "hand_off",
            "Send it to the department's liaison librarians (always, through the desk)",
        ))
        .add_option(event_option("An event it was heard at (recent and upcoming ones are offered)"))
}

/// `/intel`'s options: the department and channel resolved, the rest as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntelRequest {
    /// `None`: the form asks for it (a note without one is refused).
    pub department: Option<Department>,
    /// `None`: the `event` channel for one heard at an event, else the member's last.
    pub channel: Option<Channel>,
    /// `None`: a form opens for it.
    pub note: Option<String>,
    pub tags: Option<String>,
    pub when: Option<String>,
    pub follow_up: Option<String>,
    pub share: Share,
    /// Partner names as typed (`partner`, then `partner2`); resolved when it runs.
    pub partners: Vec<String>,
    pub also_department: Option<Department>,
    /// Hand it to the department's liaison librarians, whatever the channel.
    pub hand_off: bool,
    /// The event it was heard at, as typed or picked; resolved when it runs.
    pub event: Option<String>,
}

/// A chat message, by channel and id: where a note saved with "Save as intel" came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceMessage {
    pub channel_id: u64,
    pub message_id: u64,
}

/// A note submitted in a form (`/intel`'s, or "Save as intel"'s), ready to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedNote {
    pub department: Department,
    /// The configured default when `None`.
    pub channel: Option<Channel>,
    pub note: String,
    pub tags: Option<String>,
    pub when: Option<String>,
    pub follow_up: Option<String>,
    pub source: Option<SourceMessage>,
    pub share: Share,
    pub also_departments: Vec<Department>,
    /// Partner names, comma separated, as typed; resolved when it is saved.
    pub partners: Option<String>,
    /// Hand it to the department's liaison librarians whatever the channel (`/intel hand_off`).
    pub hand_off: bool,
}

/// What `/intel`'s form carries in its id besides its one-time key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormState {
    pub department: DepartmentRef,
    pub channel: ChannelKey,
    pub share: Share,
    pub also: Option<DepartmentRef>,
    pub hand_off: bool,
}

pub fn parse(options: &Options, rules: &Rules) -> Result<IntelRequest, ServiceError> {
    // Checked before any form opens, so nobody types a note for a department that will be refused.
    let department = super::department_of(options, rules)?;
    let channel = super::channel_of(options, rules)?;
    // Discord offers the two choices only; anything else came from elsewhere and is refused.
    let share = match options.string("share") {
        Some(s) => Share::parse(&s).ok_or_else(|| {
            ServiceError::invalid(format!("share is team or private, not \"{}\"", shown_value(&s)))
        })?,
        None => Share::Team,
    };
    let also_department = match options.string(ALSO_DEPARTMENT) {
        Some(d) => Some(rules.departments.resolve(&d).map_err(ServiceError::invalid)?.clone()),
        None => None,
    };
    Ok(IntelRequest {
        department,
        channel,
        note: options.string("note"),
        tags: options.string("tags"),
        when: options.string("when"),
        follow_up: options.string("follow_up"),
        share,
        partners: [options.string("partner"), options.string("partner2")].into_iter().flatten().collect(),
        also_department,
        hand_off: options.boolean("hand_off").unwrap_or(false),
        event: options.string(EVENT_OPTION),
    })
}

/// What a person typed, as a refusal quotes it: cut short and with Discord's markup escaped.
fn shown_value(typed: &str) -> String {
    DiscordMarkup.text(&typed.chars().take(40).collect::<String>())
}

/// The forms' "Private?" field: the label (within Discord's 45 characters), and the input.
const PRIVATE_LABEL: &str = "Private? (yes: only you and admins see it)";

/// The forms' optional "Private?" field, pre-filled with "yes" for a private note.
pub fn private_input(share: Share) -> TextInput {
    let value = match share {
        Share::Team => "",
        Share::Private => "yes",
    };
    TextInput::line("private", PRIVATE_LABEL)
        .value(value)
        .placeholder("yes or no (no: the team sees it, as usual)")
        .max_length(10)
}

/// The "Private?" field as submitted: yes or private, no or team, in any case; left empty, the
/// team's. Anything else is refused, so that nobody believes a note private that is not.
pub fn parse_private(fields: &Fields) -> Result<Share, ServiceError> {
    let Some(typed) = fields.get("private") else { return Ok(Share::Team) };
    match typed.trim().to_lowercase().as_str() {
        "" | "no" | "team" => Ok(Share::Team),
        "yes" | "private" => Ok(Share::Private),
        _ => Err(ServiceError::invalid(format!(
            "Private? is yes or no, not \"{}\"",
            shown_value(typed.trim())
        ))),
    }
}

/// Saves the note, or opens the form for one, pre-filled with the rest.
pub async fn handle(app: &App, caller: &Caller, request: IntelRequest) -> ServiceResult<Reply> {
    let IntelRequest {
        department,
        channel,
        note,
        tags,
        when,
        follow_up,
        share,
        partners,
        also_department,
        hand_off,
        event,
    } = request;
    if department.is_none() {
        if note.is_some() {
            return Err(ServiceError::invalid(
                "Which department is it about? Add department:, or leave note out to pick it in the form.",
            ));
        }
        if !partners.is_empty() {
            return Err(ServiceError::invalid(
                "Add department: to name a partner here, or leave partner out: the form has no room for both.",
            ));
        }
    }
    // What the member used last, looked up only for what they left out.
    let last = match (&channel, &department) {
        (Some(_), Some(_)) => LastChoices::default(),
        _ => defaults::last_choices(app.store.as_ref(), &app.config.rules, caller.guild, caller.user).await,
    };
    let (channel, defaulted) = match channel {
        Some(typed) => (typed, None),
        None => {
            let (channel, why) = defaults::channel_for(&app.config.rules, event.is_some(), last.channel);
            (channel, Some(why))
        }
    };
    // The department the form starts from when none was typed.
    let last_department = last.department;
    // Checked before any form opens, as the department is: nobody types a note to lose it.
    let mut links = Vec::new();
    for typed in &partners {
        links.push(resolve(app, caller, typed).await?);
    }
    let partners = links;
    let event = match event.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(typed) => Some(resolve_event(app, caller, typed).await?),
        None => None,
    };
    if let (None, Some(event)) = (&note, &event) {
        // The event's form has the event's fields; options it cannot carry are refused, not lost.
        if share == Share::Private || also_department.is_some() || hand_off || !partners.is_empty() {
            return Err(ServiceError::invalid(
                "With an event, write the note in the note option to keep share, also_department, partner or hand_off; or leave those out to write it in a form.",
            ));
        }
        let typed = event_form::Typed {
            department: department.as_ref().or(last_department.as_ref()).map_or("", Department::name),
            tags: tags.as_deref().unwrap_or(""),
            when: when.as_deref().unwrap_or(""),
            follow_up: follow_up.as_deref().unwrap_or(""),
        };
        return Ok(Reply::Modal(event_form::form(caller.guild, event, channel.key().clone(), typed)));
    }
    let Some(note) = note else {
        let typed = Typed {
            note: "",
            tags: tags.as_deref().unwrap_or(""),
            when: when.as_deref().unwrap_or(""),
            follow_up: follow_up.as_deref().unwrap_or(""),
            partners: &partner_list(&partners),
        };
        let asked = match &department {
            Some(_) => None,
            // The id needs a department; the form's field, pre-filled, decides.
            None => Some(last_department.as_ref().map_or("", Department::name)),
        };
        let Some(filed) =
            department.as_ref().or(last_department.as_ref()).or(app.config.rules.departments.iter().next())
        else {
            return Err(ServiceError::invalid("No departments are configured."));
        };
        let title = match asked {
            Some(_) => "Intel".to_string(),
            None => format!("Intel: {}", filed.name()),
        };
        return Ok(Reply::Modal(form(
            Action::IntelForm {
                department: DepartmentRef::of(filed),
                channel: channel.key().clone(),
                once: Some(fresh_key()),
                share,
                also: also_department.as_ref().map(DepartmentRef::of),
                hand_off,
            },
            &form_title(&title, &channel, defaulted),
            typed,
            asked,
        )));
    };
    let Some(department) = department else {
        return Err(ServiceError::invalid("Which department is it about? Add department:."));
    };
    let request = CaptureRequest {
        also_departments: also_department.into_iter().collect(),
        partners,
        guild: caller.guild,
        author: caller.author(),
        department,
        channel: Some(channel),
        note,
        tags,
        when,
        follow_up,
        source: None,
        share,
    };
    // No key: the command itself is answered once by Discord; only a form can be sent twice.
    let via = defaulted.map(via);
    saved(app, request, None, hand_off, event.map(|e| e.id), via, caller.dates).await
}

/// What the reply adds to the channel the person did not name: why it is that one, and how to
/// name another.
fn via(why: ChannelDefault) -> String {
    let why = match why {
        ChannelDefault::Last => "as last time",
        ChannelDefault::Configured => "the default",
        ChannelDefault::Event => "heard at an event",
    };
    format!("{why}; change it with channel:")
}

/// A form's title, with the channel when the person did not name it (so that they see it before
/// writing), within Discord's 45 characters: without the channel when both do not fit.
fn form_title(title: &str, channel: &Channel, defaulted: Option<ChannelDefault>) -> String {
    let with_channel = format!("{title}, via {}", channel.name());
    match defaulted {
        Some(_) if with_channel.chars().count() <= crate::message::limits::MODAL_TITLE_MAX => with_channel,
        _ => title.to_string(),
    }
}

/// Partner names as a form's field holds them.
pub fn partner_list(partners: &[PartnerLink]) -> String {
    partners.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// The forms' "Partners" field, pre-filled with names.
pub fn partners_input(names: &str) -> TextInput {
    TextInput::line("partners", "Partners (comma separated)")
        .value(names)
        .placeholder("Dr A. Field, Study Skills…")
        .max_length(PARTNERS_INPUT_MAX)
}

/// The partners field holds the most partners an entry names at their longest, with the `, `
/// between them: so it is never cut.
const PARTNERS_INPUT_MAX: u16 = {
    use crate::domain::partner::{MAX_ENTRY_PARTNERS, MAX_NAME_CHARS};
    let chars = MAX_ENTRY_PARTNERS * (MAX_NAME_CHARS + ", ".len());
    assert!(chars <= crate::message::limits::TEXT_INPUT_MAX as usize);
    chars as u16
};

/// What the form is pre-filled with.
struct Typed<'a> {
    note: &'a str,
    tags: &'a str,
    when: &'a str,
    follow_up: &'a str,
    partners: &'a str,
}

/// The form for a note: the note, then tags, when, follow-up and partners, pre-filled from the
/// command. Five inputs: Discord's most. It has no "Private?" field, unlike "Save as intel"'s:
/// `/intel`'s `share` option says it, and the form's id carries it, so its slot holds partners.
/// Asked for the department (`asked`, what it is pre-filled with), the form gives it the partners'
/// slot: a command that names partners names its department too.
fn form(action: Action, title: &str, typed: Typed<'_>, asked: Option<&str>) -> Modal {
    let last = match asked {
        Some(department) => {
            TextInput::line("department", "Department").value(department).max_length(100).required()
        }
        None => partners_input(typed.partners),
    };
    let mut inputs = vec![
        TextInput::paragraph("note", "What you heard")
            .value(typed.note)
            .placeholder("Three PhD students asked for EEBO training…")
            .required(),
        TextInput::line("tags", "Tags (comma separated)").value(typed.tags).max_length(400),
        TextInput::line("when", "When (today, yesterday, monday, 3 Nov)").value(typed.when).max_length(40),
        TextInput::line("follow_up", "Follow up by (friday, in 7 days)")
            .value(typed.follow_up)
            .max_length(40),
    ];
    match asked {
        // First: it is what the rest is about.
        Some(_) => inputs.insert(0, last),
        None => inputs.push(last),
    }
    Modal { custom_id: action.to_custom_id(), title: title.to_string(), inputs }
}

/// The submit of the form `/intel` opened: the department, channel, share and other department
/// its id carries, and its fields. A form opened by an older version has a "Private?" field: it
/// is read when present.
pub fn parse_form(form: &FormState, fields: &Fields, rules: &Rules) -> Result<SubmittedNote, ServiceError> {
    let note = fields.get("note").cloned().unwrap_or_default();
    let changed = || {
        keep_text(
            ServiceError::invalid("The department list changed while the form was open. Run /intel again."),
            &note,
        )
    };
    let department = match fields.get("department") {
        // A form that asked for the department: what was typed, refused with the closest names.
        Some(typed) => {
            rules.departments.resolve(typed).map_err(|e| keep_text(ServiceError::invalid(e), &note))?
        }
        None => form.department.resolve(&rules.departments).ok_or_else(changed)?,
    };
    let also_departments = match &form.also {
        Some(also) => vec![also.resolve(&rules.departments).ok_or_else(changed)?.clone()],
        None => Vec::new(),
    };
    let channel = rules
        .channels
        .resolve(form.channel.as_str())
        .map_err(|e| keep_text(ServiceError::invalid(e), &note))?;
    let share = match fields.contains_key("private") {
        true => parse_private(fields).map_err(|e| keep_text(e, &note))?,
        false => form.share,
    };
    Ok(SubmittedNote {
        also_departments,
        partners: fields.get("partners").cloned(),
        department: department.clone(),
        channel: Some(channel.clone()),
        note,
        tags: fields.get("tags").cloned(),
        when: fields.get("when").cloned(),
        follow_up: fields.get("follow_up").cloned(),
        source: None,
        share,
        hand_off: form.hand_off,
    })
}

/// Saves a form's note (from either form), once per `once` key the form carried. A refused submit
/// hands the note back to copy.
pub async fn handle_form(
    app: &App,
    caller: &Caller,
    submitted: SubmittedNote,
    once: Option<CaptureKey>,
) -> ServiceResult<Reply> {
    handle_form_at(app, caller, submitted, once, None).await
}

/// As [`handle_form`], the entry linked to the event it was heard at, if any.
pub async fn handle_form_at(
    app: &App,
    caller: &Caller,
    submitted: SubmittedNote,
    once: Option<CaptureKey>,
    event: Option<EventId>,
) -> ServiceResult<Reply> {
    let SubmittedNote {
        department,
        channel,
        note,
        tags,
        when,
        follow_up,
        source,
        share,
        also_departments,
        partners,
        hand_off,
    } = submitted;
    let source = source
        .map(|m| format!("https://discord.com/channels/{}/{}/{}", caller.guild, m.channel_id, m.message_id));
    let partners = resolve_list(app, caller, partners.as_deref().unwrap_or(""))
        .await
        .map_err(|e| keep_text(e, &note))?;
    let request = CaptureRequest {
        also_departments,
        partners,
        guild: caller.guild,
        author: caller.author(),
        department,
        channel,
        note: note.clone(),
        tags,
        when,
        follow_up,
        source,
        share,
    };
    saved(app, request, once, hand_off, event, None, caller.dates).await.map_err(|e| keep_text(e, &note))
}

/// Saves and confirms, with who else heard about the same department or topic, and who it was
/// handed off to (through a hand-off channel, or `hand_off`); or, for a form submitted again,
/// names the entry its first submit saved. `via` is said of the channel when the person did not
/// name it.
async fn saved(
    app: &App,
    request: CaptureRequest,
    once: Option<CaptureKey>,
    hand_off: bool,
    event: Option<EventId>,
    via: Option<String>,
    dates: crate::domain::date_style::DateStyle,
) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    let guild = request.guild;
    match capture_once(app.store.as_ref(), rules, request, once, app.now()).await? {
        Capture::Saved(captured) => {
            let mut message = render::saved(&captured.entry, captured.related.as_deref(), rules, dates);
            message.buttons.push(vec![super::impact::mark_button(captured.entry.id)]);
            if let Some(via) = via {
                let channel =
                    message.embeds.iter_mut().flat_map(|e| e.fields.iter_mut()).find(|f| f.name == "Channel");
                if let Some(field) = channel {
                    field.value = format!("{} ({via})", field.value);
                }
            }
            if let Some(event) = event {
                let linked = event_form::link(app, guild, captured.entry.id, event).await;
                message.content = [message.content.as_str(), linked.as_str()].join("\n").trim().to_string();
            }
            if let Some(told) = hand_offs::after_capture(app, &captured.entry, hand_off).await {
                message.content = [message.content.as_str(), told.as_str()].join("\n").trim().to_string();
            }
            if let Some(told) = told::after_capture(app, &captured).await {
                message.content = [message.content.as_str(), told.as_str()].join("\n").trim().to_string();
            }
            Ok(Reply::Message(message))
        }
        Capture::Already(id) => {
            // The first submit linked it, unless it failed between the two writes.
            if let Some(event) = event {
                event_form::link(app, guild, id, event).await;
            }
            Ok(Reply::Message(render::already_saved(id)))
        }
    }
}

/// A form's text is lost when its submit is refused, so a refusal the person can act on hands the
/// note back to copy into a new try.
pub fn keep_text(error: ServiceError, note: &str) -> ServiceError {
    match error {
        ServiceError::Invalid(reason) if !note.trim().is_empty() => ServiceError::Returned {
            reason,
            returned: format!("Your note, to copy into a new try:\n{}", render::quoted(note)),
        },
        other => other,
    }
}

pub mod event_form;
mod told;

#[cfg(test)]
mod tests;
