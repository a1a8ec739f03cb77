//! The text of an entry.

use serde::{Deserialize, Serialize};

/// The longest note, in characters, after trimming (a Discord text input holds 4000).
pub const MAX_NOTE_CHARS: usize = 4000;

/// A note: trimmed, 1 to [`MAX_NOTE_CHARS`] characters, free of control characters other than
/// newline and tab (which also keeps the search highlight markers out of stored text).
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
        todo!("{text}")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// At most `max_chars` characters, cut at a word boundary where one is near, with `…` when cut.
    pub fn excerpt(&self, max_chars: usize) -> String {
        todo!("{max_chars}")
    }
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
