//! `/settings digest channel weekday time timezone enabled` (admins) and `/settings show`.

use chrono::{DateTime, Utc};
use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;
use serenity::model::channel::ChannelType;

use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::domain::digest_settings::DigestSettings;
use crate::message::{Embed, Field, Markup, Message, Reply, TimeStyle};
use crate::service::settings::{current, next_post, update, SettingsChange};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "settings";
pub const TIMEZONE: &str = "timezone";

pub fn definition() -> CreateCommand {
    let weekday =
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].into_iter().fold(
            CreateCommandOption::new(CommandOptionType::String, "weekday", "The day it goes out"),
            |o, d| o.add_string_choice(d, d),
        );
    let digest = CreateCommandOption::new(
        CommandOptionType::SubCommand,
        "digest",
        "Where and when the weekly digest goes (admins)",
    )
    .add_sub_option(
        CreateCommandOption::new(CommandOptionType::Channel, "channel", "The channel it is posted in")
            .channel_types(vec![ChannelType::Text]),
    )
    .add_sub_option(weekday)
    .add_sub_option(
        CreateCommandOption::new(CommandOptionType::String, "time", "Local time, HH:MM (24-hour)")
            .max_length(5),
    )
    .add_sub_option(
        CreateCommandOption::new(CommandOptionType::String, TIMEZONE, "IANA timezone, e.g. Europe/London")
            .set_autocomplete(true)
            .max_length(64),
    )
    .add_sub_option(CreateCommandOption::new(CommandOptionType::Boolean, "enabled", "On or off"));
    CreateCommand::new(NAME)
        .description("The bot's settings for this server")
        .dm_permission(false)
        .add_option(digest)
        .add_option(CreateCommandOption::new(CommandOptionType::SubCommand, "show", "Show the settings"))
}

/// Change the digest's settings, or show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsRequest {
    Digest(SettingsChange),
    Show,
}

/// The options as typed: the settings service checks them, after whether the caller may.
pub fn parse(options: &Options) -> Result<SettingsRequest, ServiceError> {
    let Some((sub, options)) = options.subcommand() else {
        return Err(ServiceError::invalid("Choose digest or show."));
    };
    if sub != "digest" {
        return Ok(SettingsRequest::Show);
    }
    Ok(SettingsRequest::Digest(SettingsChange {
        channel: options.channel("channel"),
        weekday: options.string("weekday"),
        time: options.string("time"),
        timezone: options.string(TIMEZONE),
        enabled: options.boolean("enabled"),
    }))
}

pub async fn handle(app: &App, caller: &Caller, request: SettingsRequest) -> ServiceResult<Reply> {
    let defaults = &app.config.digest;
    let timezone = app.config.rules.timezone;
    let now = app.now();
    match request {
        SettingsRequest::Digest(change) => {
            if !caller.is_admin {
                return Err(ServiceError::Forbidden(
                    "Only server admins (Manage Server, or a role set as admin) can change the digest settings.".into(),
                ));
            }
            let saved = update(app.store.as_ref(), defaults, timezone, caller.guild, &change, now).await?;
            Ok(Reply::Message(shown(&saved, true, "Digest settings saved.", now)))
        }
        SettingsRequest::Show => {
            let (settings, saved) = current(app.store.as_ref(), defaults, timezone, caller.guild).await?;
            Ok(Reply::Message(shown(&settings, saved, "", now)))
        }
    }
}

fn shown(s: &DigestSettings, saved: bool, content: &str, now: DateTime<Utc>) -> Message {
    let channel = if s.channel == 0 {
        "not chosen yet (`/settings digest channel:`)".to_string()
    } else {
        DiscordMarkup.channel(s.channel)
    };
    let mut fields = vec![
        Field::inline("Channel", channel),
        Field::inline(
            "When",
            format!("{} at {} ({})", weekday_name(s.weekday), s.time.format("%H:%M"), s.timezone),
        ),
        Field::inline("Digest", if s.enabled { "on" } else { "off" }),
        Field::inline("Quiet weeks", if s.post_empty_weeks { "posted" } else { "skipped" }),
    ];
    if let Some(problem) = &s.problem {
        fields.push(Field::new("Problem", problem.clone()));
    }
    if let Some(next) = next_post(s, now) {
        fields.push(Field::inline("Next", DiscordMarkup.time(next, TimeStyle::LongDateTime)));
    }
    Message {
        content: content.to_string(),
        embeds: vec![Embed {
            title: if saved {
                "Digest settings".into()
            } else {
                "Digest settings (defaults from the config)".into()
            },
            fields,
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}

fn weekday_name(day: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match day {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::refusal;
    use crate::discord::options::OptionValue;

    #[test]
    fn digest_takes_its_options_as_typed_and_anything_else_shows() {
        let options = Options::new()
            .with("channel", OptionValue::Channel(555))
            .with("weekday", "friday")
            .with("time", " 16:30 ")
            .with(TIMEZONE, "America/New_York")
            .with("enabled", false);
        assert_eq!(
            parse(&Options::new().with("digest", options)).unwrap(),
            SettingsRequest::Digest(SettingsChange {
                channel: Some(555),
                weekday: Some("friday".into()),
                time: Some("16:30".into()),
                timezone: Some("America/New_York".into()),
                enabled: Some(false),
            })
        );
        assert_eq!(
            parse(&Options::new().with("digest", Options::new())).unwrap(),
            SettingsRequest::Digest(SettingsChange::default()),
            "nothing changes; the service says what is missing"
        );
        assert_eq!(parse(&Options::new().with("show", Options::new())).unwrap(), SettingsRequest::Show);
    }

    #[test]
    fn no_subcommand_is_refused() {
        assert_eq!(refusal(parse(&Options::new())), "Choose digest or show.");
    }
}
