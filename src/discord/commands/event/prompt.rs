//! The post-event DM ("What happens after <event>?") and its three buttons: **Add follow-up** (a
//! form: what, owner, due, department), **Log what I heard** (the event's /intel form) and
//! **Nothing needed**. Pressed in a DM, where there is no guild or member: the guild travels in
//! the ids, and only the event's organisers may answer.

use crate::discord::app::App;
use crate::discord::custom_id::{fresh_key, Action, PromptAnswer};
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Fields;
use crate::domain::entry::Author;
use crate::domain::event::{Event, EventId};
use crate::domain::ids::{GuildId, UserId};
use crate::message::{Button, ButtonStyle, Embed, Markup, Message, Modal, Reply, TextInput};
use crate::service::defaults;
use crate::service::event_prompts::{self, FollowUpInput, FollowUpSaved};
use crate::service::{ServiceError, ServiceResult};
use crate::store::CaptureKey;

use super::super::intel::{event_form, keep_text};

const TEAL: u32 = 0x00796b;

/// Who pressed or submitted, in a DM: their id and user name.
pub type Person = (UserId, String);

/// The DM an organiser gets the day after the event ends.
pub fn message(event: &Event, dates: crate::domain::date_style::DateStyle) -> Message {
    let m = DiscordMarkup;
    let button = |answer, label, style| {
        Button::new(
            Action::EventPrompt { guild: event.guild, event: event.id, answer }.to_custom_id(),
            label,
            style,
        )
    };
    Message {
        content: format!("What happens after **{}**?", m.text(event.name.as_str())),
        embeds: vec![Embed {
            title: m.text(event.name.as_str()),
            description: format!(
                "{}. Add a follow-up, log what you heard there, or tell the team nothing is needed.",
                m.text(&event.dates.describe_in(dates))
            ),
            colour: Some(TEAL),
            ..Embed::default()
        }],
        buttons: vec![vec![
            button(PromptAnswer::AddFollowUp, "Add follow-up", ButtonStyle::Primary),
            button(PromptAnswer::LogHeard, "Log what I heard", ButtonStyle::Secondary),
            button(PromptAnswer::NothingNeeded, "Nothing needed", ButtonStyle::Secondary),
        ]],
        ..Message::default()
    }
}

/// A button of the DM.
pub async fn press(
    app: &App,
    (user, _): Person,
    (guild, event, answer): (GuildId, EventId, PromptAnswer),
) -> ServiceResult<Reply> {
    let store = app.store.as_ref();
    let rules = &app.config.rules;
    let found = event_prompts::organised(store, guild, event, user).await?;
    let department = found.departments.first().map(|k| rules.departments.display_name(k)).unwrap_or("");
    match answer {
        PromptAnswer::AddFollowUp => Ok(Reply::Modal(follow_up_form(&found, department))),
        PromptAnswer::LogHeard => {
            let (channel, _) = defaults::channel_for(rules, true, None);
            let typed = event_form::Typed { department, ..event_form::Typed::default() };
            Ok(Reply::Modal(event_form::form(guild, &found.choice(), channel.key().clone(), typed)))
        }
        PromptAnswer::NothingNeeded => {
            let found = event_prompts::nothing_needed(store, guild, event, user, app.now()).await?;
            Ok(Reply::Update(Message {
                content: format!(
                    "Noted: nothing needed after **{}**. Thank you.",
                    DiscordMarkup.text(found.name.as_str())
                ),
                ..Message::default()
            }))
        }
    }
}

fn follow_up_form(event: &Event, department: &str) -> Modal {
    let name: String = event.name.as_str().chars().take(30).collect();
    Modal {
        custom_id: Action::EventFollowUpForm { guild: event.guild, event: event.id, once: Some(fresh_key()) }
            .to_custom_id(),
        title: format!("After {name}"),
        inputs: vec![
            TextInput::paragraph("what", "What needs doing")
                .placeholder("Send the slides to the three departments that asked…")
                .max_length(1000)
                .required(),
            TextInput::line("owner", "Owner (me, or a member's id or @mention)").value("me").max_length(40),
            TextInput::line("due", "Due by (friday, in 7 days, 3 Dec)").max_length(40).required(),
            TextInput::line("department", "Department").value(department).max_length(100).required(),
        ],
    }
}

/// A typed owner: `me` (or nothing) for whoever submits, else a member's id or `<@id>` mention.
fn owner(typed: &str, me: UserId) -> Result<UserId, ServiceError> {
    let typed = typed.trim();
    if typed.is_empty() || typed.eq_ignore_ascii_case("me") {
        return Ok(me);
    }
    let digits = typed.trim_start_matches("<@").trim_start_matches('!').trim_end_matches('>');
    match digits.parse::<u64>() {
        Ok(id) if id != 0 => Ok(UserId(id)),
        _ => Err(ServiceError::invalid(format!(
            "The owner is \"me\", or a member's id or @mention, not \"{}\".",
            DiscordMarkup.text(&typed.chars().take(40).collect::<String>())
        ))),
    }
}

/// The follow-up form's submit: an entry linked to the event, with the follow-up.
pub async fn submit_follow_up(
    app: &App,
    (user, name): Person,
    (guild, event, once): (GuildId, EventId, Option<CaptureKey>),
    fields: &Fields,
) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    let field = |id: &str| fields.get(id).cloned().unwrap_or_default();
    let what = field("what");
    let keep = |e: ServiceError| keep_text(e, &what);
    let department =
        rules.departments.resolve(&field("department")).map_err(|e| keep(ServiceError::invalid(e)))?;
    let input = FollowUpInput {
        what: what.clone(),
        owner: owner(&field("owner"), user).map_err(keep)?,
        due: field("due"),
        department: department.clone(),
    };
    let author = Author { id: user, name };
    let store = app.store.as_ref();
    let entry =
        match event_prompts::add_follow_up(store, rules, (guild, event), author, input, (once, app.now()))
            .await
            .map_err(keep)?
        {
            FollowUpSaved::New(entry) => *entry,
            FollowUpSaved::Already(id) => {
                return Ok(Reply::private(format!("Already saved, as follow-up #{id}.")))
            }
        };
    let Some(f) = entry.follow_up else { return Err(ServiceError::invalid("The follow-up was not saved.")) };
    // Submitted from a DM, as a rule: the server's remembered locale writes the date.
    let dates = crate::service::locales::dates(store, guild).await;
    Ok(Reply::private(format!(
        "Follow-up #{} saved for {}, due {}.",
        entry.id,
        DiscordMarkup.user(f.owner.0),
        dates.weekday(f.due)
    )))
}
