//! `/settings digest channel weekday time timezone enabled excerpts names`, `/settings privacy
//! note_days contributor_counts small_counts impact_stories`, `/settings liaison department user`,
//! `/settings departments department served` and `/settings objectives action name` (admins), and
//! `/settings show`.

use chrono::{DateTime, Utc};
use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;
use serenity::model::channel::ChannelType;

use crate::config::Retention;
use crate::discord::app::App;
use crate::discord::audience;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::UserId;
use crate::domain::impact::{ObjectiveName, MAX_OBJECTIVE_CHARS};
use crate::domain::privacy::PrivacySettings;
use crate::message::limits::{truncate, EMBED_DESCRIPTION_MAX};
use crate::message::{Embed, Field, Markup, Message, Reply, TimeStyle};
use crate::service::departments::{self, DepartmentServed, ServedChange};
use crate::service::impact;
use crate::service::liaisons::{self, Toggled};
use crate::service::privacy::settings::{self as privacy, PrivacyChange};
use crate::service::reminder_notices::{unreached, Unreached};
use crate::service::settings::{current, next_post, update, SettingsChange};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "settings";
pub const TIMEZONE: &str = "timezone";
/// `/settings privacy`'s choice for impact stories past the note period.
pub const IMPACT_STORIES: &str = "impact_stories";
/// `/settings departments`' choice.
pub const SERVED: &str = "served";

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
    .add_sub_option(CreateCommandOption::new(CommandOptionType::Boolean, "enabled", "On or off"))
    .add_sub_option(CreateCommandOption::new(
        CommandOptionType::Boolean,
        "excerpts",
        "Quote notes in the digest (off: counts and tags only)",
    ))
    .add_sub_option(CreateCommandOption::new(
        CommandOptionType::Boolean,
        "names",
        "Name contributors and follow-up owners in the digest",
    ));
    let on_off = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::String, name, description)
            .add_string_choice("on", "on")
            .add_string_choice("off", "off")
    };
    let privacy = CreateCommandOption::new(
        CommandOptionType::SubCommand,
        "privacy",
        "How long notes are kept, and what statistics show (admins)",
    )
    .add_sub_option(
        CreateCommandOption::new(
            CommandOptionType::Integer,
            "note_days",
            "Days a note's text is kept (at most the bot's config allows; 0: as the config says)",
        )
        .min_int_value(0)
        .max_int_value(36_500),
    )
    .add_sub_option(on_off("contributor_counts", "Count entries per contributor in /stats"))
    .add_sub_option(
        CreateCommandOption::new(CommandOptionType::String, "small_counts", "Counts below 3")
            .add_string_choice("shown", "shown")
            .add_string_choice("fewer than 3", "hidden"),
    )
    .add_sub_option(
        CreateCommandOption::new(
            CommandOptionType::String,
            IMPACT_STORIES,
            "Impact stories, and their entries' notes, past the note period",
        )
        .add_string_choice("kept", "kept")
        .add_string_choice("cleared with the notes", "cleared"),
    );
    let objectives = CreateCommandOption::new(
        CommandOptionType::SubCommand,
        "objectives",
        "The objectives impact stories are reported against: add, remove or list (admins)",
    )
    .add_sub_option(
        CreateCommandOption::new(CommandOptionType::String, "action", "What to do")
            .required(true)
            .add_string_choice("add", "add")
            .add_string_choice("remove", "remove")
            .add_string_choice("list", "list"),
    )
    .add_sub_option(
        CreateCommandOption::new(
            CommandOptionType::String,
            "name",
            "The objective, e.g. Digital skills (JISC framework)",
        )
        .max_length(MAX_OBJECTIVE_CHARS as u16),
    );
    let liaison = CreateCommandOption::new(
        CommandOptionType::SubCommand,
        "liaison",
        "Name a department's liaison librarian, who gets its desk hand-offs; again to remove (admins)",
    )
    .add_sub_option(super::department_option("The department they look after").required(true))
    .add_sub_option(
        CreateCommandOption::new(CommandOptionType::User, "user", "The liaison librarian").required(true),
    );
    let departments = CreateCommandOption::new(
        CommandOptionType::SubCommand,
        "departments",
        "Whether the library serves a department; one not served is never listed as quiet (admins)",
    )
    .add_sub_option(super::department_option("The department").required(true))
    .add_sub_option(
        CreateCommandOption::new(CommandOptionType::Boolean, SERVED, "Served by the library here")
            .required(true),
    );
    CreateCommand::new(NAME)
        .description("The bot's settings for this server")
        .dm_permission(false)
        .add_option(digest)
        .add_option(privacy)
        .add_option(liaison)
        .add_option(objectives)
        .add_option(departments)
        .add_option(CreateCommandOption::new(CommandOptionType::SubCommand, "show", "Show the settings"))
}

