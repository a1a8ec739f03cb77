//! A search request, made safe before it reaches any query language, and its results.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::channel::ChannelKey;
use super::department::DepartmentKeys;
use super::entry::Entry;
use super::ids::{EntryId, UserId};
use super::partner::PartnerId;
use super::tag::Tag;
use super::text::{is_word_char, visible};
use super::time_range::TimeRange;

/// Results per page unless the caller asks otherwise (five fit a Discord embed comfortably).
pub const DEFAULT_PER_PAGE: u32 = 5;
/// The most results one page may hold.
pub const MAX_PER_PAGE: u32 = 100;

/// The words of a free-text query, each one a run of letters and digits, lower-cased.
///
/// This is the only form in which user text reaches a full-text engine: every word is later quoted
/// as a phrase, so nothing the user types (quotes, `AND`, `NEAR`, `*`, `^`, `:`, parentheses)
/// can act as query syntax. Words joined by an apostrophe or hyphen (`O'Neill`, `e-books`) stay
/// together as one phrase of several words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchTerms {
    /// Each phrase is one or more words that must appear next to each other.
    pub phrases: Vec<Vec<String>>,
}

impl SearchTerms {
    /// Idempotent: the terms' own text ([`Display`](std::fmt::Display)) parses to the same terms.
    pub fn parse(text: &str) -> Self {
        // Lower-cased before splitting, and composed again after: lower-casing can leave a letter
        // and its accent apart (`İ` becomes `i` and a combining dot).
        let text: String = visible(text).to_lowercase().nfc().collect();
        // Apostrophes and hyphens join words into one phrase; any other character that is not a
        // letter, digit or combining mark separates words.
        let is_joiner = |c: char| matches!(c, '\'' | '\u{2019}' | '-');
        let phrases = text
            .split(|c: char| !is_word_char(c) && !is_joiner(c))
            .map(|piece| {
                piece.split(is_joiner).filter(|w| !w.is_empty()).map(str::to_string).collect::<Vec<_>>()
            })
            .filter(|words| !words.is_empty())
            .collect::<Vec<_>>();
        let mut seen = std::collections::HashSet::new();
        let mut unique: Vec<Vec<String>> = phrases.into_iter().filter(|p| seen.insert(p.clone())).collect();
        // Stopwords would make a query demand words that add nothing; but a query made only of
        // them ("AND", "the") is still searched for literally.
        if unique.iter().any(|p| !is_stopword(p)) {
            unique.retain(|p| !is_stopword(p));
        }
        SearchTerms { phrases: unique }
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

/// The phrases separated by spaces, the words of a phrase by hyphens.
impl std::fmt::Display for SearchTerms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, phrase) in self.phrases.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(&phrase.join("-"))?;
        }
        Ok(())
    }
}

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "near", "not", "of",
    "on", "or", "the", "to", "was", "with",
];

fn is_stopword(phrase: &[String]) -> bool {
    phrase.len() == 1 && STOPWORDS.contains(&phrase[0].as_str())
}

/// What to look for. Department and channel are already resolved to the keys they are filed under,
/// dates to instants: what a saved search keeps (serialised), so that paging it later finds the
/// same entries whatever the config or the date has become.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchQuery {
    /// The text as the user typed it (kept for display and for the paging buttons).
    pub text: String,
    pub terms: SearchTerms,
    /// Entries filed under any of these keys.
    pub department: Option<DepartmentKeys>,
    pub channel: Option<ChannelKey>,
    pub tag: Option<Tag>,
    pub author: Option<UserId>,
    /// Entries linked to this partner. Absent in searches saved before partners existed.
    #[serde(default)]
    pub partner: Option<PartnerId>,
    /// Whose private entries may be found besides the team's: `Some(member)` finds the team's
    /// entries and that member's own private ones; `None` (an admin, the command line) finds all.
    /// Filtered before pages and totals are made, so that they add up. Kept in a saved search, so
    /// its paging buttons show what its first page showed; a saved search without it (saved before
    /// private entries existed) does not read, rather than reading as one that sees everything.
    #[serde(deserialize_with = "Option::deserialize")]
    pub viewer: Option<UserId>,
    /// Bounds on `occurred_at`.
    pub occurred: Option<TimeRange>,
    /// Zero-based.
    pub page: u32,
    pub per_page: u32,
}

