//! `/help topic`: in plain words, what to record and how, who sees what, and how to fix a
//! mistake. The words are docs/guide.md's, between its `<!-- help:TOPIC -->` markers: one text
//! for the guide and the bot, so that neither can say something the other does not.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use crate::discord::options::Options;
use crate::message::{Embed, Message, Reply};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "help";
pub const TOPIC: &str = "topic";

/// The guide for librarians and desk assistants, which holds every topic's text.
pub const GUIDE: &str = include_str!("../../../docs/guide.md");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// What liaison is for, and where each part is: `/help` without a topic.
    Overview,
    Record,
    Share,
    Fix,
}

impl Topic {
    pub const ALL: [Topic; 4] = [Topic::Overview, Topic::Record, Topic::Share, Topic::Fix];

    /// Its name in the guide's markers and as the `topic` choice's value.
    pub fn key(self) -> &'static str {
        match self {
            Topic::Overview => "overview",
            Topic::Record => "record",
            Topic::Share => "share",
            Topic::Fix => "fix",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Topic::Overview => "liaison: what it is for",
            Topic::Record => "Recording what you heard",
            Topic::Share => "Who sees what",
            Topic::Fix => "Fixing a mistake",
        }
    }

    /// How the choice reads in Discord's list; `None` for the overview, which is no choice.
    fn choice(self) -> Option<&'static str> {
        match self {
            Topic::Overview => None,
            Topic::Record => Some("record: what to record and how"),
            Topic::Share => Some("share: who sees what, the digest, privacy"),
            Topic::Fix => Some("fix: how to fix a mistake"),
        }
    }

    /// The topic's words as Discord shows them: the guide's section between its markers, with
    /// the lines the guide wraps joined again (a line break shows in Discord, not in Markdown).
    /// `None` only if the guide lost its markers, which the tests rule out.
    pub fn text(self) -> Option<String> {
        let start = format!("<!-- help:{} -->", self.key());
        let end = format!("<!-- /help:{} -->", self.key());
        let from = GUIDE.find(&start)? + start.len();
        let to = from + GUIDE[from..].find(&end)?;
        Some(unwrapped(&GUIDE[from..to]))
    }
}

/// Every topic's markers are in the guide, or liaison does not compile.
const MARKERS_PRESENT: () = {
    let markers = [
        "<!-- help:overview -->",
        "<!-- /help:overview -->",
        "<!-- help:record -->",
        "<!-- /help:record -->",
        "<!-- help:share -->",
        "<!-- /help:share -->",
        "<!-- help:fix -->",
        "<!-- /help:fix -->",
    ];
    let mut i = 0;
    while i < markers.len() {
        assert!(contains(GUIDE.as_bytes(), markers[i].as_bytes()), "docs/guide.md lacks a help marker");
        i += 1;
    }
};

const fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let mut start = 0;
    while start + needle.len() <= haystack.len() {
        let mut i = 0;
        while i < needle.len() && haystack[start + i] == needle[i] {
            i += 1;
        }
        if i == needle.len() {
            return true;
        }
        start += 1;
    }
    false
}

pub fn definition() -> CreateCommand {
    #[allow(clippy::let_unit_value)]
    let () = MARKERS_PRESENT;
    let topic = Topic::ALL.into_iter().fold(
        CreateCommandOption::new(CommandOptionType::String, TOPIC, "What about (leave out for a summary)"),
        |option, t| match t.choice() {
            Some(name) => option.add_string_choice(name, t.key()),
            None => option,
        },
    );
    CreateCommand::new(NAME)
        .description("How to use liaison: what to record, who sees what, how to fix a mistake")
        .dm_permission(false)
        .add_option(topic)
}

pub fn parse(options: &Options) -> Result<Topic, ServiceError> {
    let Some(key) = options.string(TOPIC) else { return Ok(Topic::Overview) };
    Topic::ALL.into_iter().find(|t| t.key() == key.trim()).ok_or_else(|| {
        ServiceError::invalid(format!("\"{key}\" is not a help topic: try record, share or fix."))
    })
}

/// The topic, privately. Nothing in it comes from a member, so nothing needs escaping.
pub fn handle(topic: Topic) -> ServiceResult<Reply> {
    // Cannot fail: MARKERS_PRESENT checks the guide as this compiles.
    let description = topic.text().ok_or_else(|| {
        ServiceError::invalid(format!(
            "The \"{}\" help is missing from this version of liaison.",
            topic.key()
        ))
    })?;
    let others: Vec<String> = Topic::ALL
        .into_iter()
        .filter(|&t| t != topic && t != Topic::Overview)
        .map(|t| format!("/help topic:{}", t.key()))
        .collect();
    let footer = format!("More: {}, or ask whoever runs liaison for the full guide.", others.join(" · "));
    let embed = Embed { title: topic.title().into(), description, footer, ..Embed::default() };
    Ok(Reply::Message(Message { embeds: vec![embed], ephemeral: true, ..Message::default() }))
}

/// Markdown's paragraphs and list items, each on one line: a line that starts neither a list
/// item nor a paragraph continues the one before.
fn unwrapped(markdown: &str) -> String {
    let mut out = String::new();
    let mut continues = false;
    for line in markdown.trim().lines().map(str::trim) {
        let starts_item = line.starts_with("- ")
            || line
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if line.is_empty() {
            if !out.ends_with("\n\n") {
                out.push_str("\n\n");
            }
            continues = false;
        } else if continues && !starts_item {
            out.push(' ');
            out.push_str(line);
        } else {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(line);
            continues = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_paragraph_is_one_line_and_items_and_paragraphs_stay_apart() {
        let text = "\nFirst line\nwrapped on.\n\n- an item\n  wrapped\n- another\n1. numbered\n\nLast.\n";
        assert_eq!(
            unwrapped(text),
            "First line wrapped on.\n\n- an item wrapped\n- another\n1. numbered\n\nLast."
        );
    }

    #[test]
    fn every_topic_parses_from_its_key_and_none_is_the_overview() {
        assert_eq!(parse(&Options::new()).unwrap(), Topic::Overview);
        for topic in Topic::ALL {
            assert_eq!(parse(&Options::new().with(TOPIC, topic.key())).unwrap(), topic);
        }
        let err = parse(&Options::new().with(TOPIC, "everything")).unwrap_err();
        assert!(err.is_user_error() && err.to_string().contains("record, share or fix"), "{err}");
    }
}
