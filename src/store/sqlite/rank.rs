//! Ranking a window of full-text matches: BM25 times recency, computed here rather than by FTS5.
//!
//! FTS5's own `bm25()` first walks the whole posting list of every phrase in the query to count
//! how many rows hold it (its IDF), before scoring a single row. For a word in most notes, or the
//! guild's own facet token, that walk alone took 30 to 66 ms at a million entries, however few rows
//! were then ranked. So the store fetches the window's notes and tags, estimates each phrase's
//! document frequency from a bounded sample, and scores here:
//!
//! ```text
//! f(p)    = 1.0 × occurrences of p in the note + 2.0 × occurrences in the tags   (at least 1)
//! bm25    = Σ_p idf(p) × f(p) × (k1 + 1) / (f(p) + k1 × (1 − b + b × len / avg_len))
//! idf(p)  = ln(1 + (N − n(p) + 0.5) / (n(p) + 0.5))     N, n(p): counted in a sample
//! score   = bm25 / (1 + age_in_days / 365)
//! ```
//!
//! with k1 = 1.2 and b = 0.75 as in FTS5, `len` the row's note and tag tokens and `avg_len` their
//! mean over the window. The IDF is the Lucene form, always positive: FTS5's goes to zero for a word
//! in more than half the rows, which would leave only recency to order a search for a common word.
//! A year-old entry needs half again the relevance of today's to rank beside it.

const K1: f64 = 1.2;
const B: f64 = 0.75;
const NOTE_WEIGHT: f64 = 1.0;
const TAGS_WEIGHT: f64 = 2.0;
const RECENCY_DAYS: f64 = 365.0;
const MILLIS_PER_DAY: f64 = 86_400_000.0;