/// Change the digest's settings or the privacy choices, or show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsRequest {
    /// When and where the digest goes, and (held with the privacy choices) what it shares.
    Digest(SettingsChange, PrivacyChange),
    Privacy(PrivacyChange),
    /// Name (or, named already, remove) a department's liaison librarian; the department as typed.
    Liaison {
        department: String,
        user: UserId,
    },
    /// The guild's impact objectives.
    Objectives(ObjectivesRequest),
    /// Whether the library serves a department here; the department as typed.
    Departments {
        department: String,
        served: bool,
    },
    Show,
}

/// `/settings objectives`: the name as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectivesRequest {
    Add(String),
    Remove(String),
    List,
}

/// The options as typed: the settings service checks them, after whether the caller may.
pub fn parse(options: &Options) -> Result<SettingsRequest, ServiceError> {
    let Some((sub, options)) = options.subcommand() else {
        return Err(ServiceError::invalid(
            "Choose digest, privacy, liaison, departments, objectives or show.",
        ));
    };
    match sub {
        "digest" => Ok(SettingsRequest::Digest(
            SettingsChange {
                channel: options.channel("channel"),
                weekday: options.string("weekday"),
                time: options.string("time"),
                timezone: options.string(TIMEZONE),
                enabled: options.boolean("enabled"),
            },
            PrivacyChange {
                excerpts: options.boolean("excerpts"),
                names: options.boolean("names"),
                ..PrivacyChange::default()
            },
        )),
        "privacy" => {
            let note_days = match options.integer("note_days") {
                None => None,
                Some(days) => Some(
                    u32::try_from(days)
                        .map_err(|_| ServiceError::invalid("note_days is a number of days, 0 or more."))?,
                ),
            };
            Ok(SettingsRequest::Privacy(PrivacyChange {
                note_days,
                contributor_counts: options.string("contributor_counts").map(|v| v == "on"),
                hide_small_counts: options.string("small_counts").map(|v| v == "hidden"),
                keep_impact_stories: options.string(IMPACT_STORIES).map(|v| v == "kept"),
                ..PrivacyChange::default()
            }))
        }
        "departments" => match (options.string("department"), options.boolean(SERVED)) {
            (Some(department), Some(served)) => Ok(SettingsRequest::Departments { department, served }),
            _ => Err(ServiceError::invalid(
                "Name a department and say whether it is served (served:true or false).",
            )),
        },
        "liaison" => match (options.string("department"), options.user("user")) {
            (Some(department), Some(user)) => Ok(SettingsRequest::Liaison { department, user }),
            _ => Err(ServiceError::invalid("Name a department and the member who looks after it.")),
        },
        "objectives" => {
            let name = options.string("name").unwrap_or_default();
            let needs_name =
                || ServiceError::invalid("Name the objective, e.g. name:Digital skills (JISC framework).");
            match options.string("action").as_deref() {
                Some("add") if !name.trim().is_empty() => {
                    Ok(SettingsRequest::Objectives(ObjectivesRequest::Add(name)))
                }
                Some("remove") if !name.trim().is_empty() => {
                    Ok(SettingsRequest::Objectives(ObjectivesRequest::Remove(name)))
                }
                Some("add" | "remove") => Err(needs_name()),
                _ => Ok(SettingsRequest::Objectives(ObjectivesRequest::List)),
            }
        }
        _ => Ok(SettingsRequest::Show),
    }
}

