//! The department catalogue: canonical names, aliases, resolution and autocomplete; and the
//! resolved [`Department`] that only the catalogue makes.
//!
//! Names are compared in a squashed form (lower case, `&` read as `and`, punctuation and spacing
//! ignored) so that `Hist.`, `history` and `HISTORY` agree. Autocomplete runs on every keystroke,
//! so [`DepartmentCatalogue::new`] builds an index once: every place a word starts in a name or
//! alias, sorted as a suffix list. A prefix is then a binary search, and a misspelling is a walk
//! down that sorted list as if it were a trie, sharing edit-distance work between names that
//! begin alike and abandoning a branch as soon as it is too far off.

use std::collections::HashMap;

use super::text::visible;

use index::{FuzzyWalk, Matches, WordIndex};
pub use key::{DepartmentKey, DepartmentKeys};

mod index;
mod key;

/// An academic department as the config names it: what the catalogue is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentSpec {
    pub name: String,
    pub aliases: Vec<String>,
}

/// A department resolved by the catalogue: nothing else makes one, so holding one means the name
/// was checked. New entries are filed under its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    key: DepartmentKey,
    name: String,
    aliases: Vec<DepartmentKey>,
    served: bool,
}

impl Department {
    /// What new entries are filed under: the department's current canonical name.
    pub fn key(&self) -> &DepartmentKey {
        &self.key
    }

    /// The name people read.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its other spellings, old names among them: keys older entries may be filed under.
    pub fn aliases(&self) -> &[DepartmentKey] {
        &self.aliases
    }

    /// Whether the library serves it, as the config says (`served = false` for one it does not);
    /// a server's admins may say otherwise for their server.
    pub fn served(&self) -> bool {
        self.served
    }
}

/// Every department a guild can file intel under. Built once from the config; look-ups are
/// in memory so that autocomplete answers within Discord's 3 seconds with room to spare.
#[derive(Debug, Clone)]
pub struct DepartmentCatalogue {
    departments: Vec<Department>,
    /// For each department, in the same order: its name, then its aliases, squashed.
    spellings: Vec<Vec<Spelling>>,
    /// Squashed name or alias to the index of its department.
    exact: HashMap<String, usize>,
    index: WordIndex,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("the department list is empty")]
    Empty,
    #[error("\"{name}\" is used by both {first} and {second}")]
    Ambiguous { name: String, first: String, second: String },
    #[error("a department name or alias is blank")]
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no department called \"{input}\"; the closest are: {}", suggestions.join(", "))]
pub struct UnknownDepartment {
    pub input: String,
    /// The three closest canonical names, closest first.
    pub suggestions: Vec<String>,
}

/// A squashed name or alias, for ranking suggestions.
#[derive(Debug, Clone)]
struct Spelling {
    text: String,
    /// Byte offsets in `text` where words start, the first at 0; short function words (`of`,
    /// `and`) are left out, since nobody starts typing a department at them.
    word_starts: Vec<usize>,
    /// Every pair of neighbouring characters, sorted: a cheap first look at similarity.
    bigrams: Vec<u64>,
}

/// How an autocomplete candidate matched, best first: tier (0 exact, 1 prefix, 2 word prefix,
/// 3 fuzzy), then tie-breaks within the tier. Compared as a tuple.
type Rank = (u8, u16, u16, u16);
const NO_MATCH: Rank = (u8::MAX, 0, 0, 0);

const SKIPPED_WORDS: &[&str] = &["and", "of", "the", "for", "in"];
/// Partial inputs longer than this are not matched fuzzily (by then a prefix or a word has
/// matched, or nothing will), which bounds the edit-distance table.
const MAX_FUZZY_CHARS: usize = 32;
const MAX_EDITS: usize = 3;
const TABLE_ROWS: usize = MAX_FUZZY_CHARS + 1;
const TABLE_DEPTH: usize = MAX_FUZZY_CHARS + MAX_EDITS + 1;
/// A word other than the first may match, but a little less well than the start of the name.
const LATER_WORD_WEIGHT: f64 = 0.95;
/// The start of a name that a short input resembles counts for a little less than a whole name.
const PARTIAL_WEIGHT: f64 = 0.9;
/// How many departments a suggestion search looks at closely, after a cheap first pass.
const SHORTLIST: usize = 24;
/// Below this many characters a typo may share no letter pair with its department (`hsi`), and
/// comparing short queries is cheap anyway, so every department is looked at.
const SHORTLIST_MIN_CHARS: usize = 6;

