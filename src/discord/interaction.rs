//! One interaction, start to finish: who is asking, which command answers, what the person sees
//! when something fails, and Discord's 3-second rule.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serenity::http::Http;
use serenity::model::application::Interaction;
use tracing::Instrument;

use super::app::App;
use super::caller::Caller;
use super::commands;
use super::custom_id::Action;
use super::errors::describe;
use super::markup::DiscordMarkup;
use super::options::modal_fields;
use super::render;
use super::send::{self, Target};
use super::throttle::{Member, Refusal};
use crate::domain::ids::UserId;
use crate::message::{Markup, Reply};
use crate::service::ServiceError;

/// Past this, the interaction is acknowledged and answered by an edit later: Discord drops an
/// interaction not answered within 3 seconds.
const DEFER_AFTER: Duration = Duration::from_millis(2000);

/// Who is asking, with the dates of their server's locale.
fn caller(
    guild: Option<serenity::model::id::GuildId>,
    member: Option<&serenity::model::guild::Member>,
    guild_locale: Option<&str>,
    app: &App,
) -> Result<Caller, super::caller::Refusal> {
    Caller::identify(guild, member, &app.config.access).map(|c| c.in_locale(guild_locale))
}

/// Works out the reply. `None` for interactions the bot does not answer (pings).
pub async fn respond(app: &App, interaction: &Interaction) -> Option<Reply> {
    let outcome = match interaction {
        Interaction::Command(c) => {
            match caller(c.guild_id, c.member.as_deref(), c.guild_locale.as_deref(), app) {
                Ok(caller) => commands::run_command(app, &caller, c).await,
                Err(refusal) => Err(ServiceError::Forbidden(refusal.to_string())),
            }
        }
        Interaction::Autocomplete(c) => {
            // Suggestions are harmless, but a refused caller gets none, and no error: autocomplete
            // has no way to show one.
            return Some(match caller(c.guild_id, c.member.as_deref(), c.guild_locale.as_deref(), app) {
                Ok(caller) => commands::run_autocomplete(app, &caller, c).await,
                Err(_) => Reply::Choices(Vec::new()),
            });
        }
        Interaction::Component(c) => match Action::parse(&c.data.custom_id) {
            // A reminder's Done is pressed in a DM: no guild or member to identify. The guild is
            // in the id, and `mark_done` lets only the owner (or the entry's author) close it.
            Some(Action::ReminderDone { guild, entry }) => {
                commands::follow_ups::reminder_done(app, UserId(c.user.id.get()), guild, entry).await
            }
            // Take it, likewise from a DM: the store lets only a liaison it was handed to take it.
            Some(Action::TakeHandOff { guild, entry }) => {
                commands::hand_offs::take(app, UserId(c.user.id.get()), guild, entry).await
            }
            // A post-event DM's buttons: only the event's organisers may answer.
            Some(Action::EventPrompt { guild, event, answer }) => {
                let who = (UserId(c.user.id.get()), c.user.name.clone());
                commands::event::prompt::press(app, who, (guild, event, answer)).await
            }
            _ => match caller(c.guild_id, c.member.as_ref(), c.guild_locale.as_deref(), app) {
                Ok(caller) => commands::run_component(app, &caller, c).await,
                Err(refusal) => Err(ServiceError::Forbidden(refusal.to_string())),
            },
        },
        Interaction::Modal(m) => match (m.guild_id, Action::parse(&m.data.custom_id)) {
            // "Log what I heard" from a post-event DM: the guild is in the id, and only the
            // event's organisers may submit it.
            (None, Some(Action::EventIntelForm { guild, event, channel, once })) => {
                let who = (UserId(m.user.id.get()), m.user.name.clone());
                let fields = modal_fields(&m.data);
                commands::intel::event_form::handle_in_dm(app, who, (guild, event, channel, once), &fields)
                    .await
            }
            (_, Some(Action::EventFollowUpForm { guild, event, once })) => {
                let who = (UserId(m.user.id.get()), m.user.name.clone());
                let fields = modal_fields(&m.data);
                commands::event::prompt::submit_follow_up(app, who, (guild, event, once), &fields).await
            }
            _ => match caller(m.guild_id, m.member.as_ref(), m.guild_locale.as_deref(), app) {
                Ok(caller) => commands::run_modal(app, &caller, m).await,
                Err(refusal) => Err(ServiceError::Forbidden(refusal.to_string())),
            },
        },
        _ => return None,
    };
    Some(outcome.unwrap_or_else(failure))
}

