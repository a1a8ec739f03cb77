//! `/privacy find text:` and `/privacy erase text:|member: [delete:]|partner:`: access and erasure requests,
//! for admins only. Finding lists what mentions a name; erasing first says how many entries would
//! change and waits for Confirm. The request waits server-side (its text may be longer than a
//! button's id, and must not travel in one), and Confirm checks again that the presser is an admin.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::Action;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::discord::render;
use crate::domain::privacy::FORMER_MEMBER;
use crate::domain::words::{count, noun};
use crate::message::{Button, ButtonStyle, Markup, Message, Reply};
use crate::service::privacy::erasure::{self, ErasureRequest};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "privacy";

/// The longest text asked for: a name or a phrase, never a note.
const MAX_TEXT: u16 = 200;

/// A partner's name is at most this long.
const MAX_PARTNER_NAME: u16 = crate::domain::partner::MAX_NAME_CHARS as u16;

pub fn definition() -> CreateCommand {
    let text = |description: &str| {
        CreateCommandOption::new(CommandOptionType::String, "text", description).max_length(MAX_TEXT)
    };
    CreateCommand::new(NAME)
        .description("Access and erasure requests (admins)")
        .dm_permission(false)
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "find",
                "List every entry that mentions a name or words (whole words, any case or accents)",
            )
            .add_sub_option(text("The name or words to look for").required(true)),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "erase",
                "Erase every mention of a text, or a member from their entries (asks to confirm)",
            )
            .add_sub_option(text("Replace every mention of this with [erased]"))
            .add_sub_option(CreateCommandOption::new(
                CommandOptionType::User,
                "member",
                "Remove this member's name and id from their entries",
            ))
            .add_sub_option(CreateCommandOption::new(
                CommandOptionType::Boolean,
                "delete",
                "With member: delete their entries instead",
            ))
            .add_sub_option(
                CreateCommandOption::new(
                    CommandOptionType::String,
                    "partner",
                    "Delete this person partner (its name); its entries stay",
                )
                .max_length(MAX_PARTNER_NAME),
            ),
        )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivacyRequest {
    Find(String),
    Erase(ErasureRequest),
    /// A person partner, by name as typed: resolved when handled.
    ErasePartner(String),
}

pub fn parse(options: &Options) -> Result<PrivacyRequest, ServiceError> {
    let Some((sub, options)) = options.subcommand() else {
        return Err(ServiceError::invalid("Choose find or erase."));
    };
    let text = options.string("text").filter(|t| !t.trim().is_empty());
    match sub {
        "find" => Ok(PrivacyRequest::Find(text.unwrap_or_default())),
        "erase" => {
            let partner = options.string("partner").filter(|p| !p.trim().is_empty());
            let delete = options.boolean("delete");
            match (text, options.user("member"), partner) {
                (Some(text), None, None) if delete.is_none() => {
                    Ok(PrivacyRequest::Erase(ErasureRequest::Text(text)))
                }
                (None, Some(id), None) => {
                    Ok(PrivacyRequest::Erase(ErasureRequest::Author { id, delete: delete.unwrap_or(false) }))
                }
                (None, None, Some(name)) if delete.is_none() => Ok(PrivacyRequest::ErasePartner(name)),
                (Some(_), None, None) => {
                    Err(ServiceError::invalid("delete: goes with member:, not with text:."))
                }
                (None, None, Some(_)) => {
                    Err(ServiceError::invalid("delete: goes with member:, not with partner:."))
                }
                _ => Err(ServiceError::invalid("Give one of text:, member: or partner:.")),
            }
        }
        other => Err(ServiceError::invalid(format!("There is no /privacy {}.", DiscordMarkup.text(other)))),
    }
}

fn admins_only(caller: &Caller) -> ServiceResult<()> {
    if caller.is_admin {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "Only server admins (Manage Server, or a role set as admin) can answer access and erasure requests."
                .into(),
        ))
    }
}

/// Who the privacy log says did it: words, never a mention.
fn by(caller: &Caller) -> String {
    format!("admin {}", caller.user)
}

pub async fn handle(app: &App, caller: &Caller, request: PrivacyRequest) -> ServiceResult<Reply> {
    admins_only(caller)?;
    let store = app.store.as_ref();
    match request {
        PrivacyRequest::Find(text) => {
            let found = erasure::find(store, caller.guild, &erasure::mention(&text)?).await?;
            Ok(Reply::Message(render::mentions(&found, &text, &app.config.rules)))
        }
        PrivacyRequest::ErasePartner(name) => {
            // Refused with the name as typed: escaped, as every partner command's refusal is.
            let partner = super::partner::resolve(app, caller, &name).await?;
            Box::pin(handle(app, caller, PrivacyRequest::Erase(ErasureRequest::Partner(partner.id)))).await
        }
        PrivacyRequest::Erase(request) => {
            let (count, pending) =
                erasure::propose(store, caller.guild, caller.user, &request, app.now()).await?;
            let Some(pending) = pending else {
                return Ok(Reply::Message(private(format!("{} Nothing to erase.", nothing(&request)))));
            };
            Ok(Reply::Message(Message {
                content: format!("{} This cannot be undone.", question(&request, count)),
                buttons: vec![vec![
                    Button::new(Action::ConfirmErase(pending).to_custom_id(), "Confirm", ButtonStyle::Danger),
                    Button::new(
                        Action::CancelErase(pending).to_custom_id(),
                        "Cancel",
                        ButtonStyle::Secondary,
                    ),
                ]],
                ephemeral: true,
                ..Message::default()
            }))
        }
    }
}