/// One match in the window.
#[derive(Debug)]
pub(super) struct Candidate {
    pub id: i64,
    pub occurred_at: i64,
    pub note: String,
    pub tags: String,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Ranked {
    pub id: i64,
    pub score: f64,
}

/// The IDF of a phrase found in `matching` of `docs` sampled rows.
pub(super) fn idf(docs: u64, matching: u64) -> f64 {
    let n = matching.min(docs) as f64;
    (1.0 + (docs as f64 - n + 0.5) / (n + 0.5)).ln()
}

/// Best first; equal scores put the higher id (the later capture) first.
pub(super) fn rank(
    candidates: &[Candidate],
    phrases: &[Vec<String>],
    idf: &[f64],
    now_ms: i64,
) -> Vec<Ranked> {
    let matcher = Matcher::new(phrases);
    let mut note_counts = vec![0u32; phrases.len()];
    let mut tag_counts = vec![0u32; phrases.len()];
    let mut scratch = Scratch::default();
    let mut rows = Vec::with_capacity(candidates.len());
    let mut total_len = 0.0;
    for c in candidates {
        let len = matcher.count(&c.note, &mut note_counts, &mut scratch)
            + matcher.count(&c.tags, &mut tag_counts, &mut scratch);
        let freqs: Vec<f64> = note_counts
            .iter()
            .zip(&tag_counts)
            // FTS5 matched every phrase in this row; a count of zero means our tokenizer saw the
            // word differently (an accent we do not fold), not that it is absent.
            .map(|(&n, &t)| (NOTE_WEIGHT * f64::from(n) + TAGS_WEIGHT * f64::from(t)).max(1.0))
            .collect();
        total_len += f64::from(len);
        rows.push((c, freqs, f64::from(len)));
    }
    let avg_len = (total_len / rows.len().max(1) as f64).max(1.0);
    let mut ranked: Vec<Ranked> = rows
        .into_iter()
        .map(|(c, freqs, len)| {
            let norm = K1 * (1.0 - B + B * len / avg_len);
            let bm25: f64 = freqs.iter().zip(idf).map(|(&f, &w)| w * f * (K1 + 1.0) / (f + norm)).sum();
            let age_days = (now_ms.saturating_sub(c.occurred_at)).max(0) as f64 / MILLIS_PER_DAY;
            Ranked { id: c.id, score: bm25 / (1.0 + age_days / RECENCY_DAYS) }
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.id.cmp(&a.id)));
    ranked
}

#[derive(Default)]
pub(super) struct Scratch {
    folded: String,
    seq: Vec<Option<usize>>,
}

/// Finds the query's phrases in text tokenized as FTS5's `unicode61 remove_diacritics 2` does,
/// closely enough for counting: runs of letters and digits, lower-cased, common Latin accents
/// removed.
pub(super) struct Matcher {
    words: Vec<String>,
    phrases: Vec<Vec<usize>>,
}

impl Matcher {
    pub fn new(phrases: &[Vec<String>]) -> Self {
        let mut words: Vec<String> = Vec::new();
        let phrases = phrases
            .iter()
            .map(|p| {
                p.iter()
                    .map(|w| {
                        let w = fold(w);
                        match words.iter().position(|x| *x == w) {
                            Some(i) => i,
                            None => {
                                words.push(w);
                                words.len() - 1
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        Matcher { words, phrases }
    }

    /// Fills `counts` with each phrase's occurrences in `text`; returns its number of tokens.
    fn count(&self, text: &str, counts: &mut [u32], scratch: &mut Scratch) -> u32 {
        self.read(text, scratch);
        for (count, phrase) in counts.iter_mut().zip(&self.phrases) {
            let hits = scratch.seq.windows(phrase.len()).filter(|w| Self::is_at(w, phrase)).count();
            *count = u32::try_from(hits).unwrap_or(u32::MAX);
        }
        u32::try_from(scratch.seq.len()).unwrap_or(u32::MAX)
    }

    /// Every occurrence as (first token, tokens, phrase index), in text order.
    pub fn occurrences(&self, text: &str, scratch: &mut Scratch) -> Vec<(usize, usize, usize)> {
        self.read(text, scratch);
        let mut out = Vec::new();
        for (p, phrase) in self.phrases.iter().enumerate() {
            for (at, w) in scratch.seq.windows(phrase.len()).enumerate() {
                if Self::is_at(w, phrase) {
                    out.push((at, phrase.len(), p));
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn is_at(tokens: &[Option<usize>], phrase: &[usize]) -> bool {
        tokens.iter().zip(phrase).all(|(t, p)| *t == Some(*p))
    }

    /// Tokenizes `text` into `scratch.seq`: for each token, which query word it is, if any.
    fn read(&self, text: &str, scratch: &mut Scratch) {
        scratch.seq.clear();
        for token in text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()) {
            let word = if token.is_ascii() {
                self.words.iter().position(|w| w.eq_ignore_ascii_case(token))
            } else {
                fold_into(token, &mut scratch.folded);
                self.words.iter().position(|w| *w == scratch.folded)
            };
            scratch.seq.push(word);
        }
    }
}

fn fold(word: &str) -> String {
    let mut out = String::new();
    fold_into(word, &mut out);
    out
}

fn fold_into(word: &str, out: &mut String) {
    out.clear();
    out.extend(word.chars().flat_map(char::to_lowercase).map(strip_accent));
}

/// Latin-1 and Latin Extended-A letters to their base letter (lower case only: called after
/// lower-casing). Letters without a decomposition (æ, ø, ß, ł) stay, as they do in FTS5.
fn strip_accent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: i64, occurred_at: i64, note: &str) -> Candidate {
        Candidate { id, occurred_at, note: note.to_string(), tags: String::new() }
    }

    fn phrases(words: &[&[&str]]) -> Vec<Vec<String>> {
        words.iter().map(|p| p.iter().map(|w| w.to_string()).collect()).collect()
    }

    #[test]
    fn phrases_are_counted_as_adjacent_words_ignoring_case_and_accents() {
        let m = Matcher::new(&phrases(&[&["o", "neill"], &["müller"]]));
        let mut counts = [0, 0];
        let len = m.count(
            "Dr O'Neill met MULLER, then o neill and Müller; neill o",
            &mut counts,
            &mut Scratch::default(),
        );
        assert_eq!(counts, [2, 2]);
        assert_eq!(len, 12);
    }

    #[test]
    fn more_occurrences_rank_higher_and_recency_breaks_ties() {
        let day = 86_400_000;
        let now = 1000 * day;
        let cs = [
            candidate(1, now - day, "loan policy question"),
            candidate(2, now - day, "loan loan renewal question"),
            candidate(3, now - 400 * day, "loan policy question"),
        ];
        let ranked = rank(&cs, &phrases(&[&["loan"]]), &[1.0], now);
        let order: Vec<i64> = ranked.iter().map(|r| r.id).collect();
        assert_eq!(order, vec![2, 1, 3]);
    }

    #[test]
    fn idf_is_positive_and_falls_with_frequency() {
        assert!(idf(100, 100) > 0.0);
        assert!(idf(100, 1) > idf(100, 50));
        assert!(idf(0, 0).is_finite());
    }
}