impl SearchQuery {
    pub fn has_text(&self) -> bool {
        !self.text.trim().is_empty()
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub entry: Entry,
    /// An excerpt of the note; matched words are wrapped in [`HIGHLIGHT_START`] and
    /// [`HIGHLIGHT_END`], which each front end turns into its own markup after escaping the rest.
    pub snippet: String,
    /// Higher is better; only meaningful within one result set.
    pub score: f64,
}

/// Marks the start of a matched word in a snippet (a control character no note can contain
/// after capture, which strips them).
pub const HIGHLIGHT_START: char = '\u{2}';
/// Marks the end of a matched word in a snippet.
pub const HIGHLIGHT_END: char = '\u{3}';

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// Entries of this page that matched but cannot be read (logged by id as they were read):
    /// shown as "entry #N could not be read", and counted in `total`, so that pages add up.
    pub unreadable: Vec<EntryId>,
    /// How many entries match in all. When `total_is_capped`, at least this many.
    pub total: u64,
    pub total_is_capped: bool,
    pub page: u32,
    pub per_page: u32,
    pub searched_at: DateTime<Utc>,
}

impl SearchPage {
    pub fn page_count(&self) -> u32 {
        let per = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per)).unwrap_or(u32::MAX)
    }

    /// "1 result", "12 results", "1000+ results".
    pub fn results_label(&self) -> String {
        let more = if self.total_is_capped { "+" } else { "" };
        // "1+ results": more than one, however many were counted.
        let noun = if self.total_is_capped {
            "results"
        } else {
            super::words::noun(self.total, "result", "results")
        };
        format!("{}{more} {noun}", self.total)
    }

    pub fn has_next(&self) -> bool {
        self.page + 1 < self.page_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<&'static str>> {
        SearchTerms::parse(text)
            .phrases
            .into_iter()
            .map(|p| p.into_iter().map(|w| &*Box::leak(w.into_boxed_str())).collect())
            .collect()
    }

    #[test]
    fn syntax_characters_are_never_kept() {
        assert_eq!(words(r#"loan "renewal"#), vec![vec!["loan"], vec!["renewal"]]);
        assert_eq!(
            words("C++ (loan* ^fees title: x"),
            vec![vec!["c"], vec!["loan"], vec!["fees"], vec!["title"], vec!["x"]]
        );
        assert_eq!(words("Dr O'Neill"), vec![vec!["dr"], vec!["o", "neill"]]);
        assert_eq!(words("e-books"), vec![vec!["e", "books"]]);
        assert!(SearchTerms::parse("* ^ : ( ) \"").is_empty());
        assert!(SearchTerms::parse("   ").is_empty());
    }

    #[test]
    fn operators_are_words_and_dropped_only_beside_real_words() {
        assert_eq!(words("loan OR renewal"), vec![vec!["loan"], vec!["renewal"]]);
        assert_eq!(words("NEAR(loan renewal)"), vec![vec!["loan"], vec!["renewal"]]);
        assert_eq!(words("-foo"), vec![vec!["foo"]]);
        assert_eq!(words("NEAR"), vec![vec!["near"]]);
        assert_eq!(words("AND OR"), vec![vec!["and"], vec!["or"]]);
    }

    #[test]
    fn invisible_characters_do_not_split_words_and_accents_stay_on_their_letters() {
        assert_eq!(words("his\u{AD}tory Cafe\u{301}"), vec![vec!["history"], vec!["caf\u{e9}"]]);
        assert_eq!(words("İstanbul"), vec![vec!["i\u{307}stanbul"]]);
    }

    #[test]
    fn terms_reparse_to_themselves() {
        for text in ["Dr O'Neill e-books", "İstanbul ΟΔΟΣ", "the AND", "ǅemal ℝB"] {
            let once = SearchTerms::parse(text);
            assert_eq!(SearchTerms::parse(&once.to_string()), once, "{text}");
        }
    }

    #[test]
    fn repeated_words_count_once_and_unicode_letters_are_words() {
        assert_eq!(words("Müller müller MÜLLER"), vec![vec!["müller"]]);
    }
}