/// Adds, removes or lists the guild's objectives; the caller is an admin (checked before).
async fn objectives(app: &App, caller: &Caller, request: ObjectivesRequest) -> ServiceResult<Reply> {
    let store = app.store.as_ref();
    let m = DiscordMarkup;
    let said = match request {
        ObjectivesRequest::Add(name) => {
            let added = impact::add_objective(store, caller.guild, &name, app.now()).await?;
            format!("Added the objective \"{}\".", m.text(added.as_str()))
        }
        ObjectivesRequest::Remove(name) => {
            let removed = impact::remove_objective(store, caller.guild, &name).await?;
            format!(
                "Removed the objective \"{}\"; stories already marked with it keep it.",
                m.text(removed.as_str())
            )
        }
        ObjectivesRequest::List => String::new(),
    };
    let listed = impact::objectives(store, caller.guild).await?;
    let mut message = Message { content: said, ephemeral: true, ..Message::default() };
    message.embeds.push(objectives_shown(listed.names()));
    Ok(Reply::Message(message))
}

fn objectives_shown(names: &[ObjectiveName]) -> Embed {
    let description = if names.is_empty() {
        "None yet: `/settings objectives action:add name:` adds one, and impact stories are marked against them.".to_string()
    } else {
        let lines: Vec<String> =
            names.iter().map(|n| format!("• {}", DiscordMarkup.text(n.as_str()))).collect();
        truncate(&lines.join("\n"), EMBED_DESCRIPTION_MAX)
    };
    Embed { title: "Impact objectives".into(), description, ..Embed::default() }
}

pub async fn handle(app: &App, caller: &Caller, request: SettingsRequest) -> ServiceResult<Reply> {
    let defaults = &app.config.digest;
    let timezone = app.config.rules.timezone;
    let now = app.now();
    let store = app.store.as_ref();
    let retention = &app.config.retention;
    if !matches!(request, SettingsRequest::Show) && !caller.is_admin {
        return Err(ServiceError::Forbidden(
            "Only server admins (Manage Server, or a role set as admin) can change the settings.".into(),
        ));
    }
    if let SettingsRequest::Objectives(request) = request {
        return objectives(app, caller, request).await;
    }
    if let SettingsRequest::Liaison { department, user } = request {
        let department = app.config.rules.departments.resolve(&department).map_err(ServiceError::invalid)?;
        let toggled = liaisons::toggle(store, caller.guild, department, user, caller.is_admin).await?;
        return Ok(Reply::private(liaison_changed(toggled, department.name(), user)));
    }
    if let SettingsRequest::Departments { department, served } = request {
        let catalogue = &app.config.rules.departments;
        let department = catalogue.resolve(&department).map_err(ServiceError::invalid)?;
        let change =
            departments::set_served(store, catalogue, caller.guild, department, served, caller.is_admin, now)
                .await?;
        return Ok(Reply::private(served_changed(change, department.name(), served)));
    }
    let showing = matches!(request, SettingsRequest::Show);
    let (content, privacy) = match request {
        SettingsRequest::Digest(change, privacy_change) => {
            // Only excerpts or names given: the schedule is left alone (an empty change would be
            // refused for want of a channel). The schedule first, as it is what can be refused.
            if change != SettingsChange::default() || privacy_change.is_empty() {
                update(store, defaults, timezone, caller.guild, &change, now).await?;
            }
            let privacy = if privacy_change.is_empty() {
                privacy::current(store, caller.guild).await?
            } else {
                privacy::update(store, retention, caller.guild, &privacy_change, now).await?
            };
            ("Digest settings saved.", privacy)
        }
        SettingsRequest::Privacy(change) => {
            ("Privacy settings saved.", privacy::update(store, retention, caller.guild, &change, now).await?)
        }
        SettingsRequest::Show
        | SettingsRequest::Liaison { .. }
        | SettingsRequest::Objectives(_)
        | SettingsRequest::Departments { .. } => ("", privacy::current(store, caller.guild).await?),
    };
    let (settings, saved) = current(store, defaults, timezone, caller.guild).await?;
    let mut message = shown(&settings, saved, content, now);
    let keeps_impact = impact::keeps_past_retention(store, caller.guild).await?;
    message.embeds.push(privacy_shown(&privacy, retention, keeps_impact));
    if showing {
        let named = liaisons::all(store, &app.config.rules.departments, caller.guild).await?;
        message.embeds.push(liaisons_shown(&named));
        let listed = departments::listed(store, &app.config.rules.departments, caller.guild).await?;
        message.embeds.push(not_served_shown(&listed));
        message.embeds.push(objectives_shown(impact::objectives(store, caller.guild).await?.names()));
        if let Some(warning) = audience::warning(app, settings.channel).await {
            message.embeds.push(warning);
        }
        // Private to admins: whose DMs are closed is nobody else's business.
        if caller.is_admin {
            let (listed, total) = unreached(store, caller.guild, app.config.rules.today(now)).await?;
            if !listed.is_empty() {
                message.embeds.push(unreached_shown(&listed, total, caller.dates));
            }
        }
    }
    Ok(Reply::Message(message))
}

