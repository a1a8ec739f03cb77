//! `/digest preview period:<this-week|last-week>`: the digest, privately, for whoever asks; and
//! `/digest post-now` (admins): the current period posted in the digest channel now, through the
//! scheduler's claim, so it is never posted twice.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use crate::digest::{render_messages, Digest};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::domain::words::count;
use crate::message::{Markup, Message, Reply, TimeStyle};
use crate::service::digest::{preview, PreviewWeek};
use crate::service::digest_runs::{self, Outcome, PostNow};
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

/// A preview of one week's digest, or the current one posted now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestRequest {
    Preview(PreviewWeek),
    PostNow,
}

pub fn parse(options: &Options) -> Result<DigestRequest, ServiceError> {
    let Some((subcommand, options)) = options.subcommand() else {
        return Err(ServiceError::invalid("Choose preview or post-now."));
    };
    if subcommand == "post-now" {
        return Ok(DigestRequest::PostNow);
    }
    Ok(DigestRequest::Preview(match options.string("period").as_deref() {
        Some("this-week") => PreviewWeek::ThisWeek,
        _ => PreviewWeek::LastWeek,
    }))
}

pub async fn handle(app: &App, caller: &Caller, request: DigestRequest) -> ServiceResult<Reply> {
    match request {
        DigestRequest::PostNow => post_now(app, caller).await,
        DigestRequest::Preview(week) => {
            let digest = preview(app.store.as_ref(), &app.config, caller.guild, week, app.now()).await?;
            Ok(digest.map_or_else(|| Reply::private("Nothing to show for that week."), |d| previewed(&d)))
        }
    }
}

/// The first message of the digest, privately: a private reply carries no attachment, so no chart.
fn previewed(digest: &Digest) -> Reply {
    let messages = render_messages(digest, &DiscordMarkup, None);
    let parts = messages.len();
    let Some(first) = messages.into_iter().next() else {
        return Reply::private("Nothing to show for that week.");
    };
    let content = if parts > 1 {
        format!("Preview, part 1 of {parts}: the posted digest has it all.")
    } else {
        "Preview".into()
    };
    Reply::Message(Message { content, ephemeral: true, ..first })
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
                    format!("Posted the digest for {label} in {channel} ({}).", count(messages, "message", "messages"))
                }
                Outcome::Posted { messages, resumed_after, .. } => format!(
                    "Posted the rest of the digest for {label} in {channel}: {} more after the {resumed_after} posted before.",
                    count(messages, "message", "messages")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::refusal;

    fn sub(name: &str, options: Options) -> Options {
        Options::new().with(name, options)
    }

    #[test]
    fn a_preview_is_of_last_week_unless_this_week_is_asked_for() {
        let preview = |options| parse(&sub("preview", options)).unwrap();
        assert_eq!(preview(Options::new()), DigestRequest::Preview(PreviewWeek::LastWeek));
        let this_week = Options::new().with("period", "this-week");
        assert_eq!(preview(this_week), DigestRequest::Preview(PreviewWeek::ThisWeek));
        let last_week = Options::new().with("period", "last-week");
        assert_eq!(preview(last_week), DigestRequest::Preview(PreviewWeek::LastWeek));
        assert_eq!(parse(&sub("post-now", Options::new())).unwrap(), DigestRequest::PostNow);
    }

    #[test]
    fn no_subcommand_is_refused() {
        assert_eq!(refusal(parse(&Options::new())), "Choose preview or post-now.");
    }
}
