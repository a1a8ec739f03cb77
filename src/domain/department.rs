//! The department catalogue: canonical names, aliases, resolution and autocomplete.
//!
//! Names are compared in a squashed form (lower case, `&` read as `and`, punctuation and spacing
//! ignored) so that `Hist.`, `history` and `HISTORY` agree. Autocomplete runs on every keystroke,
//! so [`DepartmentCatalogue::new`] builds an index once: every place a word starts in a name or
//! alias, sorted as a suffix list. A prefix is then a binary search, and a misspelling is a walk
//! down that sorted list as if it were a trie, sharing edit-distance work between names that
//! begin alike and abandoning a branch as soon as it is too far off.

use std::collections::HashMap;

/// An academic department as the library names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub name: String,
    pub aliases: Vec<String>,
}

/// Every department a guild can file intel under. Built once from the config; look-ups are
/// in memory so that autocomplete answers within Discord's 3 seconds with room to spare.
#[derive(Debug, Clone)]
pub struct DepartmentCatalogue {
    departments: Vec<Department>,
    /// For each department, in the same order: its name, then its aliases, squashed.
    keys: Vec<Vec<Key>>,
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
struct Key {
    text: String,
    /// Byte offsets in `text` where words start, the first at 0; short function words (`of`,
    /// `and`) are left out, since nobody starts typing a department at them.
    word_starts: Vec<usize>,
    /// Every pair of neighbouring characters, sorted: a cheap first look at similarity.
    bigrams: Vec<u64>,
}

/// Every word start of every name and alias, as suffixes of one shared buffer, sorted.
#[derive(Debug, Clone, Default)]
struct WordIndex {
    chars: Vec<char>,
    entries: Vec<IndexEntry>,
}

#[derive(Debug, Clone, Copy)]
struct IndexEntry {
    /// The suffix is `chars[start..end]`; `end` is the end of the whole name or alias.
    start: u32,
    end: u32,
    department: u32,
    /// Which word of the name or alias the suffix starts at; 0 is the whole of it.
    word: u16,
    /// The length of the whole name or alias, in characters.
    key_len: u16,
    is_name: bool,
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
    pub fn new(departments: Vec<Department>) -> Result<Self, CatalogueError> {
        if departments.is_empty() {
            return Err(CatalogueError::Empty);
        }
        let mut keys = Vec::with_capacity(departments.len());
        let mut exact: HashMap<String, usize> = HashMap::new();
        let mut index = WordIndex::default();
        for (number, department) in departments.iter().enumerate() {
            let mut own = Vec::with_capacity(1 + department.aliases.len());
            let spellings = std::iter::once(&department.name).chain(&department.aliases);
            for (n, raw) in spellings.enumerate() {
                let words = words(raw);
                if words.is_empty() {
                    return Err(CatalogueError::Blank);
                }
                let text = words.concat();
                match exact.get(&text) {
                    Some(&other) if other != number => {
                        return Err(CatalogueError::Ambiguous {
                            name: raw.clone(),
                            first: departments[other].name.clone(),
                            second: department.name.clone(),
                        });
                    }
                    // An alias that squashes to the name (`Hist` beside `hist`) adds nothing.
                    Some(_) => continue,
                    None => {
                        exact.insert(text.clone(), number);
                        index.add(&words, number, n == 0);
                        own.push(Key::new(text, &words));
                    }
                }
            }
            keys.push(own);
        }
        index.sort();
        Ok(DepartmentCatalogue { departments, keys, exact, index })
    }

    /// The department whose name or alias equals `input`, ignoring case, punctuation and spacing.
    pub fn resolve(&self, input: &str) -> Result<&Department, UnknownDepartment> {
        let wanted: String = squash(input).into_iter().collect();
        match self.exact.get(&wanted) {
            Some(&number) => Ok(&self.departments[number]),
            None => Err(UnknownDepartment {
                input: input.trim().to_string(),
                suggestions: self.closest(input, 3).into_iter().map(str::to_string).collect(),
            }),
        }
    }