/// What naming (or removing) a liaison librarian did. The mention pings nobody: replies go out
/// with mentions suppressed.
fn liaison_changed(toggled: Toggled, department: &str, user: UserId) -> String {
    let who = DiscordMarkup.user(user.0);
    let department = DiscordMarkup.text(department);
    match toggled {
        Toggled::Added => format!(
            "{who} is now a liaison librarian for {department}: its desk hand-offs go to them. The same command again removes them."
        ),
        Toggled::Removed => {
            format!("{who} was a liaison librarian for {department} and is now removed; its hand-offs no longer go to them.")
        }
    }
}

/// What saying whether a department is served did.
fn served_changed(change: ServedChange, department: &str, served: bool) -> String {
    let department = DiscordMarkup.text(department);
    match (change, served) {
        (ServedChange::Unchanged, true) => format!("{department} is already served here."),
        (ServedChange::Unchanged, false) => format!("{department} is already marked as not served here."),
        (ServedChange::Changed, true) => format!(
            "{department} is served here again: the digest lists it when it goes quiet."
        ),
        (ServedChange::Changed, false) => format!(
            "{department} is now marked as not served here: the digest no longer lists it as quiet. Entries can still be filed under it and are counted; the same command with served:true undoes it."
        ),
    }
}

/// The departments not served here, as `/settings show` lists them.
fn not_served_shown(listed: &[DepartmentServed]) -> Embed {
    let lines: Vec<String> = listed
        .iter()
        .filter(|d| !d.served)
        .map(|d| {
            let whose = if d.chosen_here { "this server" } else { "the config" };
            format!("• {} ({whose})", DiscordMarkup.text(&d.name))
        })
        .collect();
    let description = if lines.is_empty() {
        "Every department is served: `/settings departments department served:false` marks one that is not, so the digest never lists it as quiet.".to_string()
    } else {
        truncate(&lines.join("\n"), EMBED_DESCRIPTION_MAX)
    };
    Embed { title: "Departments not served".into(), description, ..Embed::default() }
}

/// Every department's liaison librarians, as `/settings show` lists them.
fn liaisons_shown(named: &[(String, Vec<UserId>)]) -> Embed {
    let lines: Vec<String> = named
        .iter()
        .map(|(department, users)| {
            let users: Vec<String> = users.iter().map(|u| DiscordMarkup.user(u.0)).collect();
            format!("• {}: {}", DiscordMarkup.text(department), users.join(", "))
        })
        .collect();
    let description = if lines.is_empty() {
        "None named yet: `/settings liaison department user` names one, and desk captures about that department go to them.".to_string()
    } else {
        truncate(&lines.join("\n"), EMBED_DESCRIPTION_MAX)
    };
    Embed { title: "Liaison librarians (desk hand-offs)".into(), description, ..Embed::default() }
}

