//! Where a text mentions somebody or something: the matching behind access and erasure requests.
//! Texts are compared as a reader sees them ([`visible`]), ignoring case and accents, on whole
//! words, so "José" finds "JOSE" and "Jose\u{301}" but "Ann" never finds "Anne" or "Joann". The
//! ranges found are byte ranges of the text as written, so erasing replaces exactly the mention and
//! leaves the rest untouched.

use std::ops::Range;

use super::privacy::ERASED;
use super::text::{fold, is_word_char, visible};

/// What to look for: the words of a text, folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MentionError {
    #[error("give the name or words to look for: this has no letters or digits")]
    NoWords,
}

/// A piece of a text: a word (its bytes in the text, its folded form) or an `[erased]` marker,
/// which is never part of a mention, so erasing again changes nothing.
enum Token {
    Word(Range<usize>, String),
    Erased,
}

impl Mention {
    /// The words of `text`; refused when it has none (an empty TEXT would match everything or
    /// nothing, and neither is what a person asking meant).
    pub fn new(text: &str) -> Result<Self, MentionError> {
        let words: Vec<String> = tokens(text)
            .into_iter()
            .filter_map(|t| match t {
                Token::Word(_, folded) => Some(folded),
                Token::Erased => None,
            })
            .collect();
        if words.is_empty() {
            return Err(MentionError::NoWords);
        }
        Ok(Mention { words })
    }

    /// The byte ranges of `text` that mention it, in order, never overlapping: each runs from the
    /// first word's first byte to the last word's last, whatever spaces or punctuation stand
    /// between the words.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        let tokens = tokens(text);
        let n = self.words.len();
        let mut found = Vec::new();
        let mut i = 0;
        while i + n <= tokens.len() {
            let matched = tokens[i..i + n].iter().zip(&self.words).all(|(t, w)| match t {
                Token::Word(_, folded) => folded == w,
                Token::Erased => false,
            });
            if matched {
                if let (Token::Word(first, _), Token::Word(last, _)) = (&tokens[i], &tokens[i + n - 1]) {
                    found.push(first.start..last.end);
                }
                i += n;
            } else {
                i += 1;
            }
        }
        found
    }

    pub fn is_in(&self, text: &str) -> bool {
        !self.find(text).is_empty()
    }

    /// `text` with each mention replaced by [`ERASED`]; `None` when it has none.
    pub fn erase(&self, text: &str) -> Option<String> {
        let found = self.find(text);
        if found.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for range in found {
            out.push_str(&text[at..range.start]);
            out.push_str(ERASED);
            at = range.end;
        }
        out.push_str(&text[at..]);
        Some(out)
    }
}

/// A text's words with their byte ranges, and its `[erased]` markers. A character a reader does
/// not see (a zero-width space, a soft hyphen) neither splits a word nor separates two.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with(ERASED) {
            if let Some((start, end)) = word.take() {
                push_word(&mut out, text, start..end);
            }
            out.push(Token::Erased);
            i += ERASED.len();
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        let len = c.len_utf8();
        if is_word_char(c) {
            word = Some(match word {
                Some((start, _)) => (start, i + len),
                None => (i, i + len),
            });
        } else if word.is_some() && is_unseen(c) {
            // Inside a word: skipped, and the word goes on after it.
        } else if let Some((start, end)) = word.take() {
            push_word(&mut out, text, start..end);
        }
        i += len;
    }
    if let Some((start, end)) = word {
        push_word(&mut out, text, start..end);
    }
    out
}

/// A word, unless nothing of it is left once folded (a lone combining mark): that separates words
/// as punctuation does, so it never becomes a word that matches anything.
fn push_word(out: &mut Vec<Token>, text: &str, range: Range<usize>) {
    let folded = fold(&text[range.clone()]);
    if !folded.is_empty() {
        out.push(Token::Word(range, folded));
    }
}

/// A character [`visible`] removes: nothing to a reader.
fn is_unseen(c: char) -> bool {
    !c.is_whitespace() && !c.is_ascii() && visible(c.encode_utf8(&mut [0; 4])).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str) -> Mention {
        Mention::new(text).expect("has words")
    }

    #[test]
    fn accents_and_case_are_ignored() {
        let jose = mention("José");
        for text in ["met jose today", "JOSÉ said", "Jose\u{301} said", "(José)", "jose\u{200B}"] {
            assert!(jose.is_in(text), "{text:?}");
        }
        assert!(mention("jose").is_in("José García"));
        assert!(mention("İSTANBUL").is_in("istanbul"));
    }

    #[test]
    fn only_whole_words_match() {
        let ann = mention("Ann");
        for text in ["Anne came", "Joann came", "Annual", "ann2"] {
            assert!(!ann.is_in(text), "{text:?}");
        }
        assert!(ann.is_in("Ann's office"));
        assert!(ann.is_in("ann-marie"));
    }

    #[test]
    fn several_words_match_across_any_spaces_and_punctuation() {
        let name = mention("Dr  Ann Field");
        assert_eq!(name.find("see dr. ann\n– field, today"), vec![4..21]);
        assert!(!name.is_in("dr ann fields"));
        assert!(!name.is_in("ann field"));
    }

    #[test]
    fn ranges_are_of_the_text_as_written() {
        let text = "Jose\u{301} and JOSÉ and jo\u{200B}se";
        let found = mention("josé").find(text);
        assert_eq!(found.len(), 3);
        assert_eq!(&text[found[0].clone()], "Jose\u{301}");
        assert_eq!(&text[found[1].clone()], "JOSÉ");
        assert_eq!(&text[found[2].clone()], "jo\u{200B}se");
    }

    #[test]
    fn erasing_replaces_exactly_the_mentions_and_is_idempotent() {
        let m = mention("Ann Field");
        let once = m.erase("Ann Field (ann  FIELD!) asked; Anne Fielding did not").expect("mentioned");
        assert_eq!(once, "[erased] ([erased]!) asked; Anne Fielding did not");
        assert_eq!(m.erase(&once), None);
        assert!(!mention("erased").is_in(&once));
        assert_eq!(mention("erased").erase("erased [erased]"), Some("[erased] [erased]".to_string()));
        assert_eq!(mention("erased").erase("[erased] [erased]"), None);
    }

    #[test]
    fn a_text_without_words_is_refused() {
        for text in ["", "   ", "!!! ...", "[erased]", "\u{200B}", "\u{301}"] {
            assert!(matches!(Mention::new(text), Err(MentionError::NoWords)), "{text:?}");
        }
    }

    #[test]
    fn the_marker_is_not_a_word_between_two() {
        assert!(!mention("Ann Field").is_in("Ann [erased] Field"));
    }
}
