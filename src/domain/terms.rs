//! What an entry is about, as connections between entries compare it: the distinctive words of
//! its note and its tags. Two notes about "EEBO training" written by different people on different
//! days share the terms `eebo` and `train`; how much a shared term counts depends on how rare it
//! is in the guild, which the service weighs (`service::related`).
//!
//! Words are folded (case and accents), lightly stemmed (plurals, -ing, -ed, a final e) and kept
//! only when they carry meaning: stop words, numbers and the placeholders redaction and erasure
//! leave (`[email]`, `[erased]`) are dropped. The stemmer is deliberately small: it must map
//! "workshops", "workshop" and "workshopping" together, and it never needs to be read by a person,
//! since a term is always shown as it was first written ([`Word::shown`]).
//!
//! The stored form of a term is its key (`Term::as_str`): a word's stem, or `#` and a tag. A
//! change to what this module produces for a note must bump [`TERMS_VERSION`], so that stored
//! terms are made again from the notes.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::tag::Tag;
use super::text::{fold, is_word_char};

/// The version of the rules below. Entries indexed by an older version are indexed again.
pub const TERMS_VERSION: i32 = 1;

/// The most terms kept for one entry: a note's first distinct words, then its tags. A note is at
/// most 1,800 characters; this keeps a long note from weighing more than a short one by volume.
pub const MAX_TERMS: usize = 48;

/// A word's stem or a tag, as compared and stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term(String);

impl Term {
    /// A tag as a term: `#` and the tag, which no word can be.
    pub fn tag(tag: &Tag) -> Term {
        Term(format!("#{}", tag.as_str()))
    }

    /// A term read back from the store, which only ever holds what this module made.
    pub fn from_stored(key: String) -> Term {
        Term(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_tag(&self) -> bool {
        self.0.starts_with('#')
    }
}

/// A term and how it was first written, for reasons shown to a person ("EEBO", "#eebo").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub term: Term,
    pub shown: String,
}

/// Two words written next to each other, nothing but a space or a hyphen between them: "research
/// data", "data management". Topics in the digest are tags, words and these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub terms: [Term; 2],
    pub shown: String,
}

impl Phrase {
    /// The phrase as one key, for counting: the two stems with a space between.
    pub fn key(&self) -> String {
        format!("{} {}", self.terms[0].as_str(), self.terms[1].as_str())
    }
}

/// What an entry is about: each distinct word of its note in order of first use, then each tag
/// not already there as a word, at most [`MAX_TERMS`].
pub fn of_entry(note: &str, tags: &[Tag]) -> Vec<Word> {
    let mut seen: HashSet<Term> = HashSet::new();
    let mut out: Vec<Word> = Vec::new();
    for token in tokens(note) {
        if let Some(word) = token.word {
            if seen.insert(word.term.clone()) {
                out.push(word);
            }
        }
    }
    out.truncate(MAX_TERMS.saturating_sub(tags.len().min(MAX_TERMS)));
    for tag in tags {
        let term = Term::tag(tag);
        if seen.insert(term.clone()) {
            out.push(Word { term, shown: format!("#{}", tag.as_str()) });
        }
    }
    out.truncate(MAX_TERMS);
    out
}

/// The note's words in order, repeats kept, stop words and placeholders left out.
pub fn words(note: &str) -> Vec<Word> {
    tokens(note).filter_map(|t| t.word).collect()
}

/// The note's two-word phrases, in order, repeats kept.
pub fn phrases(note: &str) -> Vec<Phrase> {
    let mut out = Vec::new();
    let mut previous: Option<Word> = None;
    for token in tokens(note) {
        match token.word {
            Some(word) => {
                if let Some(first) = previous.take().filter(|_| token.joined) {
                    out.push(Phrase {
                        shown: format!("{} {}", first.shown, word.shown),
                        terms: [first.term, word.term.clone()],
                    });
                }
                previous = Some(word);
            }
            None => previous = None,
        }
    }
    out
}

/// A run of word characters in a note: a word worth comparing, or `None` for a stop word, a
/// number or a placeholder (which also breaks a phrase).
struct Token {
    word: Option<Word>,
    /// Only a space or a hyphen since the previous token.
    joined: bool,
}

fn tokens(note: &str) -> impl Iterator<Item = Token> + '_ {
    runs(note).map(|(raw, joined)| Token { word: raw.and_then(word), joined })
}

/// A note's runs of word characters in order, for a caller reading many notes that keeps what
/// [`word_of`] made of each run (the digest's "Heard across teams"): the run, `None` inside a
/// placeholder such as `[email]` (which also breaks a phrase), and whether only a space or a
/// hyphen came since the run before.
pub fn runs(note: &str) -> impl Iterator<Item = (Option<&str>, bool)> + '_ {
    let mut rest = note;
    let mut bracket_depth = 0usize;
    std::iter::from_fn(move || {
        let mut joined = true;
        loop {
            let c = rest.chars().next()?;
            if is_word_char(c) {
                break;
            }
            match c {
                '[' => bracket_depth += 1,
                ']' => bracket_depth = bracket_depth.saturating_sub(1),
                ' ' | '-' => {}
                _ => joined = false,
            }
            rest = &rest[c.len_utf8()..];
        }
        let len = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
        let raw = &rest[..len];
        rest = &rest[len..];
        if bracket_depth > 0 {
            // Inside `[email]` or `[card number]`: what redaction left, not what was heard.
            return Some((None, false));
        }
        Some((Some(raw), joined))
    })
}

