//! The text of an entry.

use serde::{Deserialize, Serialize};

use super::redaction::Redactor;
use super::text::visible;

/// The longest note, in characters, after trimming (a Discord text input holds 4000).
pub const MAX_NOTE_CHARS: usize = 4000;

/// A note: [`visible`] text (NFC, no control characters other than newline and tab, which also
/// keeps the search highlight markers out of stored text, no invisible characters, plain spaces),
/// trimmed, 1 to [`MAX_NOTE_CHARS`] characters. `Note::parse` of a note's text gives it back.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Note(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("the note is empty: write what you heard")]
    Empty,
    #[error("the note is {0} characters long; the limit is {MAX_NOTE_CHARS}")]
    TooLong(usize),
}

impl Note {
    pub fn parse(text: &str) -> Result<Self, NoteError> {
        // Cleaning before trimming means an invisible character at either end cannot shield
        // whitespace from the trim.
        let cleaned = visible(text);
        let trimmed = cleaned.trim();
        match trimmed.chars().count() {
            0 => Err(NoteError::Empty),
            n if n > MAX_NOTE_CHARS => Err(NoteError::TooLong(n)),
            _ => Ok(Note(trimmed.to_string())),
        }
    }

    /// A note as the store holds it, taken as it is: for storage only. What is stored passed
    /// [`Note::parse`] when written, and reading it back must not fail on a rule applied again.
    pub fn from_stored(text: String) -> Self {
        Note(text)
    }

    /// What a note as typed is stored as, on capture, edit and import alike: made [`visible`]
    /// first, so a pattern sees what a reader sees (`jo<BEL>@x.ac.uk` is an address), checked
    /// against the limit as typed, then redacted. Stored notes come through unchanged.
    pub fn clean(typed: &str, redactor: &Redactor) -> Result<CleanNote, NoteError> {
        let seen = Note::parse(typed)?;
        let redacted = redactor.redact(seen.as_str());
        // Parsed again: a replacement changes the length, and a configured empty one can leave
        // whitespace at an end or nothing at all.
        let note = Note::parse(&redacted.text)?;
        Ok(CleanNote { note, redactions: redacted.count })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// At most `max_chars` characters, cut at a word boundary where one is near, with `…` when cut.
    pub fn excerpt(&self, max_chars: usize) -> String {
        // One line reads better in a list or an embed field, so every run of whitespace
        // (newlines included) becomes a single space.
        let flat: Vec<char> = self.0.split_whitespace().flat_map(|w| w.chars().chain([' '])).collect();
        let flat = flat.strip_suffix(&[' ']).unwrap_or(&flat);
        if flat.len() <= max_chars {
            return flat.iter().collect();
        }
        let Some(budget) = max_chars.checked_sub(1) else {
            return String::new();
        };
        // A cut mid-word is only worth avoiding if it does not waste much of the budget.
        let earliest = budget - budget / 5;
        let cut = (earliest..=budget).rev().find(|&i| i > 0 && flat[i] == ' ').unwrap_or(budget);
        let mut out: String = flat[..cut].iter().collect();
        out.truncate(out.trim_end().len());
        out.push('…');
        out
    }
}

/// A note ready to store, and how many items of personal data were replaced in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanNote {
    pub note: Note,
    pub redactions: u32,
}

impl TryFrom<String> for Note {
    type Error = NoteError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Note::parse(&s)
    }
}

