//! Discord's dialect of [`Markup`]: markdown, and the `<…>` forms Discord renders for each reader
//! (timestamps in their own timezone, channel and user mentions by name).
//!
//! User text is escaped: `allowed_mentions` is empty on every message, so nothing pings anyway;
//! escaping also keeps a note's `**`, `@everyone` or `<@123>` from changing how the message looks.

use chrono::{DateTime, Utc};

use crate::message::{Image, Markup, TimeStyle};

pub struct DiscordMarkup;

impl Markup for DiscordMarkup {
    /// Escapes Discord markdown and breaks mentions, so the text shows exactly as typed.
    fn text(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        for c in s.chars() {
            match c {
                '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '-' | '[' | ']' | '(' | ')' | ':' => {
                    out.push('\\');
                    out.push(c);
                }
                '@' => out.push_str("@\u{200b}"),
                _ => out.push(c),
            }
        }
        out
    }

    fn bold(&self, s: &str) -> String {
        format!("**{s}**")
    }

    fn code(&self, s: &str) -> String {
        format!("`{s}`")
    }

    fn time(&self, t: DateTime<Utc>, style: TimeStyle) -> String {
        let style = match style {
            TimeStyle::Date => 'd',
            TimeStyle::DateTime => 'f',
            TimeStyle::LongDateTime => 'F',
            TimeStyle::Relative => 'R',
        };
        format!("<t:{}:{style}>", t.timestamp())
    }

    fn channel(&self, id: u64) -> String {
        format!("<#{id}>")
    }

    fn user(&self, id: u64) -> String {
        format!("<@{id}>")
    }
}

/// Where an embed's image is, as Discord reads it.
pub fn image_url(image: &Image) -> String {
    match image {
        Image::Attachment(name) => format!("attachment://{name}"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::search::{HIGHLIGHT_END, HIGHLIGHT_START};

    #[test]
    fn mentions_and_markdown_are_inert() {
        let text = |s| DiscordMarkup.text(s);
        assert_eq!(text("@everyone"), "@\u{200b}everyone");
        assert_eq!(text("<@123> <@&9> <#5>"), "\\<@\u{200b}123\\> \\<@\u{200b}&9\\> \\<\\#5\\>");
        assert_eq!(
            text("**bold** _i_ `code` ||spoiler|| > quote"),
            "\\*\\*bold\\*\\* \\_i\\_ \\`code\\` \\|\\|spoiler\\|\\| \\> quote"
        );
        assert_eq!(text("[link](http://x)"), "\\[link\\]\\(http\\://x\\)");
        assert_eq!(text("# heading\n- item"), "\\# heading\n\\- item");
    }

    #[test]
    fn snippets_bold_only_the_matched_words() {
        let s = format!("a {HIGHLIGHT_START}loan{HIGHLIGHT_END} *x*");
        assert_eq!(DiscordMarkup.snippet(&s), "a **loan** \\*x\\*");
    }

    #[test]
    fn times_and_mentions_are_what_discord_renders_for_each_reader() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let styles = [TimeStyle::Date, TimeStyle::DateTime, TimeStyle::LongDateTime, TimeStyle::Relative];
        let shown: Vec<String> = styles.iter().map(|&s| DiscordMarkup.time(t, s)).collect();
        let at = t.timestamp();
        assert_eq!(
            shown,
            [format!("<t:{at}:d>"), format!("<t:{at}:f>"), format!("<t:{at}:F>"), format!("<t:{at}:R>")]
        );
        assert_eq!((DiscordMarkup.channel(5), DiscordMarkup.user(7)), ("<#5>".into(), "<@7>".into()));
        assert_eq!(image_url(&Image::Attachment("chart.png".into())), "attachment://chart.png");
    }
}
