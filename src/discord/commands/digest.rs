//! `/digest preview period:<this-week|last-week>`: the digest, privately, for whoever asks; and
//! `/digest post-now` (admins): the current period posted in the digest channel now, through the
//! scheduler's claim, so it is never posted twice.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::{CommandInteraction, CommandOptionType};

use crate::digest::{build, render_messages, Schedule};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::message::{Markup, Message, Reply, TimeStyle};
use crate::service::digest::{gather, Reading};
use crate::service::digest_runs::{self, Outcome, PostNow};
use crate::service::settings::current;
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "digest";

pub fn definition() -> CreateCommand {
    let period =
        CreateCommandOption::new(CommandOptionType::String, "period", "Which week (default: last week)")
            .add_string_choice("this week so far", "this-week")
            .add_string_choice("last week", "last-week");
    CreateCommand::new(NAME)
        .description("The weekly digest")
        .dm_permission(false)
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "preview",
                "See the digest now, privately",
            )
            .add_sub_option(period),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            "post-now",
            "Post the latest due digest in the digest channel now, if not posted yet (admins)",
        ))
}

pub async fn run(app: &App, caller: &Caller, command: &CommandInteraction) -> ServiceResult<Reply> {
    let Some((subcommand, options)) = Options(command.data.options()).subcommand() else {
        return Err(ServiceError::invalid("Choose preview or post-now."));
    };
    if subcommand == "post-now" {
        return post_now(app, caller).await;
    }
    let now = app.now();
    let (settings, _) =
        current(app.store.as_ref(), &app.config.digest, app.config.rules.timezone, caller.guild).await?;
    let schedule = Schedule { weekday: settings.weekday, time: settings.time, timezone: settings.timezone };
    let occurrence = match options.string("period").as_deref() {
        Some("this-week") => schedule.next_due(now),
        _ => schedule.latest_due(now),
    };
    // A preview asked for is shown even for a quiet week the guild would not post.
    let reading = Reading { post_empty_weeks: true, ..Reading::for_guild(&app.config, &settings) };
    let input =
        gather(app.store.as_ref(), &app.config, reading, caller.guild, occurrence.digest_period(), now)
            .await?;
    let Some(digest) = build(&input) else {
        return Ok(Reply::private("Nothing to show for that week."));
    };
    // A private preview carries no attachment, so no chart.
    let messages = render_messages(&digest, &DiscordMarkup, None);
    let parts = messages.len();
    let Some(first) = messages.into_iter().next() else {
        return Ok(Reply::private("Nothing to show for that week."));
    };
    let content = if parts > 1 {
        format!("Preview, part 1 of {parts}: the posted digest has it all.")
    } else {
        "Preview".into()
    };
    Ok(Reply::Message(Message { content, ephemeral: true, ..first }))
}

async fn post_now(app: &App, caller: &Caller) -> ServiceResult<Reply> {
    if !caller.is_admin {
        return Err(ServiceError::Forbidden(
            "Only server admins (Manage Server, or a role set as admin) can post the digest.".into(),
        ));
    }
    let done =
        digest_runs::post_now(app.store.as_ref(), &app.config, app.poster.as_ref(), caller.guild, app.now())
            .await?;
    let text = match done {
        PostNow::AlreadyPosted { label, channel, message_ids, sent_at } => {
            let link = message_ids.first().map_or_else(String::new, |m| {
                format!(": https://discord.com/channels/{}/{channel}/{m}", caller.guild)
            });
            format!(
                "The digest for {label} was already posted in {} {}{link}",
                DiscordMarkup.channel(channel),
                DiscordMarkup.time(sent_at, TimeStyle::Relative)
            )
        }
        PostNow::Ran { label, channel, outcome } => {
            let channel = DiscordMarkup.channel(channel);
            match outcome {
                Outcome::Posted { messages, resumed_after: 0, .. } => {
                    format!("Posted the digest for {label} in {channel} ({messages} {}).", plural(messages))
                }
                Outcome::Posted { messages, resumed_after, .. } => format!(
                    "Posted the rest of the digest for {label} in {channel}: {messages} more {} after the {resumed_after} posted before.",
                    plural(messages)
                ),
                Outcome::Skipped { .. } => format!(
                    "Nothing was recorded for {label}, and this server does not post empty weeks, so there is nothing to post."
                ),
                Outcome::AlreadyTaken { .. } => {
                    format!("The digest for {label} is being posted right now; it will appear in {channel} shortly.")
                }
                Outcome::Failed { error, .. } => format!(
                    "Discord did not take the digest for {label} ({error}). It will be tried again automatically."
                ),
                Outcome::Stopped { error, .. } => format!(
                    "Discord refused to let me post in {channel} ({error}). The digest is now off: give me access to the channel, or choose another with `/settings digest channel:`."
                ),
            }
        }
    };
    Ok(Reply::private(text))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "message"
    } else {
        "messages"
    }
}
