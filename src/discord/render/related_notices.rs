//! "Someone else heard about this": the DM a follow-up's owner gets when a colleague captures an
//! entry about the same thing, and the lines the capturer's reply says who was told with. Every
//! piece of user text (the note, and department and channel names) is escaped.

use crate::discord::markup::DiscordMarkup;
use crate::message::{Markup, Message};
use crate::service::related_notices::{Heard, HeardOn, Outcome, Told};
use crate::store::RelatedNotice;

/// How much of the new entry's note the DM quotes: enough to recognise it, and the rest is one
/// `/entry show` away.
const SNIPPET: usize = 300;

/// The DM to the follow-up's owner: the new entry's snippet, where and when it was heard, how to
/// open it, and which of their follow-ups it concerns.
pub fn message(heard: &Heard) -> Message {
    let m = DiscordMarkup;
    let on = match heard.on {
        HeardOn::Today => "today".to_string(),
        HeardOn::Yesterday => "yesterday".to_string(),
        HeardOn::Day(d) => heard.dates.day(d),
    };
    let content = format!(
        "Someone else heard about this: {} ({}, {}, {on}).\nIt concerns your follow-up on #{}. See the new entry with {}.",
        m.text(&heard.entry.note.excerpt(SNIPPET)),
        m.text(&heard.department),
        m.text(&heard.channel),
        heard.follow_up,
        m.code(&format!("/entry show id:{}", heard.entry.id)),
    );
    Message { content, ..Message::default() }
}

/// What the capturer's reply says of who was told, one line each; `None` when nobody. Mentions
/// show the name but ping nobody: every reply goes out with mentions suppressed.
pub fn told(told: &[Told]) -> Option<String> {
    let m = DiscordMarkup;
    let lines: Vec<String> = told
        .iter()
        .filter_map(|t| {
            let who = m.user(t.owner.owner.0);
            let on = t.owner.follow_up;
            match &t.outcome {
                Outcome::Sent => Some(format!("Told {who} (follow-up #{on}).")),
                Outcome::AlreadyTold => {
                    Some(format!("{who} (follow-up #{on}) was told of a related note today already."))
                }
                Outcome::Failed(_) => {
                    Some(format!("Could not tell {who} (follow-up #{on}) just now; I will try again."))
                }
                Outcome::Undeliverable(_) => {
                    Some(format!("Could not tell {who} (follow-up #{on}): Discord refused the DM."))
                }
                // Nothing to tell after all: not worth a line.
                Outcome::Gone => None,
            }
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// What the owner of refused notices is told on their next command, one line each.
pub fn refused(notices: &[RelatedNotice]) -> String {
    notices
        .iter()
        .map(|n| {
            format!(
                "I could not tell you by DM that someone else heard about your follow-up on #{}: see {}. Your DMs from this server are closed.",
                n.key.entry,
                DiscordMarkup.code(&format!("/entry show id:{}", n.heard))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