/// What the person sees when something failed: the message when they can fix it; otherwise a
/// reference to quote, with the detail in the log under the same reference.
pub fn failure(error: ServiceError) -> Reply {
    if error.is_user_error() {
        // The reason, never a note handed back with it.
        tracing::info!(outcome = "refused", reason = %error.loggable());
        return Reply::private(refusal(&error));
    }
    if error.is_unavailable() {
        // Not a fault to report: the database is down or overloaded, and a retry may work.
        tracing::warn!(error = %error, "interaction failed: the database is unavailable");
        return Reply::private(DATABASE_UNAVAILABLE.to_string());
    }
    let reference = reference();
    tracing::error!(reference = %reference, error = %error, "interaction failed");
    Reply::private(format!("Something went wrong (ref {reference}). Please try again; if it keeps happening, tell an admin this reference."))
}

/// A refusal as Discord shows it. A name in it is a person's own text, escaped: a display name
/// `[x](https://…)` must not become a link, nor `**x**` bold.
fn refusal(error: &ServiceError) -> String {
    match error {
        ServiceError::NotAuthor { entry, author, verb } => {
            ServiceError::NotAuthor { entry: *entry, author: DiscordMarkup.text(author), verb }.to_string()
        }
        other => other.to_string(),
    }
}

pub const DATABASE_UNAVAILABLE: &str = "The database is unavailable right now; try again in a moment.";

/// A short reference that is different for every failure of this process.
fn reference() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{:04X}", (seed ^ n.wrapping_mul(0x9E37_79B9)) & 0xFFFF)
}

struct Described {
    kind: &'static str,
    name: String,
    guild: u64,
    user: u64,
    target: (serenity::model::id::InteractionId, String),
    is_button: bool,
    upload_limit: u64,
}

fn describe_interaction(interaction: &Interaction) -> Option<Described> {
    let (kind, name, guild, user, id, token, is_button, limit) = match interaction {
        Interaction::Command(c) => (
            "command",
            c.data.name.clone(),
            c.guild_id,
            c.user.id,
            c.id,
            &c.token,
            false,
            c.attachment_size_limit,
        ),
        Interaction::Autocomplete(c) => (
            "autocomplete",
            c.data.name.clone(),
            c.guild_id,
            c.user.id,
            c.id,
            &c.token,
            false,
            c.attachment_size_limit,
        ),
        Interaction::Component(c) => (
            "button",
            c.data.custom_id.clone(),
            c.guild_id,
            c.user.id,
            c.id,
            &c.token,
            true,
            c.attachment_size_limit,
        ),
        Interaction::Modal(m) => (
            "form",
            m.data.custom_id.clone(),
            m.guild_id,
            m.user.id,
            m.id,
            &m.token,
            false,
            m.attachment_size_limit,
        ),
        _ => return None,
    };
    Some(Described {
        kind,
        name,
        guild: guild.map_or(0, |g| g.get()),
        user: user.get(),
        target: (id, token.clone()),
        is_button,
        // 0 would be no limit Discord ever gives: read as its documented default.
        upload_limit: if limit == 0 { send::DEFAULT_UPLOAD_LIMIT } else { u64::from(limit) },
    })
}

/// Handles one interaction: respond, defer if slow, send, and log one line with the outcome.
pub async fn handle(app: &App, http: &Http, interaction: Interaction) {
    let Some(d) = describe_interaction(&interaction) else { return };
    let span =
        tracing::info_span!("interaction", kind = d.kind, name = %d.name, guild = d.guild, user = d.user);
    async move {
        let started = Instant::now();
        let target = Target { id: d.target.0, token: &d.target.1, upload_limit: d.upload_limit };
        let work = respond(app, &interaction);
        tokio::pin!(work);
        let sent = match tokio::time::timeout(DEFER_AFTER, &mut work).await {
            Ok(Some(reply)) => send::reply(http, &target, reply).await,
            Ok(None) => Ok(()),
            Err(_) if d.kind == "autocomplete" => Ok(()), // cannot be deferred; too late to answer
            Err(_) => match send::defer(http, &target, d.is_button).await {
                Ok(()) => match work.await {
                    Some(reply) => send::edit_original(http, &target, reply).await,
                    None => Ok(()),
                },
                Err(e) => Err(e),
            },
        };
        let ms = started.elapsed().as_millis() as u64;
        match sent {
            Ok(()) => tracing::info!(outcome = "answered", ms),
            Err(e) => tracing::warn!(outcome = "not delivered", ms, error = %describe(&e)),
        }
    }
    .instrument(span)
    .await
}

