//! Desk hand-offs in Discord: the DM a liaison librarian gets (the entry and a Take it button),
//! the button, and the line the person who captured the entry is told privately.

use crate::discord::app::App;
use crate::discord::custom_id::Action;
use crate::discord::markup::DiscordMarkup;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::privacy::Share;
use crate::message::{Button, ButtonStyle, Embed, Markup, Message, Reply};
use crate::service::hand_offs::{self, Outcome, Recipient, Taken};
use crate::service::locales;
use crate::service::ServiceResult;

const AMBER: u32 = 0xef6c00;
const EXCERPT: usize = 1000;

/// The DM: who captured what about which department, and Take it. A private entry's text stays
/// with its author and admins; the liaison sees that there is one.
pub fn message(e: &Entry, department: &str) -> Message {
    let m = DiscordMarkup;
    let note = match e.share {
        Share::Team => m.text(&e.note.excerpt(EXCERPT)),
        Share::Private => "(a private note: only its author and admins see the text)".to_string(),
    };
    Message {
        content: format!(
            "From the desk: entry #{} is about {}, which you look after. Take it to follow it up.",
            e.id,
            m.text(department)
        ),
        embeds: vec![Embed {
            title: format!("#{} · {}", e.id, m.text(department)),
            description: format!("{}: {note}", m.text(&e.author.name)),
            colour: Some(AMBER),
            ..Embed::default()
        }],
        buttons: vec![vec![Button::new(
            Action::TakeHandOff { guild: e.guild, entry: e.id }.to_custom_id(),
            "Take it",
            ButtonStyle::Primary,
        )]],
        ..Message::default()
    }
}

/// After a capture: hands the entry off when it came through a hand-off channel or `asked`, and
/// says privately who it went to, one line each; `None` when it went to nobody. A failure here
/// never undoes the capture: it is logged, and the scheduler sends what was recorded.
pub async fn after_capture(app: &App, entry: &Entry, asked: bool) -> Option<String> {
    let store = app.store.as_ref();
    match hand_offs::hand_off(store, &app.config, app.poster.as_ref(), entry, asked, app.now()).await {
        Ok(sent) if sent.is_empty() && asked => {
            Some("Nobody is named liaison librarian for its department yet (`/settings liaison`), so it was not handed off.".into())
        }
        Ok(sent) => {
            let lines: Vec<String> = sent.iter().map(|(r, o)| told(app, r, o)).collect();
            (!lines.is_empty()).then(|| lines.join("\n"))
        }
        Err(e) => {
            tracing::error!(guild = %entry.guild, entry = %entry.id, error = %e, "hand-off failed after a capture");
            Some("It could not be handed off just now; I will keep trying.".into())
        }
    }
}

/// After an edit that filed a hand-off channel's entry under other departments (or moved it to a
/// hand-off channel): it goes to the liaison librarians it would have gone to had it been captured
/// so, once each; those it went to before are not sent it again nor listed. `None` when nobody
/// new.
pub async fn after_edit(app: &App, entry: &Entry) -> Option<String> {
    let store = app.store.as_ref();
    match hand_offs::hand_off(store, &app.config, app.poster.as_ref(), entry, false, app.now()).await {
        Ok(sent) => {
            let lines: Vec<String> = sent
                .iter()
                .filter(|(_, o)| !matches!(o, Outcome::AlreadyTaken(_)))
                .map(|(r, o)| told(app, r, o))
                .collect();
            (!lines.is_empty()).then(|| lines.join("\n"))
        }
        Err(e) => {
            tracing::error!(guild = %entry.guild, entry = %entry.id, error = %e, "hand-off failed after an edit");
            Some("It could not be handed off to its new department just now.".into())
        }
    }
}

/// One recipient, as the capturer is told: a mention (which pings nobody: every reply goes out
/// with mentions suppressed) and the department.
fn told(app: &App, r: &Recipient, o: &Outcome) -> String {
    let m = DiscordMarkup;
    let who = format!(
        "{} ({} liaison)",
        m.user(r.liaison.0),
        m.text(app.config.rules.departments.display_name(&r.department))
    );
    match o {
        Outcome::Sent(_) | Outcome::AlreadyTaken(_) => format!("Sent to {who}."),
        Outcome::Failed { .. } => format!("Sending to {who}: Discord did not answer, I will try again."),
        Outcome::Undeliverable { .. } => {
            format!("Could not reach {who} by DM; the weekly digest lists it for the team.")
        }
        Outcome::Gone(_) => format!("Not sent to {who}: the entry is gone."),
    }
}

/// Take it, pressed in a DM: no guild or member to identify; the guild is in the id, and the
/// store lets only a liaison the entry was handed to take it.
pub async fn take(app: &App, user: UserId, guild: GuildId, entry: EntryId) -> ServiceResult<Reply> {
    let taken = hand_offs::take(app.store.as_ref(), &app.config, guild, entry, user, app.now()).await?;
    let content = match taken {
        // Pressed in a DM: no interaction locale, so the server's remembered one.
        Taken::Yours { entry, due } => format!(
            "Taken: the follow-up on #{entry} is yours, due {}. `/followups` lists it.",
            locales::dates(app.store.as_ref(), guild).await.weekday(due)
        ),
        Taken::AlreadyTaken(by) if by == user => format!("You took #{entry} on already."),
        Taken::AlreadyTaken(by) => format!("#{entry} was already taken by {}.", DiscordMarkup.user(by.0)),
        Taken::NotOffered => format!("#{entry} was not handed to you, or it has been deleted."),
    };
    Ok(Reply::Update(Message { content, ..Message::default() }))
}