impl DepartmentCatalogue {
    pub fn new(specs: Vec<DepartmentSpec>) -> Result<Self, CatalogueError> {
        if specs.is_empty() {
            return Err(CatalogueError::Empty);
        }
        let departments: Vec<Department> = specs
            .into_iter()
            .map(|spec| Department {
                key: DepartmentKey::from_stored(spec.name.clone()),
                name: spec.name,
                aliases: spec.aliases.into_iter().map(DepartmentKey::from_stored).collect(),
                served: true,
            })
            .collect();
        let mut spellings = Vec::with_capacity(departments.len());
        let mut exact: HashMap<String, usize> = HashMap::new();
        let mut index = WordIndex::default();
        for (number, department) in departments.iter().enumerate() {
            let mut own = Vec::with_capacity(1 + department.aliases.len());
            let all = std::iter::once(department.name.as_str())
                .chain(department.aliases.iter().map(|a| a.as_str()));
            for (n, raw) in all.enumerate() {
                let words = words(raw);
                if words.is_empty() {
                    return Err(CatalogueError::Blank);
                }
                let text = words.concat();
                match exact.get(&text) {
                    Some(&other) if other != number => {
                        return Err(CatalogueError::Ambiguous {
                            name: raw.to_string(),
                            first: departments[other].name.clone(),
                            second: department.name.clone(),
                        });
                    }
                    // An alias that squashes to the name (`Hist` beside `hist`) adds nothing.
                    Some(_) => continue,
                    None => {
                        exact.insert(text.clone(), number);
                        index.add(&words, number, n == 0);
                        own.push(Spelling::new(text, &words));
                    }
                }
            }
            spellings.push(own);
        }
        index.sort();
        Ok(DepartmentCatalogue { departments, spellings, exact, index })
    }

    /// The catalogue with the departments at `positions` (in the order of the specs it was built
    /// from) marked as not served: the config's `served = false`.
    pub fn not_served(mut self, positions: impl IntoIterator<Item = usize>) -> Self {
        for at in positions {
            if let Some(department) = self.departments.get_mut(at) {
                department.served = false;
            }
        }
        self
    }

    /// The department whose name or alias equals `input`, ignoring case, punctuation and spacing.
    pub fn resolve(&self, input: &str) -> Result<&Department, UnknownDepartment> {
        match self.exactly(input) {
            Some(department) => Ok(department),
            None => Err(UnknownDepartment {
                input: input.trim().to_string(),
                suggestions: self.closest(input, 3).into_iter().map(str::to_string).collect(),
            }),
        }
    }

    fn exactly(&self, input: &str) -> Option<&Department> {
        let wanted: String = squash(input).into_iter().collect();
        self.exact.get(&wanted).map(|&number| &self.departments[number])
    }

    /// The department a stored key belongs to: the one it names now, or the one that kept it as an
    /// alias when it was renamed. `None` for a department since removed from the config.
    pub fn by_key(&self, key: &DepartmentKey) -> Option<&Department> {
        self.exactly(key.as_str())
    }

    /// The department whose key or alias has this [`DepartmentKey::fingerprint`]; `None` when
    /// none has, or (for a collision, however unlikely) two departments have.
    pub fn by_fingerprint(&self, fingerprint: u64) -> Option<&Department> {
        let mut found = None;
        for (squashed, &number) in &self.exact {
            if key::fingerprint_of(squashed) == fingerprint {
                match found {
                    Some(other) if other != number => return None,
                    _ => found = Some(number),
                }
            }
        }
        found.map(|number| &self.departments[number])
    }

    /// What to show for an entry filed under `key`: its department's name now, or the key itself
    /// for a department no longer in the catalogue.
    pub fn display_name<'a>(&'a self, key: &'a DepartmentKey) -> &'a str {
        self.by_key(key).map_or(key.as_str(), Department::name)
    }

