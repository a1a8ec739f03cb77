//! Tags: given as an option or as `#hashtags` in the note, normalised to lower-case kebab-case.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::text::{is_combining_mark, is_word_char, visible};

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
    /// Idempotent: a tag's own text parses to the same tag, which is what lets a stored tag be
    /// read back.
    pub fn parse(raw: &str) -> Result<Self, TagError> {
        let seen = visible(raw);
        let mut tag = String::with_capacity(seen.len());
        for word in seen.split(|c: char| !is_word_char(c)).flat_map(split_camel_case) {
            if !tag.is_empty() {
                tag.push('-');
            }
            tag.extend(word.chars().flat_map(char::to_lowercase));
        }
        // Lower-casing can undo composition (`İ` becomes `i` and a combining dot).
        let tag: String = tag.nfc().collect();
        match tag.chars().count() {
            0 => Err(TagError::Empty),
            n if n > MAX_TAG_CHARS => Err(TagError::TooLong(tag)),
            _ => Ok(Tag(tag)),
        }
    }

    /// A tag as the store holds it, taken as it is: for storage only. What is stored passed
    /// [`Tag::parse`] when written, and reading it back must not fail on a rule applied again.
    pub fn from_stored(tag: String) -> Self {
        Tag(tag)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tags option as typed: separated by commas when there are any, otherwise by whitespace;
/// a leading `#` on each is optional. Duplicates are dropped, order kept.
pub fn parse_tag_list(input: &str) -> Result<Vec<Tag>, TagError> {
    let pieces: Vec<&str> =
        if input.contains(',') { input.split(',').collect() } else { input.split_whitespace().collect() };
    let mut tags = Vec::new();
    for piece in pieces {
        // A stray `#` or a trailing comma is a slip, not a tag the user meant to be rejected.
        if piece.trim().trim_start_matches('#').trim().is_empty() {
            continue;
        }
        tags.push(Tag::parse(piece)?);
    }
    dedupe_capped(tags)
}

/// A tags option as it is being typed, cut where its last tag starts: `("eebo, ", "tra")` for
/// `eebo, tra`. Separated as [`parse_tag_list`] reads it, so that a completion keeps what was
/// typed before the last tag exactly as it was.
pub fn split_last_tag(input: &str) -> (&str, &str) {
    let cut = if input.contains(',') {
        input.rfind(',').map_or(0, |at| at + 1)
    } else {
        input
            .rfind(char::is_whitespace)
            .map_or(0, |at| at + input[at..].chars().next().map_or(1, char::len_utf8))
    };
    let rest = &input[cut..];
    let last = rest.trim_start();
    (&input[..input.len() - last.len()], last)
}

/// The `#hashtags` in a note, normalised (ones that do not normalise are skipped).
pub fn hashtags(note: &str) -> Vec<Tag> {
    let urls: Vec<(usize, usize)> = URL.find_iter(note).map(|m| (m.start(), m.end())).collect();
    let in_url = |at: usize| urls.iter().any(|&(start, end)| start <= at && at < end);
    let mut seen = HashSet::new();
    HASHTAG
        .captures_iter(note)
        .filter_map(|caps| caps.get(1))
        .filter(|body| !in_url(body.start()))
        .filter_map(|body| Tag::parse(body.as_str()).ok())
        .filter(|tag| seen.insert(tag.clone()))
        .collect()
}

/// Given tags first, then the note's hashtags; duplicates dropped; at most [`MAX_TAGS`].
pub fn merge_tags(given: Vec<Tag>, from_note: Vec<Tag>) -> Result<Vec<Tag>, TagError> {
    dedupe_capped(given.into_iter().chain(from_note).collect())
}

/// A hashtag must start a word: the character before the `#` may not be a letter, digit or
/// underscore (`C#`, `x#y`), another `#`, `&` (HTML entities such as `&#x27;`) or `/` (a URL
/// path with the scheme left off). Group 1 is the tag without its `#`.
static HASHTAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\w#&/])#(\p{L}[\p{L}\p{M}\p{N}_-]*)").expect("the hashtag pattern is valid")
});

/// Anything that looks like a link; a `#` inside one is a fragment, not a tag.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+").expect("the URL pattern is valid")
});