/// Confirm: the presser must be an admin still, and the id a pending erasure of this guild.
pub async fn confirm_erase(app: &App, caller: &Caller, pending: i64) -> ServiceResult<Reply> {
    admins_only(caller)?;
    let store = app.store.as_ref();
    let now = app.now();
    let Some(request) = erasure::pending(store, caller.guild, pending, now).await? else {
        return Err(ServiceError::invalid(
            "This erasure is no longer waiting (it is over an hour old, or not one). Run /privacy erase again.",
        ));
    };
    let n = erasure::carry_out(store, caller.guild, &request, &by(caller), now).await?;
    // Done: the text it was asked for is not kept, and a second press finds nothing waiting.
    erasure::forget(store, caller.guild, pending, now).await?;
    Ok(Reply::Update(private(done(&request, n))))
}

/// Cancel: nothing erased, and the request (with its text) forgotten.
pub async fn cancel_erase(app: &App, caller: &Caller, pending: i64) -> ServiceResult<Reply> {
    admins_only(caller)?;
    erasure::forget(app.store.as_ref(), caller.guild, pending, app.now()).await?;
    Ok(Reply::Update(private("Nothing erased.".to_string())))
}

fn private(content: String) -> Message {
    Message { content, ephemeral: true, ..Message::default() }
}

fn entries(n: u64) -> String {
    count(n, "entry", "entries")
}

fn quoted_text(text: &str) -> String {
    format!("\"{}\"", DiscordMarkup.text(text.trim()))
}

fn nothing(request: &ErasureRequest) -> String {
    match request {
        ErasureRequest::Text(text) => format!("No entries mention {}.", quoted_text(text)),
        ErasureRequest::Author { id, .. } => format!("{} wrote no entries here.", DiscordMarkup.user(id.0)),
        ErasureRequest::Partner(_) => "That partner is gone already.".to_string(),
    }
}

fn question(request: &ErasureRequest, n: u64) -> String {
    match request {
        ErasureRequest::Text(text) => {
            format!("Erase {} in {}? Each mention becomes [erased].", quoted_text(text), entries(n))
        }
        ErasureRequest::Author { id, delete: false } => format!(
            "Remove {}'s name and id from {}? {} attributed to \"{FORMER_MEMBER}\".",
            DiscordMarkup.user(id.0),
            entries(n),
            noun(n, "It stays,", "They stay,")
        ),
        ErasureRequest::Author { id, delete: true } => {
            format!("Delete {} by {}?", entries(n), DiscordMarkup.user(id.0))
        }
        ErasureRequest::Partner(_) => format!(
            "Erase this person partner? It is deleted with its links to {}; the entries stay, \
             counted as before.",
            entries(n)
        ),
    }
}

fn done(request: &ErasureRequest, n: u64) -> String {
    match request {
        ErasureRequest::Text(text) => format!("Erased {} in {}.", quoted_text(text), entries(n)),
        ErasureRequest::Author { delete: false, .. } => {
            format!("{} now attributed to \"{FORMER_MEMBER}\".", entries(n))
        }
        ErasureRequest::Author { delete: true, .. } => format!("Deleted {}.", entries(n)),
        ErasureRequest::Partner(_) => {
            format!("Partner erased; {} no longer {} it.", entries(n), noun(n, "names", "name"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::refusal;
    use crate::domain::ids::UserId;

    fn sub(name: &str, options: Options) -> Options {
        Options::new().with(name, options)
    }

    #[test]
    fn erase_takes_a_text_or_a_member() {
        let text = Options::new().with("text", "José");
        assert_eq!(
            parse(&sub("erase", text)).unwrap(),
            PrivacyRequest::Erase(ErasureRequest::Text("José".into()))
        );
        let member = Options::new().with("member", UserId(9)).with("delete", true);
        assert_eq!(
            parse(&sub("erase", member)).unwrap(),
            PrivacyRequest::Erase(ErasureRequest::Author { id: UserId(9), delete: true })
        );
        let both = Options::new().with("text", "x").with("member", UserId(9));
        assert_eq!(refusal(parse(&sub("erase", both))), "Give one of text:, member: or partner:.");
        assert_eq!(refusal(parse(&sub("erase", Options::new()))), "Give one of text:, member: or partner:.");
        assert_eq!(
            parse(&sub("erase", Options::new().with("partner", "Dr A. Field"))).unwrap(),
            PrivacyRequest::ErasePartner("Dr A. Field".into())
        );
        let partner_delete = Options::new().with("partner", "Dr A. Field").with("delete", true);
        assert_eq!(
            refusal(parse(&sub("erase", partner_delete))),
            "delete: goes with member:, not with partner:."
        );
        let delete_text = Options::new().with("text", "x").with("delete", true);
        assert_eq!(refusal(parse(&sub("erase", delete_text))), "delete: goes with member:, not with text:.");
        assert_eq!(
            parse(&sub("find", Options::new().with("text", "Ann"))).unwrap(),
            PrivacyRequest::Find("Ann".into())
        );
    }
}