    /// The keys `department`'s entries may be filed under: its own, and those of `stored` (keys
    /// the store holds) that the catalogue resolves to it, its old names among them.
    pub fn keys_of<'k>(
        &self,
        department: &Department,
        stored: impl IntoIterator<Item = &'k DepartmentKey>,
    ) -> DepartmentKeys {
        let mut keys = DepartmentKeys::one(department.key.clone());
        for key in stored {
            if self.by_key(key).is_some_and(|d| d.key == department.key) {
                keys.add(key.clone());
            }
        }
        keys
    }

    /// Up to `n` canonical names closest to `input`, closest first.
    ///
    /// The careful comparison costs microseconds per name, too much to spend on every department
    /// of a large catalogue for each mistyped row of an import; so a count of shared letter pairs
    /// first picks a shortlist, and only that is compared carefully.
    pub fn closest(&self, input: &str, n: usize) -> Vec<&str> {
        self.closest_scored(input, n).into_iter().map(|(name, _)| name).collect()
    }

    /// As [`closest`](Self::closest), with each name's similarity to `input`, 0 to 1: what a
    /// caller that must decide whether a name is close at all (a new partner's) compares.
    pub fn closest_scored(&self, input: &str, n: usize) -> Vec<(&str, f64)> {
        let query = squash(input);
        let keep = n.max(SHORTLIST);
        let candidates = if self.len() <= keep || query.len() < SHORTLIST_MIN_CHARS {
            None
        } else {
            self.shortlist(&query, keep)
        };
        let candidates = candidates.unwrap_or_else(|| (0..self.len()).collect());
        let scored = self.score_suggestions(&query, candidates.into_iter());
        scored
            .into_iter()
            .take(n)
            .map(|(score, number)| (self.departments[number].name.as_str(), score))
            .collect()
    }

    /// The `keep` departments sharing the most letter pairs with the query, or `None` when none
    /// shares any (then the pairs say nothing and every department must be looked at).
    fn shortlist(&self, query: &[char], keep: usize) -> Option<Vec<usize>> {
        let query_bigrams = bigrams(query);
        let mut rough: Vec<(f64, usize)> = self
            .spellings
            .iter()
            .enumerate()
            .map(|(number, spellings)| {
                let best = spellings.iter().map(|s| s.overlap(&query_bigrams)).fold(0.0, f64::max);
                (best, number)
            })
            .collect();
        rough.select_nth_unstable_by(keep - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        rough.truncate(keep);
        if rough.iter().all(|&(score, _)| score == 0.0) {
            return None;
        }
        Some(rough.into_iter().map(|(_, number)| number).collect())
    }

    /// Candidates with their similarity to the query, best first.
    fn score_suggestions(
        &self,
        query: &[char],
        candidates: impl Iterator<Item = usize>,
    ) -> Vec<(f64, usize)> {
        let query: String = query.iter().collect();
        let query_len = query.chars().count();
        let mut scored: Vec<(f64, usize)> = candidates
            .map(|number| {
                let best = self.spellings[number]
                    .iter()
                    .map(|s| s.similarity(&query, query_len))
                    .fold(0.0, f64::max);
                (best, number)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
    }

    /// Up to `limit` canonical names for a partial input: prefix matches first, then word-prefix
    /// matches, then fuzzy ones; an empty input lists departments in catalogue order.
    pub fn autocomplete(&self, partial: &str, limit: usize) -> Vec<&str> {
        let query = squash(partial);
        if query.is_empty() {
            return self.departments.iter().take(limit).map(|d| d.name.as_str()).collect();
        }
        if limit == 0 {
            return Vec::new();
        }
        let mut matches = Matches::new(self.departments.len());
        self.index.direct(&query, &mut matches);
        // Fuzzy matches rank after every direct one, so they are only worth finding if there is
        // room left for them.
        let max_edits = allowed_edits(query.len());
        if matches.found.len() < limit && max_edits > 0 && query.len() <= MAX_FUZZY_CHARS {
            FuzzyWalk::new(&self.index, &query, max_edits, &mut matches).run();
        }
        let mut ranked: Vec<(Rank, u32)> =
            matches.found.iter().map(|&d| (matches.best[d as usize], d)).collect();
        if ranked.len() > limit {
            ranked.select_nth_unstable(limit - 1);
            ranked.truncate(limit);
        }
        ranked.sort_unstable();
        ranked.into_iter().map(|(_, d)| self.departments[d as usize].name.as_str()).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Department> {
        self.departments.iter()
    }

    pub fn len(&self) -> usize {
        self.departments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.departments.is_empty()
    }
}

impl Spelling {
    fn new(text: String, words: &[String]) -> Spelling {
        let mut word_starts = Vec::with_capacity(words.len());
        let mut at = 0;
        for (n, word) in words.iter().enumerate() {
            if n == 0 || !SKIPPED_WORDS.contains(&word.as_str()) {
                word_starts.push(at);
            }
            at += word.len();
        }
        let bigrams = bigrams(&text.chars().collect::<Vec<_>>());
        Spelling { text, word_starts, bigrams }
    }

    /// The share of the query's letter pairs found here plus the share of this name's found in
    /// the query: high for a misspelling of the name and for a query that is one of its words.
    fn overlap(&self, query_bigrams: &[u64]) -> f64 {
        if query_bigrams.is_empty() || self.bigrams.is_empty() {
            return 0.0;
        }
        let shared = shared_count(query_bigrams, &self.bigrams) as f64;
        shared / query_bigrams.len() as f64 + shared / self.bigrams.len() as f64
    }

    /// 0 to 1: how near `query` (squashed) is to this name, to its later words, or to their
    /// beginnings when the query is shorter.
    fn similarity(&self, query: &str, query_len: usize) -> f64 {
        if query_len == 0 {
            return 0.0;
        }
        let mut query_start = query.chars();
        let (q0, q1) = (query_start.next(), query_start.next());
        self.word_starts
            .iter()
            // A later word is only worth comparing if the query could begin there, allowing for a
            // swap of the first two letters; this skips most of the work of a miss.
            .filter(|&&start| {
                let mut rest = self.text[start..].chars();
                let (r0, r1) = (rest.next(), rest.next());
                start == 0 || r0 == q0 || r1 == q0 || r0 == q1
            })
            .map(|&start| {
                let rest = &self.text[start..];
                let head_end = rest.char_indices().nth(query_len).map(|(at, _)| at);
                // Against a name more than about twice its length, a query scores at most ~0.7 on
                // the whole name, less than its beginning gives any query that starts alike; the
                // comparison is skipped because it dominates the cost of a miss.
                let far_longer = rest.char_indices().nth(2 * query_len + 2).is_some();
                let mut score = if far_longer { 0.0 } else { blend(query, rest) };
                if let Some(head_end) = head_end {
                    score = score.max(PARTIAL_WEIGHT * blend(query, &rest[..head_end]));
                }
                if start > 0 {
                    score *= LATER_WORD_WEIGHT;
                }
                score
            })
            .fold(0.0, f64::max)
    }
}

fn bigrams(chars: &[char]) -> Vec<u64> {
    let mut pairs: Vec<u64> = chars.windows(2).map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])).collect();
    pairs.sort_unstable();
    pairs
}