/// Splits a run of word characters at camelCase boundaries: `OpenAccess` → `Open`, `Access`;
/// `EEBOData` → `EEBO`, `Data`. A single capital ending the run stays put, so `PhD` and `3D`
/// are one word.
fn split_camel_case(run: &str) -> impl Iterator<Item = &str> {
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let mut cuts = Vec::new();
    for i in 1..chars.len() {
        let (at, c) = chars[i];
        // A combining mark takes the case of the letter it sits on.
        let prev = chars[..i].iter().rev().map(|&(_, p)| p).find(|&p| !is_combining_mark(p)).unwrap_or(c);
        let next = chars.get(i + 1).map(|&(_, n)| n);
        // Only a capital that lower-casing changes starts a word. `ℝ`, `ℂ` or `𝐀` stay capitals
        // in the stored tag; were they to split it, reading the tag back would split it again.
        if !has_lowercase(c) {
            continue;
        }
        let after_lower = prev.is_lowercase() || prev.is_numeric();
        let ends_acronym = prev.is_uppercase() && next.is_some_and(char::is_lowercase);
        // `PhD`: a lone capital at the end of the run reads as part of the word before it.
        let lone_final = !next.is_some_and(|n| n.is_alphabetic() && !is_combining_mark(n)) && after_lower;
        if (after_lower && !lone_final) || ends_acronym {
            cuts.push(at);
        }
    }
    let mut start = 0;
    let mut words = Vec::with_capacity(cuts.len() + 1);
    for cut in cuts.into_iter().chain([run.len()]) {
        words.push(&run[start..cut]);
        start = cut;
    }
    words.into_iter().filter(|w| !w.is_empty())
}

/// A capital letter with a lower-case form of its own.
fn has_lowercase(c: char) -> bool {
    c.is_uppercase() && !c.to_lowercase().eq([c])
}