/// Who an interaction counts against for the flood limits, or `None` when it is not limited:
/// autocomplete answers from memory and must stay instant, and pings are not answered at all.
pub fn throttled_member(interaction: &Interaction) -> Option<Member> {
    describe_interaction(interaction).filter(|d| d.kind != "autocomplete").map(|d| (d.guild, d.user))
}

/// Answers at once, privately, that the interaction was turned away and why. A form's note would
/// be lost with it, so it is handed back to copy.
pub async fn turn_away(http: &Http, interaction: &Interaction, refusal: Refusal) {
    let Some(d) = describe_interaction(interaction) else { return };
    let span =
        tracing::info_span!("interaction", kind = d.kind, name = %d.name, guild = d.guild, user = d.user);
    async move {
        let mut text = refusal.message();
        if let Interaction::Modal(m) = interaction {
            if let Some(note) = modal_fields(&m.data).get("note") {
                text.push_str(&format!("\nYour note, to copy into a new try:\n{}", render::quoted(note)));
            }
        }
        let target = Target { id: d.target.0, token: &d.target.1, upload_limit: d.upload_limit };
        match send::reply(http, &target, Reply::private(text)).await {
            Ok(()) => tracing::info!(outcome = refusal.outcome()),
            Err(e) => {
                tracing::warn!(outcome = "not delivered", refused = refusal.outcome(), error = %describe(&e))
            }
        }
    }
    .instrument(span)
    .await
}

/// An INTERACTION_CREATE serenity could not read (a newer Discord feature, such as a message
/// with new component types in "Save as intel") still gets an answer instead of silence.
pub async fn unreadable(http: &Http, raw: &serde_json::Value) {
    let id = raw.get("id").and_then(|v| v.as_str()).and_then(|s| s.parse::<u64>().ok()).filter(|&id| id != 0);
    let token = raw.get("token").and_then(|v| v.as_str());
    let kind = raw.get("type").and_then(|v| v.as_u64()).unwrap_or(0);
    let (Some(id), Some(token)) = (id, token) else {
        tracing::warn!("an interaction arrived that could not be read or answered");
        return;
    };
    if kind == 4 {
        return; // autocomplete: nothing useful to say
    }
    tracing::warn!(kind, "an interaction arrived that serenity could not read; answering with an apology");
    let target = Target {
        id: serenity::model::id::InteractionId::new(id),
        token,
        upload_limit: send::DEFAULT_UPLOAD_LIMIT,
    };
    let reply = Reply::private(
        "I couldn't read that (it uses a Discord feature this version of liaison doesn't know). If it's a message, copy its text into /intel instead.",
    );
    if let Err(e) = send::reply(http, &target, reply).await {
        tracing::warn!(error = %describe(&e), "could not answer an unreadable interaction");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    fn content(reply: Reply) -> String {
        match reply {
            Reply::Message(m) => m.content,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// Everything a tracing subscriber writes while `emit` runs.
    fn logged(emit: impl FnOnce()) -> String {
        #[derive(Clone, Default)]
        struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber =
            tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        tracing::subscriber::with_default(subscriber, emit);
        let bytes = buffer.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn a_refused_form_hands_the_note_back_and_logs_only_the_reason() {
        let error = commands::intel::keep_text(ServiceError::invalid("bad date"), "a private note");
        let mut reply = None;
        let log = logged(|| reply = Some(failure(error)));
        let shown = content(reply.expect("a reply"));
        assert!(shown.starts_with("bad date") && shown.contains("a private note"), "{shown}");
        assert!(log.contains("refused") && log.contains("bad date"), "{log}");
        assert!(!log.contains("private note"), "the note is not logged: {log}");
    }

    #[test]
    fn an_unavailable_database_is_said_plainly_and_other_store_errors_get_a_reference() {
        let down = ServiceError::Store(StoreError::Unavailable(sqlx::Error::PoolTimedOut));
        assert_eq!(content(failure(down)), DATABASE_UNAVAILABLE);
        let broken = ServiceError::Store(StoreError::Database(sqlx::Error::RowNotFound));
        let text = content(failure(broken));
        assert!(text.starts_with("Something went wrong (ref "), "{text}");
    }
}