    /// Up to `n` canonical names closest to `input`, closest first.
    ///
    /// The careful comparison costs microseconds per name, too much to spend on every department
    /// of a large catalogue for each mistyped row of an import; so a count of shared letter pairs
    /// first picks a shortlist, and only that is compared carefully.
    pub fn closest(&self, input: &str, n: usize) -> Vec<&str> {
        let query = squash(input);
        let keep = n.max(SHORTLIST);
        let candidates = if self.len() <= keep || query.len() < SHORTLIST_MIN_CHARS {
            None
        } else {
            self.shortlist(&query, keep)
        };
        let candidates = candidates.unwrap_or_else(|| (0..self.len()).collect());
        let scored = self.score_suggestions(&query, candidates.into_iter());
        scored.into_iter().take(n).map(|(_, number)| self.departments[number].name.as_str()).collect()
    }

    /// The `keep` departments sharing the most letter pairs with the query, or `None` when none
    /// shares any (then the pairs say nothing and every department must be looked at).
    fn shortlist(&self, query: &[char], keep: usize) -> Option<Vec<usize>> {
        let query_bigrams = bigrams(query);
        let mut rough: Vec<(f64, usize)> = self
            .keys
            .iter()
            .enumerate()
            .map(|(number, keys)| {
                let best = keys.iter().map(|k| k.overlap(&query_bigrams)).fold(0.0, f64::max);
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
                let best =
                    self.keys[number].iter().map(|k| k.similarity(&query, query_len)).fold(0.0, f64::max);
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

impl Key {
    fn new(text: String, words: &[String]) -> Key {
        let mut word_starts = Vec::with_capacity(words.len());
        let mut at = 0;
        for (n, word) in words.iter().enumerate() {
            if n == 0 || !SKIPPED_WORDS.contains(&word.as_str()) {
                word_starts.push(at);
            }
            at += word.len();
        }
        let bigrams = bigrams(&text.chars().collect::<Vec<_>>());
        Key { text, word_starts, bigrams }
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

impl WordIndex {
    fn add(&mut self, words: &[String], department: usize, is_name: bool) {
        let start = self.chars.len();
        let mut starts = Vec::with_capacity(words.len());
        for (n, word) in words.iter().enumerate() {
            if n == 0 || !SKIPPED_WORDS.contains(&word.as_str()) {
                starts.push(self.chars.len());
            }
            self.chars.extend(word.chars());
        }
        let end = self.chars.len();
        // Catalogues are read from a config file; names past these bounds are not names.
        let clamp16 = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        let clamp32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        for (word, &at) in starts.iter().enumerate() {
            self.entries.push(IndexEntry {
                start: clamp32(at),
                end: clamp32(end),
                department: clamp32(department),
                word: clamp16(word),
                key_len: clamp16(end - start),
                is_name,
            });
        }
    }

    fn sort(&mut self) {
        let chars = std::mem::take(&mut self.chars);
        self.entries.sort_by(|a, b| suffix(&chars, a).cmp(suffix(&chars, b)));
        self.chars = chars;
    }

    fn suffix(&self, entry: &IndexEntry) -> &[char] {
        suffix(&self.chars, entry)
    }

    /// Exact, prefix and word-prefix matches: every suffix that starts with the query, found by
    /// binary search. Among prefixes the canonical name beats an alias (the list shows names, so
    /// one that visibly starts with the input looks right), then the shorter name wins.
    fn direct(&self, query: &[char], matches: &mut Matches) {
        let lo = self.entries.partition_point(|e| self.suffix(e) < query);
        let hi = lo + self.entries[lo..].partition_point(|e| self.suffix(e).starts_with(query));
        for entry in &self.entries[lo..hi] {
            let alias = u16::from(!entry.is_name);
            let rank = match entry.word {
                0 if usize::from(entry.key_len) == query.len() => (0, alias, 0, 0),
                0 => (1, alias, entry.key_len, 0),
                word => (2, word, entry.key_len, alias),
            };
            matches.offer(entry.department, rank);
        }
    }
}

fn suffix<'a>(chars: &'a [char], entry: &IndexEntry) -> &'a [char] {
    &chars[entry.start as usize..entry.end as usize]
}

/// The best rank found so far for each department, and which departments have one.
struct Matches {
    best: Vec<Rank>,
    found: Vec<u32>,
}

impl Matches {
    fn new(departments: usize) -> Self {
        Matches { best: vec![NO_MATCH; departments], found: Vec::new() }
    }

    fn offer(&mut self, department: u32, rank: Rank) {
        let best = &mut self.best[department as usize];
        if *best == NO_MATCH {
            self.found.push(department);
        }
        if rank < *best {
            *best = rank;
        }
    }
}

/// Finds every suffix whose beginning is within `max_edits` edits (insertions, deletions,
/// substitutions, swaps of neighbours) of the query.
///
/// The sorted suffixes are walked as a trie: suffixes sharing a beginning share the rows of the
/// edit-distance table computed for it. `table[d][i]` is the distance between the first `i`
/// query characters and the `d` characters on the current path; a path is abandoned once every
/// entry in its row exceeds `max_edits`, since no longer path can come back under it.
struct FuzzyWalk<'a> {
    index: &'a WordIndex,
    query: &'a [char],
    max_edits: usize,
    matches: &'a mut Matches,
    table: [[u8; TABLE_ROWS]; TABLE_DEPTH],
    path: [char; TABLE_DEPTH],
}

impl<'a> FuzzyWalk<'a> {
    fn new(index: &'a WordIndex, query: &'a [char], max_edits: usize, matches: &'a mut Matches) -> Self {
        let mut table = [[0u8; TABLE_ROWS]; TABLE_DEPTH];
        for (i, cell) in table[0].iter_mut().enumerate() {
            *cell = u8::try_from(i).unwrap_or(u8::MAX);
        }
        FuzzyWalk { index, query, max_edits, matches, table, path: ['\0'; TABLE_DEPTH] }
    }

    fn run(&mut self) {
        self.walk(0, 0, self.index.entries.len());
    }

    /// `entries[lo..hi]` all begin with the `depth` characters of the current path.
    fn walk(&mut self, depth: usize, lo: usize, hi: usize) {
        let m = self.query.len();
        let distance = usize::from(self.table[depth][m]);
        if distance <= self.max_edits {
            for entry in &self.index.entries[lo..hi] {
                let rank = (3, distance as u16, u16::from(entry.word > 0), entry.key_len);
                self.matches.offer(entry.department, rank);
            }
        }
        if depth == m + self.max_edits {
            return;
        }
        let entries = &self.index.entries;
        // Suffixes that end here sort first; the rest are grouped by their next character.
        let mut start = lo + entries[lo..hi].partition_point(|e| self.index.suffix(e).len() == depth);
        while start < hi {
            let c = self.index.suffix(&entries[start])[depth];
            let end = start + entries[start..hi].partition_point(|e| self.index.suffix(e)[depth] == c);
            if self.extend(depth, c) {
                self.walk(depth + 1, start, end);
            }
            start = end;
        }
    }

    /// Fills row `depth + 1` for the path extended by `c`; false when it is out of reach.
    fn extend(&mut self, depth: usize, c: char) -> bool {
        let m = self.query.len();
        let d = depth + 1;
        self.path[depth] = c;
        let mut row_min = u8::try_from(d).unwrap_or(u8::MAX);
        self.table[d][0] = row_min;
        for i in 1..=m {
            let prev = &self.table[d - 1];
            let substitution = prev[i - 1] + u8::from(self.query[i - 1] != c);
            let mut best = substitution.min(prev[i] + 1).min(self.table[d][i - 1] + 1);
            if i > 1 && d > 1 && self.query[i - 1] == self.path[depth - 1] && self.query[i - 2] == c {
                best = best.min(self.table[d - 2][i - 2] + 1);
            }
            self.table[d][i] = best;
            row_min = row_min.min(best);
        }
        usize::from(row_min) <= self.max_edits
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

/// The characters that matter for matching, lower-cased, with no word breaks.
fn squash(raw: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(raw.len());
    for c in raw.chars() {
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
mod tests {
    use super::*;

    fn dept(name: &str, aliases: &[&str]) -> Department {
        Department { name: name.to_string(), aliases: aliases.iter().map(|a| a.to_string()).collect() }
    }

    fn catalogue() -> DepartmentCatalogue {
        DepartmentCatalogue::new(vec![
            dept("History", &["Hist.", "history dept"]),
            dept("Art History", &["History of Art", "HoA"]),
            dept("School of History, Art History and Philosophy", &["SHAPS"]),
            dept("Philosophy", &["Phil"]),
            dept("English", &["English Literature", "Eng Lit"]),
            dept("Electrical & Electronic Engineering", &["EEE"]),
            dept("Mechanical Engineering", &["MechEng"]),
            dept("Civil Engineering", &[]),
            dept("Historical Studies", &[]),
            dept("Women's Studies", &["Gender Studies"]),
            dept("Chemistry", &["Chem"]),
        ])
        .expect("valid catalogue")
    }

    fn resolved(cat: &DepartmentCatalogue, input: &str) -> String {
        cat.resolve(input).unwrap_or_else(|e| panic!("{input}: {e}")).name.clone()
    }

    #[test]
    fn resolves_names_and_aliases_ignoring_case_punctuation_and_spacing() {
        let cat = catalogue();
        for input in ["history", "HISTORY", " History ", "Hist.", "hist", "history dept", "History-Dept"] {
            assert_eq!(resolved(&cat, input), "History", "{input}");
        }
        for input in [
            "School of History, Art History and Philosophy",
            "school of history art history & philosophy",
            "SCHOOL OF HISTORY ART HISTORY AND PHILOSOPHY",
            "shaps",
        ] {
            assert_eq!(resolved(&cat, input), "School of History, Art History and Philosophy", "{input}");
        }
        assert_eq!(
            resolved(&cat, "Electrical and Electronic Engineering"),
            "Electrical & Electronic Engineering"
        );
        assert_eq!(resolved(&cat, "womens studies"), "Women's Studies");
        assert_eq!(resolved(&cat, "Women\u{2019}s Studies"), "Women's Studies");
        assert_eq!(resolved(&cat, "history of art"), "Art History");
        assert_eq!(resolved(&cat, "EngLit"), "English");
    }

    #[test]
    fn unknown_departments_suggest_the_three_closest() {
        let err = catalogue().resolve(" histroy ").expect_err("misspelt");
        assert_eq!(err.input, "histroy");
        assert_eq!(err.suggestions.len(), 3);
        assert_eq!(err.suggestions[0], "History");
        assert!(err.to_string().contains("History"), "{err}");
    }

    #[test]
    fn misspellings_suggest_the_intended_department_first() {
        let cat = catalogue();
        for (input, expected) in [
            ("histroy", "History"),
            ("Hsitory", "History"),
            ("philosphy", "Philosophy"),
            ("chemsitry", "Chemistry"),
            ("Englsh", "English"),
            ("mechanical engineerign", "Mechanical Engineering"),
            ("Womens Studys", "Women's Studies"),
        ] {
            assert_eq!(cat.closest(input, 3)[0], expected, "{input}");
        }
    }

    #[test]
    fn partial_words_suggest_the_departments_that_contain_them() {
        let cat = catalogue();
        let engineering = cat.closest("engineering", 3);
        for name in ["Electrical & Electronic Engineering", "Mechanical Engineering", "Civil Engineering"] {
            assert!(engineering.contains(&name), "{engineering:?}");
        }
        let engin = cat.closest("engin", 3);
        assert!(!engin.contains(&"English"), "{engin:?}");
    }

    /// 500 departments named the way the benchmark names them.
    fn realistic_catalogue() -> DepartmentCatalogue {
        let subjects = [
            "History",
            "Philosophy",
            "English",
            "Linguistics",
            "Classics",
            "Archaeology",
            "Music",
            "Theology",
            "French",
            "German",
            "Economics",
            "Politics",
            "Sociology",
            "Anthropology",
            "Psychology",
            "Law",
            "Education",
            "Geography",
            "Management",
            "Mathematics",
            "Statistics",
            "Computer Science",
            "Physics",
            "Chemistry",
            "Biology",
            "Genetics",
            "Medicine",
            "Nursing",
            "Pharmacy",
            "Civil Engineering",
            "Mechanical Engineering",
            "Chemical Engineering",
            "Architecture",
            "Drama",
            "Film Studies",
            "Criminology",
            "Finance",
            "Accounting",
            "Ecology",
            "Neuroscience",
            "Dentistry",
            "Public Health",
            "Astronomy",
            "Spanish",
            "Social Policy",
            "Earth Sciences",
            "Materials Science",
            "Biochemistry",
            "Art History",
            "Nutrition",
        ];
        let qualifiers = [
            "",
            "Applied",
            "Modern",
            "Medieval",
            "Clinical",
            "Digital",
            "Global",
            "Environmental",
            "Experimental",
            "Computational",
        ];
        let forms = ["{}", "Department of {}", "School of {}", "Centre for {} Studies", "Institute of {}"];
        let mut departments = Vec::new();
        for (q, qualifier) in qualifiers.iter().enumerate() {
            for (s, subject) in subjects.iter().enumerate() {
                let subject =
                    if qualifier.is_empty() { subject.to_string() } else { format!("{qualifier} {subject}") };
                let name = forms[(q + s) % forms.len()].replace("{}", &subject);
                let n = departments.len();
                departments.push(dept(&name, &[&format!("{subject} dept {n}")]));
            }
        }
        DepartmentCatalogue::new(departments).expect("distinct names")
    }

    #[test]
    fn the_shortlist_finds_suggestions_as_good_as_a_full_search() {
        let cat = realistic_catalogue();
        assert_eq!(cat.len(), 500);
        for input in [
            "histroy",
            "Departmnet of Poltiics",
            "Institute of Applied Chemsitry",
            "engineering",
            "enginering",
            "medival history",
            "computr science",
            "School of Modern Economcs",
            "psycology",
            "xqzv",
            "of",
            "lw",
            "Institute of Clinical Nursing",
            "dept 17",
        ] {
            let query = squash(input);
            let scores = |candidates: Vec<usize>| -> Vec<f64> {
                cat.score_suggestions(&query, candidates.into_iter()).iter().take(3).map(|s| s.0).collect()
            };
            let full = scores((0..cat.len()).collect());
            let short = match cat.shortlist(&query, SHORTLIST) {
                Some(shortlist) if query.len() >= SHORTLIST_MIN_CHARS => scores(shortlist),
                _ => full.clone(),
            };
            assert_eq!(short, full, "{input}");
            assert_eq!(cat.closest(input, 3).len(), 3);
        }
    }

    #[test]
    fn misspellings_among_many_departments_suggest_the_intended_one() {
        let cat = realistic_catalogue();
        let names: Vec<String> = cat.iter().map(|d| d.name.clone()).collect();
        for name in names.iter().step_by(23) {
            // Swap two letters in the middle of the name.
            let mut chars: Vec<char> = name.chars().collect();
            let mid = (chars.len() / 2..chars.len() - 1)
                .find(|&i| {
                    chars[i].is_alphabetic() && chars[i + 1].is_alphabetic() && chars[i] != chars[i + 1]
                })
                .expect("a pair of letters to swap");
            chars.swap(mid, mid + 1);
            let misspelt: String = chars.into_iter().collect();
            let err = cat.resolve(&misspelt).expect_err("misspelt");
            assert_eq!(&err.suggestions[0], name, "{misspelt}");
        }
        let engineering = cat.closest("engineering", 3);
        assert!(engineering.iter().all(|name| name.contains("Engineering")), "{engineering:?}");
    }

    #[test]
    fn closest_returns_at_most_n_without_duplicates() {
        let cat = catalogue();
        assert!(cat.closest("history", 0).is_empty());
        let all = cat.closest("history", 100);
        assert_eq!(all.len(), cat.len());
        let mut unique = all.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
    }

    #[test]
    fn new_rejects_an_empty_list() {
        assert_eq!(DepartmentCatalogue::new(Vec::new()).err(), Some(CatalogueError::Empty));
    }

    #[test]
    fn new_rejects_blank_names_and_aliases() {
        for bad in [dept("  ", &[]), dept("History", &[""]), dept("History", &["..."])] {
            assert_eq!(DepartmentCatalogue::new(vec![bad]).err(), Some(CatalogueError::Blank));
        }
    }

    #[test]
    fn new_rejects_a_spelling_shared_by_two_departments() {
        let err =
            DepartmentCatalogue::new(vec![dept("History", &["Hist"]), dept("Histology", &["hist."])]).err();
        assert_eq!(
            err,
            Some(CatalogueError::Ambiguous {
                name: "hist.".to_string(),
                first: "History".to_string(),
                second: "Histology".to_string(),
            })
        );
        let by_name = DepartmentCatalogue::new(vec![dept("Art", &[]), dept("Fine Art", &["ART"])]).err();
        assert!(matches!(by_name, Some(CatalogueError::Ambiguous { .. })));
        let squashed =
            DepartmentCatalogue::new(vec![dept("Art History", &[]), dept("Arthistory", &[])]).err();
        assert!(matches!(squashed, Some(CatalogueError::Ambiguous { .. })));
    }

    #[test]
    fn a_department_may_repeat_its_own_name_as_an_alias() {
        let cat = DepartmentCatalogue::new(vec![dept("History", &["history", "HISTORY."])]).expect("valid");
        assert_eq!(cat.autocomplete("hist", 25), ["History"]);
    }

    #[test]
    fn iter_len_and_is_empty_follow_the_list() {
        let cat = catalogue();
        assert_eq!(cat.len(), 11);
        assert!(!cat.is_empty());
        assert_eq!(cat.iter().next().map(|d| d.name.as_str()), Some("History"));
    }

    #[test]
    fn empty_input_lists_the_catalogue_in_order() {
        let cat = catalogue();
        assert_eq!(
            cat.autocomplete("", 3),
            ["History", "Art History", "School of History, Art History and Philosophy"]
        );
        assert_eq!(cat.autocomplete("  ", 25).len(), 11);
        assert_eq!(cat.autocomplete("", 25)[10], "Chemistry");
    }

    #[test]
    fn autocomplete_ranks_prefix_then_word_prefix_then_fuzzy() {
        let cat = catalogue();
        // The alias `Hist.` is exact; `Historical Studies` is a prefix of a name, `Art History`
        // of an alias (`History of Art`); the school has a later word starting `hist`.
        assert_eq!(
            cat.autocomplete("hist", 25),
            ["History", "Historical Studies", "Art History", "School of History, Art History and Philosophy"]
        );
        // Exact, then the alias prefix `History of Art`, then a later word, and last the fuzzy
        // match: `history` is one slip from the beginning of `historical`.
        assert_eq!(
            cat.autocomplete("history", 25),
            ["History", "Art History", "School of History, Art History and Philosophy", "Historical Studies"]
        );
        // Among fuzzy matches, one at the start of a name beats one at a later word.
        assert_eq!(
            cat.autocomplete("historic", 25),
            ["Historical Studies", "History", "Art History", "School of History, Art History and Philosophy"]
        );
    }

    #[test]
    fn autocomplete_prefix_matches_on_name_or_alias() {
        let cat = catalogue();
        assert_eq!(cat.autocomplete("phil", 25)[0], "Philosophy");
        assert_eq!(cat.autocomplete("mech", 25)[0], "Mechanical Engineering");
        assert_eq!(cat.autocomplete("gender", 25)[0], "Women's Studies");
        assert_eq!(cat.autocomplete("EE", 25)[0], "Electrical & Electronic Engineering");
        assert_eq!(cat.autocomplete("Eng Li", 25)[0], "English");
    }

    #[test]
    fn autocomplete_word_prefix_finds_later_words() {
        let cat = catalogue();
        let engi = cat.autocomplete("engi", 25);
        for name in ["Electrical & Electronic Engineering", "Mechanical Engineering", "Civil Engineering"] {
            assert!(engi.contains(&name), "{engi:?}");
        }
        let studies = cat.autocomplete("stud", 25);
        assert_eq!(studies.len(), 2, "{studies:?}");
    }

    #[test]
    fn autocomplete_does_not_start_words_at_of_or_and() {
        let cat = catalogue();
        assert!(!cat.autocomplete("of", 25).contains(&"School of History, Art History and Philosophy"));
        // Typing across the words still works.
        assert_eq!(cat.autocomplete("school of hist", 25), ["School of History, Art History and Philosophy"]);
    }

    #[test]
    fn autocomplete_finds_misspelt_partials() {
        let cat = catalogue();
        assert_eq!(cat.autocomplete("histroy", 25)[0], "History");
        assert_eq!(cat.autocomplete("hsit", 25)[0], "History");
        let enginering = cat.autocomplete("enginering", 25);
        assert_eq!(enginering.len(), 3, "{enginering:?}");
        assert!(enginering.contains(&"Civil Engineering"));
        assert_eq!(cat.autocomplete("philosphy", 25)[0], "Philosophy");
        assert_eq!(cat.autocomplete("chemsi", 25), ["Chemistry"]);
    }

    #[test]
    fn autocomplete_puts_direct_matches_before_fuzzy_ones() {
        let cat =
            DepartmentCatalogue::new(vec![dept("Music", &[]), dept("Museum Studies", &[])]).expect("valid");
        assert_eq!(cat.autocomplete("mus", 25), ["Music", "Museum Studies"]);
        // `musc` is one slip from both; neither is a prefix.
        assert_eq!(cat.autocomplete("musc", 25), ["Music", "Museum Studies"]);
        assert_eq!(cat.autocomplete("musi", 25), ["Music", "Museum Studies"]);
    }

    #[test]
    fn autocomplete_ignores_nonsense() {
        let cat = catalogue();
        assert!(cat.autocomplete("zzzz", 25).is_empty());
        assert!(cat.autocomplete("xq", 25).is_empty());
    }

    #[test]
    fn autocomplete_respects_the_limit() {
        let cat = catalogue();
        assert_eq!(cat.autocomplete("e", 2).len(), 2);
        assert!(cat.autocomplete("e", 0).is_empty());
        assert!(cat.autocomplete("", 0).is_empty());
    }

    fn big_catalogue(n: usize) -> DepartmentCatalogue {
        let departments = (0..n)
            .map(|i| {
                dept(&format!("Department of Subject {i}"), &[&format!("Subj {i}"), &format!("D{i:03}")])
            })
            .collect();
        DepartmentCatalogue::new(departments).expect("valid")
    }

    #[test]
    fn autocomplete_never_repeats_a_department_and_keeps_the_limit() {
        let cat = big_catalogue(500);
        for input in ["d", "de", "dep", "subj", "subject 1", "sbuject", "d00", "1", "departmnet of"] {
            let got = cat.autocomplete(input, 25);
            assert!(got.len() <= 25, "{input}");
            let mut unique = got.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), got.len(), "{input}: {got:?}");
        }
        // The exact alias first, then codes one slip away (`D000`, `D017`).
        let code = cat.autocomplete("d007", 25);
        assert_eq!(code[0], "Department of Subject 7");
        assert!(code.contains(&"Department of Subject 17"), "{code:?}");
        assert_eq!(cat.autocomplete("subj 12", 25)[0], "Department of Subject 12");
    }

    #[test]
    fn every_spelling_resolves_and_autocompletes_to_its_department() {
        let cat = catalogue();
        for department in cat.iter() {
            for spelling in std::iter::once(&department.name).chain(&department.aliases) {
                assert_eq!(resolved(&cat, spelling), department.name);
                assert_eq!(cat.autocomplete(spelling, 25)[0], department.name, "{spelling}");
            }
        }
    }

    /// The plain table, one target at a time: what the trie walk must agree with.
    fn prefix_edit_distance(query: &[char], target: &[char], max_edits: usize) -> Option<usize> {
        let n = target.len().min(query.len() + max_edits);
        let mut table = vec![vec![0usize; n + 1]; query.len() + 1];
        for (i, row) in table.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in table[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=query.len() {
            for j in 1..=n {
                let mut best = (table[i - 1][j - 1] + usize::from(query[i - 1] != target[j - 1]))
                    .min(table[i - 1][j] + 1)
                    .min(table[i][j - 1] + 1);
                if i > 1 && j > 1 && query[i - 1] == target[j - 2] && query[i - 2] == target[j - 1] {
                    best = best.min(table[i - 2][j - 2] + 1);
                }
                table[i][j] = best;
            }
        }
        table[query.len()].iter().copied().min().filter(|&d| d <= max_edits)
    }

    #[test]
    fn reference_distance_counts_slips_against_a_beginning() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let d = |q: &str, t: &str, k| prefix_edit_distance(&chars(q), &chars(t), k);
        assert_eq!(d("hist", "history", 1), Some(0));
        assert_eq!(d("hsit", "history", 1), Some(1));
        assert_eq!(d("histroy", "history", 2), Some(1));
        assert_eq!(d("enginering", "engineering", 3), Some(1));
        assert_eq!(d("histx", "hist", 1), Some(1));
        assert_eq!(d("zzz", "history", 1), None);
        assert_eq!(d("abc", "", 1), None);
    }

    #[test]
    fn fuzzy_walk_agrees_with_the_plain_table() {
        let cat = catalogue();
        let queries = [
            "histroy",
            "hsit",
            "hsitory",
            "enginering",
            "enigne",
            "philosphy",
            "chemsi",
            "gendr",
            "wmoen",
            "arhtist",
            "civl",
            "mechnaical",
            "xyz",
            "stuides",
            "eeee",
            "lit",
        ];
        for query in queries {
            let q: Vec<char> = query.chars().collect();
            let max_edits = allowed_edits(q.len());
            let mut matches = Matches::new(cat.len());
            FuzzyWalk::new(&cat.index, &q, max_edits, &mut matches).run();
            for entry in &cat.index.entries {
                let expected = prefix_edit_distance(&q, cat.index.suffix(entry), max_edits);
                let got = matches.best[entry.department as usize];
                if let Some(d) = expected {
                    assert!(
                        got.0 == 3 && usize::from(got.1) <= d,
                        "{query} vs {:?}: expected {d}, got {got:?}",
                        cat.index.suffix(entry).iter().collect::<String>()
                    );
                }
            }
            // Nothing is found that the plain table would not find.
            for &department in &matches.found {
                let best = matches.best[department as usize];
                let plain = cat
                    .index
                    .entries
                    .iter()
                    .filter(|e| e.department == department)
                    .filter_map(|e| prefix_edit_distance(&q, cat.index.suffix(e), max_edits))
                    .min();
                assert_eq!(plain, Some(usize::from(best.1)), "{query}: department {department}");
            }
        }
    }

    #[test]
    fn words_normalise_case_ampersands_and_punctuation() {
        assert_eq!(
            words("School of History, Art History & Philosophy"),
            ["school", "of", "history", "art", "history", "and", "philosophy"]
        );
        assert_eq!(words("Women's   Studies"), ["womens", "studies"]);
        assert_eq!(words("Anglo-Saxon, Norse and Celtic"), ["anglo", "saxon", "norse", "and", "celtic"]);
        assert_eq!(words("ÉTUDES Françaises"), ["études", "françaises"]);
        // Decomposed accents are dropped rather than splitting the word.
        assert_eq!(words("E\u{301}tudes"), ["etudes"]);
        assert!(words(" .,;- ").is_empty());
    }
}