fn unreached_shown(listed: &[Unreached], total: usize, dates: crate::domain::date_style::DateStyle) -> Embed {
    let mut lines: Vec<String> = listed
        .iter()
        .map(|u| {
            format!("• **#{}** · {} · due {}", u.entry, DiscordMarkup.user(u.owner.0), dates.weekday(u.due))
        })
        .collect();
    if total > listed.len() {
        lines.push(format!("…and {} more", total - listed.len()));
    }
    Embed {
        title: "Follow-up owners who could not be reminded by DM".into(),
        description: format!(
            "Their DMs from this server are closed; each is told on their next command.\n{}",
            lines.join("\n")
        ),
        ..Embed::default()
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

fn privacy_shown(p: &PrivacySettings, retention: &Retention, keeps_impact: bool) -> Embed {
    let on = |b: bool| if b { "on" } else { "off" };
    Embed {
        title: "Privacy".into(),
        fields: vec![
            Field::inline("Note text kept", privacy::retention_words(p, retention)),
            Field::inline("Digest quotes notes", on(p.excerpts)),
            Field::inline("Digest names people", on(p.names)),
            Field::inline("Counts per contributor", on(p.contributor_counts)),
            Field::inline("Counts below 3", if p.hide_small_counts { "fewer than 3" } else { "shown" }),
            Field::inline(
                "Impact stories",
                if keeps_impact { "kept past the note period" } else { "cleared with the notes" },
            ),
        ],
        ..Embed::default()
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
        let options = options.with("excerpts", false);
        assert_eq!(
            parse(&Options::new().with("digest", options)).unwrap(),
            SettingsRequest::Digest(
                SettingsChange {
                    channel: Some(555),
                    weekday: Some("friday".into()),
                    time: Some("16:30".into()),
                    timezone: Some("America/New_York".into()),
                    enabled: Some(false),
                },
                PrivacyChange { excerpts: Some(false), ..PrivacyChange::default() }
            )
        );
        assert_eq!(
            parse(&Options::new().with("digest", Options::new())).unwrap(),
            SettingsRequest::Digest(SettingsChange::default(), PrivacyChange::default()),
            "nothing changes; the service says what is missing"
        );
        let privacy = Options::new()
            .with("note_days", 90i64)
            .with("contributor_counts", "off")
            .with("small_counts", "hidden");
        assert_eq!(
            parse(&Options::new().with("privacy", privacy)).unwrap(),
            SettingsRequest::Privacy(PrivacyChange {
                note_days: Some(90),
                contributor_counts: Some(false),
                hide_small_counts: Some(true),
                ..PrivacyChange::default()
            })
        );
        assert_eq!(parse(&Options::new().with("show", Options::new())).unwrap(), SettingsRequest::Show);
    }

    #[test]
    fn liaison_takes_a_department_and_a_member() {
        let options = Options::new().with("department", "hist").with("user", OptionValue::User(UserId(7)));
        assert_eq!(
            parse(&Options::new().with("liaison", options)).unwrap(),
            SettingsRequest::Liaison { department: "hist".into(), user: UserId(7) }
        );
        let missing = Options::new().with("department", "hist");
        assert_eq!(
            refusal(parse(&Options::new().with("liaison", missing))),
            "Name a department and the member who looks after it."
        );
    }

    #[test]
    fn departments_takes_a_department_and_whether_it_is_served() {
        let options = Options::new().with("department", "hist").with(SERVED, false);
        assert_eq!(
            parse(&Options::new().with("departments", options)).unwrap(),
            SettingsRequest::Departments { department: "hist".into(), served: false }
        );
        let missing = Options::new().with("department", "hist");
        assert_eq!(
            refusal(parse(&Options::new().with("departments", missing))),
            "Name a department and say whether it is served (served:true or false)."
        );
    }

    #[test]
    fn no_subcommand_is_refused() {
        assert_eq!(
            refusal(parse(&Options::new())),
            "Choose digest, privacy, liaison, departments, objectives or show."
        );
    }
}
