//! `/digest preview period:<this-week|last-week>`: the digest, privately, for whoever asks.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::{CommandInteraction, CommandOptionType};

use crate::digest::{build, render_discord, Schedule};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::options::Options;
use crate::discord::reply::{Message, Reply};
use crate::service::digest::{gather, Reading};
use crate::service::settings::current;
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "digest";

pub fn definition() -> CreateCommand {
    let period =
        CreateCommandOption::new(CommandOptionType::String, "period", "Which week (default: last week)")
            .add_string_choice("this week so far", "this-week")
            .add_string_choice("last week", "last-week");
    CreateCommand::new(NAME).description("The weekly digest").dm_permission(false).add_option(
        CreateCommandOption::new(CommandOptionType::SubCommand, "preview", "See the digest now, privately")
            .add_sub_option(period),
    )
}

pub async fn run(app: &App, caller: &Caller, command: &CommandInteraction) -> ServiceResult<Reply> {
    let Some((_, options)) = Options(command.data.options()).subcommand() else {
        return Err(ServiceError::invalid("Choose preview."));
    };
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
    let messages = render_discord(&digest);
    let parts = messages.len();
    let Some(mut first) = messages.into_iter().next() else {
        return Ok(Reply::private("Nothing to show for that week."));
    };
    // A private preview carries no attachment, so no chart.
    for e in &mut first.embeds {
        e.image = None;
    }
    let content = if parts > 1 {
        format!("Preview, part 1 of {parts}: the posted digest has it all.")
    } else {
        "Preview".into()
    };
    Ok(Reply::Message(Message { content, ephemeral: true, ..first }))
}