/// Drops repeats (first one wins) and enforces [`MAX_TAGS`] on what is left.
fn dedupe_capped(tags: Vec<Tag>) -> Result<Vec<Tag>, TagError> {
    let mut seen = HashSet::new();
    let unique: Vec<Tag> = tags.into_iter().filter(|t| seen.insert(t.clone())).collect();
    if unique.len() > MAX_TAGS {
        return Err(TagError::TooMany(unique.len()));
    }
    Ok(unique)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_tag_being_typed_is_cut_from_the_ones_before() {
        assert_eq!(split_last_tag(""), ("", ""));
        assert_eq!(split_last_tag("tra"), ("", "tra"));
        assert_eq!(split_last_tag("eebo, tra"), ("eebo, ", "tra"));
        assert_eq!(split_last_tag("open access,  #tra"), ("open access,  ", "#tra"));
        assert_eq!(split_last_tag("eebo, "), ("eebo, ", ""));
        assert_eq!(split_last_tag("eebo tra"), ("eebo ", "tra"));
        assert_eq!(split_last_tag("éé\u{3000}tr"), ("éé\u{3000}", "tr"));
    }

    fn tag(s: &str) -> String {
        Tag::parse(s).map(String::from).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn strs(tags: &[Tag]) -> Vec<&str> {
        tags.iter().map(Tag::as_str).collect()
    }

    fn tags(list: &[&str]) -> Vec<Tag> {
        list.iter().map(|s| Tag::parse(s).expect("valid tag")).collect()
    }

    #[test]
    fn the_three_spellings_of_open_access_agree() {
        assert_eq!(tag("Open Access"), "open-access");
        assert_eq!(tag("#OpenAccess"), "open-access");
        assert_eq!(tag("open_access"), "open-access");
        assert_eq!(tag("open-access"), "open-access");
        assert_eq!(tag("openAccess"), "open-access");
        assert_eq!(tag("OPEN ACCESS"), "open-access");
    }

    #[test]
    fn punctuation_and_runs_of_separators_become_one_hyphen() {
        assert_eq!(tag("  --open -- access!! "), "open-access");
        assert_eq!(tag("open.access/policy"), "open-access-policy");
        assert_eq!(tag("R&D"), "r-d");
        assert_eq!(tag("women's studies"), "women-s-studies");
    }

    #[test]
    fn acronyms_stay_whole() {
        assert_eq!(tag("EEBO"), "eebo");
        assert_eq!(tag("#EEBO"), "eebo");
        assert_eq!(tag("EEBOData"), "eebo-data");
        assert_eq!(tag("REFPrep"), "ref-prep");
        assert_eq!(tag("PhD"), "phd");
        assert_eq!(tag("eBooks"), "e-books");
    }

    #[test]
    fn digits_are_kept() {
        assert_eq!(tag("REF2029"), "ref2029");
        assert_eq!(tag("covid19Response"), "covid19-response");
        assert_eq!(tag("3D printing"), "3d-printing");
        assert_eq!(tag("2026"), "2026");
    }

    #[test]
    fn unicode_letters_are_lower_cased() {
        assert_eq!(tag("Économie Sociale"), "économie-sociale");
        assert_eq!(tag("ΒΙΒΛΙΟΘΗΚΗ"), "βιβλιοθηκη");
        assert_eq!(tag("Straße"), "straße");
        assert_eq!(tag("Cafe\u{301}Culture"), "caf\u{e9}-culture");
        assert_eq!(tag("İstanbul"), "i\u{307}stanbul");
        assert_eq!(tag("日本研究"), "日本研究");
    }

    #[test]
    fn empty_after_normalising_is_an_error() {
        assert_eq!(Tag::parse(""), Err(TagError::Empty));
        assert_eq!(Tag::parse("#"), Err(TagError::Empty));
        assert_eq!(Tag::parse("-_- !!"), Err(TagError::Empty));
    }

    #[test]
    fn length_limit_counts_characters_of_the_normalised_tag() {
        let forty = "a".repeat(MAX_TAG_CHARS);
        assert_eq!(tag(&forty), forty);
        assert_eq!(tag(&format!("#{forty}!")), forty);
        let accented = "é".repeat(MAX_TAG_CHARS);
        assert_eq!(tag(&accented), accented);
        let long = "a".repeat(MAX_TAG_CHARS + 1);
        assert_eq!(Tag::parse(&long), Err(TagError::TooLong(long.clone())));
        // Twenty words of one letter need nineteen hyphens: 39 characters, still fine.
        assert_eq!(tag(&"a ".repeat(20)).len(), 39);
        assert!(matches!(Tag::parse(&"a ".repeat(21)), Err(TagError::TooLong(_))));
    }

    #[test]
    fn parsed_tags_are_stable_under_reparsing() {
        for raw in ["Open Access", "EEBOData", "PhD", "covid19Response", "Économie", "a-b-c"] {
            let once = tag(raw);
            assert_eq!(tag(&once), once, "{raw}");
        }
    }

    #[test]
    fn capitals_without_a_lower_case_form_do_not_split_words() {
        // The tag of issue 12: stored as `ℝbℝb…`, it used to read back as `ℝb-ℝb-…`, too long.
        let stored = tag(&"ℝB".repeat(20));
        assert_eq!(stored, "ℝb".repeat(20));
        assert_eq!(tag(&stored), stored);
        assert_eq!(tag("𝐀Book ℂData"), "𝐀-book-ℂ-data");
        assert_eq!(tag("ℝdata"), "ℝdata");
    }

    #[test]
    fn invisible_characters_do_not_split_a_tag() {
        assert_eq!(tag("open\u{AD}access"), "openaccess");
        assert_eq!(tag("Open\u{200B}Access\u{A0}Week"), "open-access-week");
    }

    #[test]
    fn every_single_character_reparses_to_itself() {
        for c in crate::domain::text::assigned_planes() {
            for raw in [format!("a{c}b"), format!("{c}B{c}B")] {
                if let Ok(once) = Tag::parse(&raw) {
                    assert_eq!(Tag::parse(once.as_str()).as_ref(), Ok(&once), "U+{:04X}", c as u32);
                }
            }
        }
    }

    #[test]
    fn serde_goes_through_parse() {
        let t: Tag = serde_json::from_str("\"Open Access\"").expect("valid");
        assert_eq!(t.as_str(), "open-access");
        assert!(serde_json::from_str::<Tag>("\"#\"").is_err());
    }

    #[test]
    fn tag_list_splits_on_commas_when_there_are_any() {
        let list = parse_tag_list("Open Access, #EEBO ,reading lists").expect("valid");
        assert_eq!(strs(&list), ["open-access", "eebo", "reading-lists"]);
    }

    #[test]
    fn tag_list_splits_on_whitespace_otherwise() {
        let list = parse_tag_list("  #OpenAccess eebo\treading_lists ").expect("valid");
        assert_eq!(strs(&list), ["open-access", "eebo", "reading-lists"]);
    }

    #[test]
    fn tag_list_skips_empty_pieces() {
        assert_eq!(strs(&parse_tag_list(",, eebo , ,# ,").expect("valid")), ["eebo"]);
        assert!(parse_tag_list("").expect("valid").is_empty());
        assert!(parse_tag_list("   ").expect("valid").is_empty());
        assert!(parse_tag_list(" # ").expect("valid").is_empty());
    }

    #[test]
    fn tag_list_drops_duplicates_keeping_first_order() {
        let list = parse_tag_list("eebo, Open Access, EEBO, open_access, jstor").expect("valid");
        assert_eq!(strs(&list), ["eebo", "open-access", "jstor"]);
    }

    #[test]
    fn tag_list_reports_bad_pieces() {
        assert_eq!(parse_tag_list("eebo, !!!"), Err(TagError::Empty));
        assert!(matches!(parse_tag_list(&"x".repeat(41)), Err(TagError::TooLong(_))));
    }

    #[test]
    fn tag_list_allows_ten_and_counts_distinct_beyond() {
        let ten: Vec<String> = (0..10).map(|i| format!("t{i}")).collect();
        assert_eq!(parse_tag_list(&ten.join(",")).expect("ten fit").len(), 10);
        let with_repeats = format!("{},t0,t1", ten.join(","));
        assert_eq!(parse_tag_list(&with_repeats).expect("repeats do not count").len(), 10);
        let twelve: Vec<String> = (0..12).map(|i| format!("t{i}")).collect();
        assert_eq!(parse_tag_list(&twelve.join(" ")), Err(TagError::TooMany(12)));
    }

    #[test]
    fn hashtags_are_found_at_starts_and_after_punctuation() {
        let found = hashtags("#EEBO trial ends; ask about #OpenAccess.(#jstor) and \"#ReadingLists\"");
        assert_eq!(strs(&found), ["eebo", "open-access", "jstor", "reading-lists"]);
    }

    #[test]
    fn hashtags_may_contain_digits_hyphens_and_underscores() {
        let found = hashtags("see #REF2029 and #open_access and #e-books-");
        assert_eq!(strs(&found), ["ref2029", "open-access", "e-books"]);
    }

    #[test]
    fn hashtags_must_start_with_a_letter() {
        assert!(hashtags("we are #1 and issue #42 and #_x and # space").is_empty());
    }

    #[test]
    fn hashtags_are_not_found_inside_words_or_urls() {
        assert!(hashtags("they teach C# and F#").is_empty());
        assert!(hashtags("x#y").is_empty());
        assert!(hashtags("see http://x/y#frag and https://example.org/#top").is_empty());
        assert!(hashtags("www.example.org/page#section").is_empty());
        assert!(hashtags("quote &#x27; and /path/#anchor").is_empty());
        assert!(hashtags("##double").is_empty());
    }

    #[test]
    fn hashtags_after_a_url_are_still_found() {
        let found = hashtags("https://x.org/a#frag #eebo");
        assert_eq!(strs(&found), ["eebo"]);
    }

    #[test]
    fn hashtags_are_deduplicated_and_unicode_aware() {
        let found = hashtags("#Économie then #économie, #OpenAccess #open-access\n#日本");
        assert_eq!(strs(&found), ["économie", "open-access", "日本"]);
    }

    #[test]
    fn hashtags_that_do_not_normalise_are_skipped() {
        let long = format!("#{}", "a".repeat(41));
        assert_eq!(strs(&hashtags(&format!("{long} #ok"))), ["ok"]);
    }

    #[test]
    fn merge_puts_given_first_and_dedupes() {
        let merged = merge_tags(tags(&["eebo", "jstor"]), tags(&["open-access", "eebo"])).expect("fits");
        assert_eq!(strs(&merged), ["eebo", "jstor", "open-access"]);
    }

    #[test]
    fn merge_allows_ten_distinct_and_rejects_more() {
        let given: Vec<Tag> = (0..6).map(|i| Tag::parse(&format!("g{i}")).expect("valid")).collect();
        let noted: Vec<Tag> = (0..4).map(|i| Tag::parse(&format!("n{i}")).expect("valid")).collect();
        let mut noted_with_repeat = noted.clone();
        noted_with_repeat.push(given[0].clone());
        assert_eq!(merge_tags(given.clone(), noted_with_repeat).expect("ten distinct").len(), 10);
        let mut eleven = noted;
        eleven.push(Tag::parse("extra").expect("valid"));
        assert_eq!(merge_tags(given, eleven), Err(TagError::TooMany(11)));
    }

    #[test]
    fn merge_of_nothing_is_nothing() {
        assert_eq!(merge_tags(Vec::new(), Vec::new()), Ok(Vec::new()));
    }
}
