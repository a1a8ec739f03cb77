//! The word index behind autocomplete: every place a word starts in a name or alias, as suffixes
//! of one buffer, sorted. A prefix is a binary search; a misspelling is a walk down the sorted
//! list as if it were a trie.

use super::{Rank, NO_MATCH, SKIPPED_WORDS, TABLE_DEPTH, TABLE_ROWS};

/// Every word start of every name and alias, as suffixes of one shared buffer, sorted.
#[derive(Debug, Clone, Default)]
pub(super) struct WordIndex {
    chars: Vec<char>,
    pub(super) entries: Vec<IndexEntry>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct IndexEntry {
    /// The suffix is `chars[start..end]`; `end` is the end of the whole name or alias.
    start: u32,
    end: u32,
    pub(super) department: u32,
    /// Which word of the name or alias the suffix starts at; 0 is the whole of it.
    word: u16,
    /// The length of the whole name or alias, in characters.
    key_len: u16,
    is_name: bool,
}

impl WordIndex {
    pub(super) fn add(&mut self, words: &[String], department: usize, is_name: bool) {
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

    pub(super) fn sort(&mut self) {
        let chars = std::mem::take(&mut self.chars);
        self.entries.sort_by(|a, b| suffix(&chars, a).cmp(suffix(&chars, b)));
        self.chars = chars;
    }

    pub(super) fn suffix(&self, entry: &IndexEntry) -> &[char] {
        suffix(&self.chars, entry)
    }

    /// Exact, prefix and word-prefix matches: every suffix that starts with the query, found by
    /// binary search. Among prefixes the canonical name beats an alias (the list shows names, so
    /// one that visibly starts with the input looks right), then the shorter name wins.
    pub(super) fn direct(&self, query: &[char], matches: &mut Matches) {
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
pub(super) struct Matches {
    pub(super) best: Vec<Rank>,
    pub(super) found: Vec<u32>,
}

impl Matches {
    pub(super) fn new(departments: usize) -> Self {
        Matches { best: vec![NO_MATCH; departments], found: Vec::new() }
    }

    pub(super) fn offer(&mut self, department: u32, rank: Rank) {
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
pub(super) struct FuzzyWalk<'a> {
    index: &'a WordIndex,
    query: &'a [char],
    max_edits: usize,
    matches: &'a mut Matches,
    table: [[u8; TABLE_ROWS]; TABLE_DEPTH],
    path: [char; TABLE_DEPTH],
}

impl<'a> FuzzyWalk<'a> {
    pub(super) fn new(
        index: &'a WordIndex,
        query: &'a [char],
        max_edits: usize,
        matches: &'a mut Matches,
    ) -> Self {
        let mut table = [[0u8; TABLE_ROWS]; TABLE_DEPTH];
        for (i, cell) in table[0].iter_mut().enumerate() {
            *cell = u8::try_from(i).unwrap_or(u8::MAX);
        }
        FuzzyWalk { index, query, max_edits, matches, table, path: ['\0'; TABLE_DEPTH] }
    }

    pub(super) fn run(&mut self) {
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