/// What [`words`] makes of one run of [`runs`]: the word, or `None` for a stop word or a number.
/// The same for every run that folds alike (`fold`, or ASCII lower case), so it can be kept.
pub fn word_of(raw: &str) -> Option<Word> {
    word(raw)
}

/// A raw run of word characters as a word worth comparing.
fn word(raw: &str) -> Option<Word> {
    let folded = if raw.is_ascii() { raw.to_ascii_lowercase() } else { fold(raw) };
    if folded.chars().count() < 2
        || !folded.chars().any(char::is_alphabetic)
        || STOP_WORDS.contains(folded.as_str())
    {
        return None;
    }
    Some(Word { term: Term(stem(&folded)), shown: raw.to_string() })
}

/// A light English stemmer: plurals, -ing, -ed and a final e, so that "trained", "training" and
/// "train", or "courses" and "course", meet. Words of four letters or fewer are left alone, as are
/// endings that are part of the word ("campus", "thesis", "class").
fn stem(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() <= 4 || !word.is_ascii() {
        return word.to_string();
    }
    let mut w = word.to_string();
    if let Some(base) = w.strip_suffix("ies") {
        w = format!("{base}y");
    } else if let Some(base) = w.strip_suffix("sses") {
        w = format!("{base}ss");
    } else if ["ches", "shes", "xes", "zes"].iter().any(|e| w.ends_with(e)) {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !["ss", "us", "is"].iter().any(|e| w.ends_with(e)) {
        w.truncate(w.len() - 1);
    } else if let Some(base) = w.strip_suffix("ing").filter(|b| b.len() >= 4) {
        w = undouble(base);
    } else if let Some(base) = w.strip_suffix("ed").filter(|b| b.len() >= 3) {
        w = undouble(base);
    }
    if w.len() > 4 && w.ends_with('e') {
        w.truncate(w.len() - 1);
    }
    w
}

/// "plann" → "plan", "runn" → "run"; "staff" and "fill" keep theirs.
fn undouble(base: &str) -> String {
    let b = base.as_bytes();
    let n = b.len();
    if n >= 2 && b[n - 1] == b[n - 2] && !b"aeioulsfz".contains(&b[n - 1]) {
        base[..n - 1].to_string()
    } else {
        base.to_string()
    }
}

/// Words that say nothing about what was heard: English function words, and the words every note
/// in a library would share.
static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    "a about above after again against all am an and any are aren as at be because been before
     being below between both but by can cannot could couldn did didn do does doesn doing don down
     during each few for from further had hadn has hasn have haven having he her here hers herself
     him himself his how i if in into is isn it its itself just let ll me more most mustn my myself
     no nor not now of off on once only or other ought our ours ourselves out over own re same
     shan she should shouldn so some such than that the their theirs them themselves then there
     these they this those through to too under until up ve very was wasn we were weren what when
     where which while who whom why will with won would wouldn you your yours yourself yourselves
     also asked ask asks said says say told tell tells get got gets getting go going went want
     wants wanted like likes would could might may maybe really quite still yet even much many lot
     lots one two three new next last week weeks today yesterday tomorrow day days time times
     mentioned mention thing things way ways someone something anything everything nothing need
     needs needed know knows think thinks thought good great well back around via per etc"
        .split_whitespace()
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(note: &str) -> Vec<String> {
        of_entry(note, &[]).into_iter().map(|w| w.term.as_str().to_string()).collect()
    }

    #[test]
    fn forms_of_a_word_meet() {
        for (a, b) in [
            ("workshops", "workshop"),
            ("training", "trained"),
            ("trained", "train"),
            ("courses", "course"),
            ("studies", "study"),
            ("searches", "search"),
            ("planning", "plan"),
            ("shared", "share"),
            ("Éditions", "editions"),
        ] {
            assert_eq!(keys(a), keys(b), "{a} / {b}");
        }
        for (a, b) in [("campus", "camp"), ("thesis", "these"), ("staff", "staf")] {
            assert_ne!(keys(a), keys(b), "{a} / {b}");
        }
    }

    #[test]
    fn stop_words_numbers_and_placeholders_are_not_terms() {
        assert_eq!(
            keys("They asked about the 2025 [email] [card number] [erased] deadline"),
            vec!["deadlin"]
        );
    }

    #[test]
    fn terms_are_distinct_words_then_tags_shown_as_written() {
        let tags = vec![Tag::parse("eebo").expect("tag"), Tag::parse("phd").expect("tag")];
        let words = of_entry("EEBO training for PhD students; more EEBO", &tags);
        let shown: Vec<&str> = words.iter().map(|w| w.shown.as_str()).collect();
        assert_eq!(shown, vec!["EEBO", "training", "PhD", "students", "#eebo", "#phd"]);
        assert!(words[4].term.is_tag() && !words[0].term.is_tag());
    }

    #[test]
    fn phrases_are_words_side_by_side() {
        let shown: Vec<String> = phrases("Research data-management plans, then open access.")
            .into_iter()
            .map(|p| p.shown)
            .collect();
        assert_eq!(shown, vec!["Research data", "data management", "management plans", "open access"]);
        assert!(phrases("data, management").is_empty());
        assert!(phrases("data and management").is_empty());
    }

    #[test]
    fn a_long_note_keeps_room_for_its_tags() {
        let note: String = (0..100).map(|i| format!("word{i}x ")).collect();
        let tags = vec![Tag::parse("eebo").expect("tag")];
        let terms = of_entry(&note, &tags);
        assert_eq!(terms.len(), MAX_TERMS);
        assert_eq!(terms.last().map(|w| w.term.as_str()), Some("#eebo"));
    }
}
