//! User text inside bot messages: markdown and mentions made inert.
//!
//! `allowed_mentions` is empty on every message, so nothing pings anyway; escaping also keeps a
//! note's `**`, `@everyone` or `<@123>` from changing how the message looks.

use crate::domain::search::{HIGHLIGHT_END, HIGHLIGHT_START};

/// Escapes Discord markdown and breaks mentions, so the text shows exactly as typed.
pub fn text(s: &str) -> String {
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

/// A snippet from search: the text escaped, the matched words in bold.
pub fn snippet(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split([HIGHLIGHT_START, HIGHLIGHT_END]).enumerate() {
        if i % 2 == 1 && !part.is_empty() {
            out.push_str("**");
            out.push_str(&text(part));
            out.push_str("**");
        } else {
            out.push_str(&text(part));
        }
    }
    out.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_and_markdown_are_inert() {
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
        assert_eq!(snippet(&s), "a **loan** \\*x\\*");
    }
}
