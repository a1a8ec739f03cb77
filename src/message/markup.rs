//! Formatting without a chat's syntax: renderers below the front ends (the digest, the services'
//! notices) say "bold", "this user", "this time" through a [`Markup`], and the front end that
//! will post the result supplies the dialect (`src/discord/markup.rs` for Discord).

use chrono::{DateTime, Utc};

use crate::domain::search::{HIGHLIGHT_END, HIGHLIGHT_START};

/// How a point in time is shown. A chat that shows times in each reader's own timezone keeps
/// the instant; a plain one writes it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeStyle {
    /// The day only.
    Date,
    /// Day and time of day.
    DateTime,
    /// Weekday, day and time of day.
    LongDateTime,
    /// How long ago, or how soon.
    Relative,
}

/// One chat's way of writing formatted text. The arguments of `bold` and `code` are text that
/// is already markup (user text through [`Markup::text`], or our own words), so nothing is
/// escaped twice.
pub trait Markup: Send + Sync {
    /// User text made inert: it shows exactly as typed, and no markup or mention in it works.
    fn text(&self, s: &str) -> String;

    fn bold(&self, s: &str) -> String;

    /// A command or other literal to be typed as shown.
    fn code(&self, s: &str) -> String;

    fn time(&self, t: DateTime<Utc>, style: TimeStyle) -> String;

    /// A link to a chat channel, shown by its name.
    fn channel(&self, id: u64) -> String;

    /// A user, shown by their name. It never pings: every message goes out with mentions off.
    fn user(&self, id: u64) -> String;

    /// A search snippet: the text inert, the matched words (between [`HIGHLIGHT_START`] and
    /// [`HIGHLIGHT_END`]) in bold, on one line.
    fn snippet(&self, s: &str) -> String {
        let mut out = String::new();
        for (i, part) in s.split([HIGHLIGHT_START, HIGHLIGHT_END]).enumerate() {
            if i % 2 == 1 && !part.is_empty() {
                out.push_str(&self.bold(&self.text(part)));
            } else {
                out.push_str(&self.text(part));
            }
        }
        out.replace('\n', " ")
    }
}
