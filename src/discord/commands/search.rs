//! `/search`: ranked search with filters, five results a page, Previous/Next buttons. The search
//! is saved in the database so that its buttons keep working after a restart, and page through
//! the same results on whatever day they are pressed.
//!
//! `/search similar:ID` is another question, asked alone: the colleagues' entries most like entry
//! ID (`service::related::similar`), each with why it matched. It takes no other option: a filter
//! would hide connections across departments, which are what it is for.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::partner::{partner_option, resolve};
use super::{channel_option, department_option};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::discord::render;
use crate::domain::channel::Channel;
use crate::domain::department::Department;
use crate::domain::ids::{EntryId, UserId};
use crate::domain::rules::Rules;
use crate::message::{Markup, Message, Reply};
use crate::service::related;
use crate::service::search::{self, SavedPage, SearchRequest};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "search";

/// The option naming one tag, autocompleted from the guild's.
pub const TAG: &str = "tag";

/// The option naming the entry whose like are listed.
pub const SIMILAR: &str = "similar";

pub fn definition() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("Search what the library has heard")
        .dm_permission(false)
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "query", "Words to look for").max_length(200),
        )
        .add_option(department_option("Only this department"))
        .add_option(partner_option("partner", "Only entries about this partner"))
        .add_option(channel_option("Only this channel"))
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, TAG, "Only entries with this tag")
                .set_autocomplete(true)
                .max_length(40),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::User,
            "author",
            "Only entries by this person",
        ))
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "since",
                "From: 2026-09-01, last week, 3 days ago…",
            )
            .max_length(40),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "until",
                "Up to and including: yesterday, 3 Nov…",
            )
            .max_length(40),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::Integer,
                SIMILAR,
                "Colleagues' entries most like this one (its number, as in #12); alone",
            )
            .min_int_value(1),
        )
}

/// `/search`'s options: department and channel resolved, the rest as typed (dates and tag are
/// checked when it runs, against the day it runs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSearch {
    pub text: Option<String>,
    pub department: Option<Department>,
    pub channel: Option<Channel>,
    pub tag: Option<String>,
    pub author: Option<UserId>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// A partner's name as typed; resolved when it runs.
    pub partner: Option<String>,
    /// `similar:`: the entry whose like are listed instead of a search.
    pub similar: Option<EntryId>,
}

pub fn parse(options: &Options, rules: &Rules) -> Result<NewSearch, ServiceError> {
    let department = super::department_of(options, rules)?;
    let channel = super::channel_of(options, rules)?;
    Ok(NewSearch {
        text: options.string("query"),
        department,
        channel,
        tag: options.string("tag"),
        author: options.user("author"),
        since: options.string("since"),
        until: options.string("until"),
        partner: options.string("partner"),
        similar: options.integer(SIMILAR).map(EntryId),
    })
}

/// The first page, the search saved for its buttons.
pub async fn handle(app: &App, caller: &Caller, request: NewSearch) -> ServiceResult<Reply> {
    if let Some(id) = request.similar {
        if request != (NewSearch { similar: Some(id), ..NewSearch::default() }) {
            return Err(ServiceError::invalid(
                "similar: lists the entries most like one entry and takes no other option; \
                 search without it to filter.",
            ));
        }
        return similar(app, caller, id).await;
    }
    let NewSearch { text, department, channel, tag, author, since, until, partner, similar: _ } = request;
    let partner = match partner {
        Some(typed) => Some(resolve(app, caller, &typed).await?.id),
        None => None,
    };
    let request = SearchRequest {
        partner,
        guild: caller.guild,
        text,
        department,
        channel,
        tag,
        author,
        // Admins find every entry; a member, the team's and their own private ones.
        viewer: (!caller.is_admin).then_some(caller.user),
        since,
        until,
        page: 0,
        per_page: None,
    };
    let rules = &app.config.rules;
    let saved = search::start(app.store.as_ref(), rules, caller.user, &request, app.now()).await?;
    Ok(Reply::Message(shown(&saved, rules)))
}

/// `similar:ID`: the entries most like entry ID, as the caller may see it.
async fn similar(app: &App, caller: &Caller, id: EntryId) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    let (entry, found) =
        related::similar(app.store.as_ref(), rules, caller.guild, id, caller.actor(), app.now()).await?;
    Ok(Reply::Message(render::similar(&entry, &found, rules, caller.dates)))
}

/// A Previous/Next press: the saved search, at another page, in place.
pub async fn handle_page(app: &App, caller: &Caller, saved: i64, page: u32) -> ServiceResult<Reply> {
    let Some(saved) = search::page(app.store.as_ref(), caller.guild, saved, page, app.now()).await? else {
        return Err(ServiceError::invalid("This search has expired. Run /search again."));
    };
    Ok(Reply::Update(shown(&saved, &app.config.rules)))
}

fn shown(saved: &SavedPage, rules: &Rules) -> Message {
    let heading = if saved.text.is_empty() {
        "Latest entries".to_string()
    } else {
        format!("Search: {}", DiscordMarkup.text(&saved.text))
    };
    render::search_page(&saved.page, saved.search, &heading, rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::{channel, department, refusal, rules};

    #[test]
    fn every_filter_is_resolved_or_kept_as_typed() {
        let rules = rules();
        let options = Options::new()
            .with("query", " interlibrary loan ")
            .with("department", "maths")
            .with("channel", "email")
            .with("tag", "ILL")
            .with("author", UserId(42))
            .with("since", "last week")
            .with("until", "yesterday")
            .with("partner", " Dr A. Field ");
        assert_eq!(
            parse(&options, &rules).unwrap(),
            NewSearch {
                text: Some("interlibrary loan".into()),
                department: Some(department(&rules, "Mathematics")),
                channel: Some(channel(&rules, "email")),
                tag: Some("ILL".into()),
                author: Some(UserId(42)),
                since: Some("last week".into()),
                until: Some("yesterday".into()),
                partner: Some("Dr A. Field".into()),
                similar: None,
            }
        );
        let similar = parse(&Options::new().with("similar", 12), &rules).unwrap();
        assert_eq!(similar, NewSearch { similar: Some(EntryId(12)), ..NewSearch::default() });
    }

    #[test]
    fn no_options_or_blank_ones_list_everything() {
        let rules = rules();
        assert_eq!(parse(&Options::new(), &rules).unwrap(), NewSearch::default());
        let blank = Options::new().with("query", " ").with("department", "").with("since", "  ");
        assert_eq!(parse(&blank, &rules).unwrap(), NewSearch::default());
    }

    #[test]
    fn a_department_or_channel_that_does_not_resolve_is_refused() {
        let rules = rules();
        let text = refusal(parse(&Options::new().with("department", "enginering"), &rules));
        assert!(
            text.starts_with("no department called \"enginering\"; the closest are: Engineering"),
            "{text}"
        );
        let text = refusal(parse(&Options::new().with("channel", "pigeon"), &rules));
        assert!(text.starts_with("no channel called \"pigeon\""), "{text}");
    }
}