impl From<Note> for String {
    fn from(n: Note) -> String {
        n.0
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::redaction::RedactionSpec;

    fn note(s: &str) -> Note {
        Note::parse(s).expect("valid note")
    }

    #[test]
    fn trims_surrounding_whitespace() {
        assert_eq!(note("  hello\n\t ").as_str(), "hello");
    }

    #[test]
    fn keeps_inner_newlines_and_tabs() {
        assert_eq!(note("a\nb\tc").as_str(), "a\nb\tc");
    }

    #[test]
    fn strips_control_characters_including_highlight_markers() {
        assert_eq!(note("a\u{2}b\u{3}c\u{0}d\r\ne\u{7f}f\u{1b}").as_str(), "abcd\nef");
    }

    #[test]
    fn invisible_characters_go_and_unicode_spaces_become_plain() {
        assert_eq!(note("so\u{AD}cial\u{A0}his\u{200B}tory\u{202E}").as_str(), "social history");
        assert_eq!(note("\u{FEFF}\u{A0}caf\u{65}\u{301}\u{2007}").as_str(), "caf\u{E9}");
    }

    #[test]
    fn clean_redacts_what_a_reader_sees() {
        let redactor = Redactor::new(&RedactionSpec::default()).expect("built-ins compile");
        for typed in ["write to jo\u{7}@x.ac.uk", "write to jo\u{200B}@x.ac.uk", "write to jo@x\u{AD}.ac.uk"]
        {
            let clean = Note::clean(typed, &redactor).expect("valid");
            assert_eq!(clean.note.as_str(), "write to [email]", "{typed:?}");
            assert_eq!(clean.redactions, 1);
            let again = Note::clean(clean.note.as_str(), &redactor).expect("valid");
            assert_eq!(again, CleanNote { note: clean.note, redactions: 0 });
        }
        // No-break and thin spaces, as word processors put inside numbers, are spaces to a pattern.
        let spaced =
            Note::clean("call 07700\u{A0}900123 or pay 4111\u{2009}1111\u{202F}1111 1111", &redactor);
        assert_eq!(spaced.map(|c| c.note.to_string()), Ok("call [phone] or pay [card number]".to_string()));
        assert_eq!(Note::clean("\u{200B} \u{7}", &redactor), Err(NoteError::Empty));
    }

    #[test]
    fn trims_whitespace_behind_control_characters() {
        assert_eq!(note("\u{2} hello \u{3}").as_str(), "hello");
    }

    #[test]
    fn empty_and_blank_notes_are_rejected() {
        assert_eq!(Note::parse(""), Err(NoteError::Empty));
        assert_eq!(Note::parse(" \n\t "), Err(NoteError::Empty));
        assert_eq!(Note::parse("\u{2}\u{3}"), Err(NoteError::Empty));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let max = "é".repeat(MAX_NOTE_CHARS);
        assert_eq!(note(&max).as_str().chars().count(), MAX_NOTE_CHARS);
        let over = "é".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(Note::parse(&over), Err(NoteError::TooLong(MAX_NOTE_CHARS + 1)));
    }

    #[test]
    fn length_is_measured_after_trimming() {
        let padded = format!("   {}   ", "x".repeat(MAX_NOTE_CHARS));
        assert!(Note::parse(&padded).is_ok());
    }

    #[test]
    fn too_long_error_names_both_lengths() {
        let msg = NoteError::TooLong(4001).to_string();
        assert!(msg.contains("4001") && msg.contains("4000"), "{msg}");
    }

    #[test]
    fn serde_goes_through_parse() {
        let n: Note = serde_json::from_str("\"  hi  \"").expect("valid");
        assert_eq!(n.as_str(), "hi");
        assert!(serde_json::from_str::<Note>("\"   \"").is_err());
        assert_eq!(serde_json::to_string(&n).expect("serialises"), "\"hi\"");
    }

    #[test]
    fn excerpt_returns_short_notes_whole() {
        assert_eq!(note("short note").excerpt(20), "short note");
        assert_eq!(note("exactly10!").excerpt(10), "exactly10!");
    }

    #[test]
    fn excerpt_collapses_newlines() {
        assert_eq!(note("line one\n\nline two").excerpt(50), "line one line two");
        assert_eq!(note("a\r\nb\tc").excerpt(50), "a b c");
    }

    #[test]
    fn excerpt_cuts_at_a_word_boundary_near_the_end() {
        let n = note("The history department wants more primary sources");
        let e = n.excerpt(30);
        assert_eq!(e, "The history department wants…");
        assert!(e.chars().count() <= 30);
    }

    #[test]
    fn excerpt_cuts_mid_word_when_no_boundary_is_near() {
        let n = note("Supercalifragilisticexpialidocious is long");
        let e = n.excerpt(10);
        assert_eq!(e, "Supercali…");
        assert_eq!(e.chars().count(), 10);
    }

    #[test]
    fn excerpt_ignores_boundaries_early_in_the_budget() {
        // The only space is at position 2, far outside the last fifth of a 20-character budget.
        let n = note("an extraordinarilylongwordthatgoeson");
        assert_eq!(n.excerpt(20), "an extraordinarilyl…");
    }

    #[test]
    fn excerpt_uses_a_boundary_right_at_the_budget() {
        // The character just past the budget is a space, so the cut lands on a whole word.
        assert_eq!(note("abcdefghi jklmnop").excerpt(10), "abcdefghi…");
    }

    #[test]
    fn excerpt_never_exceeds_the_budget() {
        let n = note("Café owners in the humanities block said the ebook platform keeps failing at\nlogin");
        for max in 0..100 {
            let e = n.excerpt(max);
            assert!(e.chars().count() <= max, "{max}: {e:?}");
            if e.chars().count() < n.as_str().chars().count() && max > 0 {
                assert!(e.ends_with('…'), "{max}: {e:?}");
            }
        }
    }

    #[test]
    fn excerpt_of_tiny_budgets() {
        let n = note("hello world");
        assert_eq!(n.excerpt(0), "");
        assert_eq!(n.excerpt(1), "…");
        assert_eq!(n.excerpt(2), "h…");
    }

    #[test]
    fn excerpt_does_not_leave_a_space_before_the_ellipsis() {
        assert_eq!(note("ab cd ef gh").excerpt(4), "ab…");
    }
}
