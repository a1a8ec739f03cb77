//! Tags: given as an option or as `#hashtags` in the note, normalised to lower-case kebab-case.

use serde::{Deserialize, Serialize};

pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_CHARS: usize = 40;

/// A normalised tag: lower-case letters and digits in words joined by single hyphens, 1 to 40
/// characters (`Open Access` and `#OpenAccess` both become `open-access`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("a tag needs at least one letter or digit")]
    Empty,
    #[error("the tag \"{0}\" is longer than {MAX_TAG_CHARS} characters")]
    TooLong(String),
    #[error("an entry can have at most {MAX_TAGS} tags; this one has {0}")]
    TooMany(usize),
}

impl Tag {
    pub fn parse(raw: &str) -> Result<Self, TagError> {
        todo!("{raw}")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tags option as typed: separated by commas when there are any, otherwise by whitespace;
/// a leading `#` on each is optional. Duplicates are dropped, order kept.
pub fn parse_tag_list(input: &str) -> Result<Vec<Tag>, TagError> {
    todo!("{input}")
}

/// The `#hashtags` in a note, normalised (ones that do not normalise are skipped).
pub fn hashtags(note: &str) -> Vec<Tag> {
    todo!("{note}")
}

/// Given tags first, then the note's hashtags; duplicates dropped; at most [`MAX_TAGS`].
pub fn merge_tags(given: Vec<Tag>, from_note: Vec<Tag>) -> Result<Vec<Tag>, TagError> {
    todo!("{given:?} {from_note:?}")
}

impl TryFrom<String> for Tag {
    type Error = TagError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Tag::parse(&s)
    }
}

impl From<Tag> for String {
    fn from(t: Tag) -> String {
        t.0
    }
}

impl std::fmt::Display for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