/// The size of the multiset intersection of two sorted lists.
fn shared_count(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// Edit distance (with swaps of neighbours) and Jaro-Winkler together: the first catches slips
/// in the middle, the second rewards a shared beginning.
fn blend(a: &str, b: &str) -> f64 {
    let longest = a.chars().count().max(b.chars().count()).max(1);
    let edits = 1.0 - strsim::osa_distance(a, b) as f64 / longest as f64;
    0.5 * edits + 0.5 * strsim::jaro_winkler(a, b)
}

/// How many slips a partial input of `len` characters may contain and still be suggested.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=5 => 1,
        6..=9 => 2,
        _ => MAX_EDITS,
    }
}

/// Lower-case words, `&` read as `and`, apostrophes dropped (`Women's` is `womens`), other
/// punctuation and spacing between words.
fn words(raw: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in raw.chars() {
        let class = classify(c);
        match class {
            Class::Letter => current.extend(c.to_lowercase()),
            Class::Ignored => {}
            Class::Separator | Class::Ampersand => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                if class == Class::Ampersand {
                    words.push("and".to_string());
                }
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A name as department names are compared: lower case, `&` read as `and`, punctuation and
/// spacing ignored. What partner names are compared by too, so that the fuzzy index built over
/// them never finds two that squash alike.
pub fn squashed(raw: &str) -> String {
    squash(raw).into_iter().collect()
}

/// The characters that matter for matching, lower-cased, with no word breaks.
fn squash(raw: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(raw.len());
    // As a reader sees it: composed, so an accent typed as a combining mark is the same letter.
    for c in visible(raw).chars() {
        match classify(c) {
            Class::Letter => out.extend(c.to_lowercase()),
            Class::Ampersand => out.extend(['a', 'n', 'd']),
            Class::Ignored | Class::Separator => {}
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Ampersand,
    Separator,
    /// Dropped without breaking the word: apostrophes, and non-ASCII marks such as the combining
    /// accents of decomposed text (so `E\u{301}tudes` matches a plain `etudes`).
    Ignored,
}

fn classify(c: char) -> Class {
    match c {
        '&' => Class::Ampersand,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' => Class::Ignored,
        c if c.is_alphanumeric() => Class::Letter,
        c if c.is_ascii() || c.is_whitespace() || ('\u{2000}'..='\u{206F}').contains(&c) => Class::Separator,
        _ => Class::Ignored,
    }
}

#[cfg(test)]
mod tests;
