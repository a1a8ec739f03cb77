//! How alike two entries are, from the terms they share and how rare each is in the guild: pure,
//! so the threshold can be tested and tuned without a store (`tests/related.rs` tunes it on a
//! corpus of real-looking notes).
//!
//! A shared term weighs its rarity, `ln(N / df) / ln(N)` (inverse document frequency: N entries in
//! the window, df of them holding the term; divided by `ln(N)` so that 1 is a term no other entry
//! holds, at any size of guild), a tag a little more than a word, since somebody chose it. A term
//! held by more than [`COMMON_SHARE`] of the window ("students", "library") says nothing about what
//! an entry is about and weighs nothing; so does one the store reports as held by more entries than
//! it listed. A candidate is close enough ([`THRESHOLD`]) only when it shares enough distinct
//! topics, weighing enough together, and enough of what the entry's own terms weigh.

use std::collections::{HashMap, HashSet};

use crate::domain::ids::EntryId;
use crate::domain::terms::{of_entry, Term, Word};
use crate::store::Postings;

/// Below this many entries in the window, rarity is measured as if there were this many: in a
/// new guild with ten entries every term is "rare" and "common" by chance.
pub const MIN_CORPUS: f64 = 200.0;

/// A term held by more than this share of the window's entries is common, and weighs nothing.
pub const COMMON_SHARE: f64 = 0.1;

/// How much more a shared tag weighs than a shared word of the same rarity.
pub const TAG_BOOST: f64 = 1.25;

/// When a candidate is close enough.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// Distinct topics it must share: two words, or a tag and a word not in the tag. One shared
    /// word, however rare, is a coincidence as often as a connection ("Zotero" in a note about
    /// printing and in one about referencing).
    pub min_topics: usize,
    /// What the shared terms must weigh together, 1 being a term no other entry holds.
    pub min_score: f64,
    /// The least share of the entry's own weight the shared terms must carry, so that a long note
    /// about many things is not linked to everything that shares two of its words.
    pub min_share_of_mass: f64,
}

/// The threshold "who else heard this" and `/search similar` use, tuned on `tests/corpus`: two
/// fairly rare topics, or a rare one and a middling one, carrying an eighth of the note.
pub const THRESHOLD: Threshold = Threshold { min_topics: 2, min_score: 1.2, min_share_of_mass: 0.12 };

/// A candidate that is close enough, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub id: EntryId,
    pub score: f64,
    /// The shared terms as the entry wrote them, most telling first; a tag whose words are shown
    /// already is left out ("EEBO", not "EEBO, #eebo").
    pub shared: Vec<String>,
}

/// Ranks the entries that share terms with `entry` (its own id is `this`, left out), best first,
/// keeping those close enough. `terms` are the entry's (`domain::terms::of_entry`), `postings` the
/// store's answer for them in the same order, `indexed` how many entries the window holds.
/// `background` words weigh as any other but are never a topic on their own: the words of
/// department names ("Computer Science students...") say who asked, which the entry records
/// anyway, not what it is about.
pub fn rank(
    this: EntryId,
    terms: &[Word],
    postings: &[Postings],
    indexed: u64,
    background: &HashSet<Term>,
) -> Vec<Scored> {
    rank_with(&THRESHOLD, this, terms, postings, indexed, background)
}

/// [`rank`] with another threshold: for tuning it.
pub fn rank_with(
    threshold: &Threshold,
    this: EntryId,
    terms: &[Word],
    postings: &[Postings],
    indexed: u64,
    background: &HashSet<Term>,
) -> Vec<Scored> {
    let corpus = (indexed as f64).max(MIN_CORPUS);
    let weights: Vec<f64> = terms
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let Some(p) = postings.get(i).filter(|p| p.term == word.term) else { return 0.0 };
            weight(word, p, corpus)
        })
        .collect();
    let mass: f64 = weights.iter().sum();
    if mass <= 0.0 {
        return Vec::new();
    }
    let topics = topics(terms, background);
    // Candidate → the indexes of the terms it shares.
    let mut shared: HashMap<EntryId, Vec<usize>> = HashMap::new();
    for (i, p) in postings.iter().enumerate().take(terms.len()) {
        if weights[i] <= 0.0 {
            continue;
        }
        for id in p.entries.iter().filter(|id| **id != this) {
            shared.entry(*id).or_default().push(i);
        }
    }
    let mut out: Vec<Scored> = shared
        .into_iter()
        .filter_map(|(id, mut held)| {
            let score: f64 = held.iter().map(|&i| weights[i]).sum();
            let mut distinct: Vec<usize> = held.iter().filter_map(|&i| topics[i]).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let close = distinct.len() >= threshold.min_topics
                && score >= threshold.min_score
                && score >= threshold.min_share_of_mass * mass;
            if !close {
                return None;
            }
            held.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
            let shown = shown(terms, &held, &topics);
            Some(Scored { id, score, shared: shown })
        })
        .collect();
    // Best first; at equal scores the newer entry (the larger id) first.
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.id.0.cmp(&a.id.0)));
    out
}

/// A term's weight in a corpus of `corpus` entries: zero when it is common.
fn weight(word: &Word, postings: &Postings, corpus: f64) -> f64 {
    let held = postings.entries.len() as f64;
    if postings.more || held == 0.0 || held > COMMON_SHARE * corpus {
        return 0.0;
    }
    let idf = (corpus / held).ln() / corpus.ln();
    if word.term.is_tag() {
        idf * TAG_BOOST
    } else {
        idf
    }
}

/// For each term, the topic it stands for: a word is its own, a background word none; a tag is
/// the topic of the first of its words the note also uses ("#eebo" and "EEBO" are one topic, as
/// are "#reading-lists" and "lists"), or its own when the note uses none of them.
fn topics(terms: &[Word], background: &HashSet<Term>) -> Vec<Option<usize>> {
    let index_of: HashMap<&str, usize> = terms
        .iter()
        .enumerate()
        .filter(|(_, w)| !w.term.is_tag() && !background.contains(&w.term))
        .map(|(i, w)| (w.term.as_str(), i))
        .collect();
    terms
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if !w.term.is_tag() {
                return (!background.contains(&w.term)).then_some(i);
            }
            let words = of_entry(w.term.as_str().trim_start_matches('#'), &[]);
            Some(words.iter().find_map(|t| index_of.get(t.term.as_str()).copied()).unwrap_or(i))
        })
        .collect()
}

/// The shared terms to show, in the order given (most telling first): one per topic, as the note
/// wrote it when the candidate shares the word too, else as the tag.
fn shown(terms: &[Word], held: &[usize], topics: &[Option<usize>]) -> Vec<String> {
    let mut seen: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for &i in held {
        // A background word is its own "topic" here: shown, after the topics it was not one of.
        let topic = topics[i].unwrap_or(usize::MAX - i);
        if seen.contains(&topic) {
            continue;
        }
        seen.push(topic);
        let word = held
            .iter()
            .copied()
            .find(|&j| topics[j].unwrap_or(usize::MAX - j) == topic && !terms[j].term.is_tag());
        out.push(terms[word.unwrap_or(i)].shown.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tag::Tag;
    use crate::domain::terms::Term;

    /// Postings for `terms`: `holders[i]` holds term i (the ids), at most 200 listed.
    fn postings(terms: &[Word], holders: &[&[i64]]) -> Vec<Postings> {
        terms
            .iter()
            .zip(holders)
            .map(|(w, ids)| Postings {
                term: w.term.clone(),
                entries: ids.iter().take(200).map(|i| EntryId(*i)).collect(),
                more: ids.len() > 200,
            })
            .collect()
    }

    fn tags(list: &[&str]) -> Vec<Tag> {
        list.iter().map(|t| Tag::parse(t).unwrap()).collect()
    }

    const THIS: EntryId = EntryId(1_000);

    fn none() -> HashSet<Term> {
        HashSet::new()
    }

    #[test]
    fn two_rare_shared_terms_match_and_say_why_most_telling_first() {
        let terms = of_entry("PhD students want EEBO training", &tags(&["phd"]));
        let keys: Vec<&str> = terms.iter().map(|w| w.term.as_str()).collect();
        assert_eq!(keys, ["phd", "student", "eebo", "train", "#phd"]);
        let common: Vec<i64> = (100..400).collect();
        let ranked = rank(
            THIS,
            &terms,
            &postings(&terms, &[&[7, 9, 1_000], &common, &[7, 1_000], &[7, 8, 9, 10, 1_000], &[9, 7, 1_000]]),
            2_000,
            &none(),
        );
        // 8 and 10 share only "training"; 9 shares PhD (and #phd, the same topic) and training.
        assert_eq!(ranked.iter().map(|s| s.id).collect::<Vec<_>>(), [EntryId(7), EntryId(9)]);
        assert_eq!(ranked[0].shared, ["PhD", "EEBO", "training"], "#phd is PhD's topic, and weighs most");
    }

    #[test]
    fn one_shared_term_is_not_enough_however_rare() {
        let terms = of_entry("Zotero crashed at the printer", &[]);
        let ranked = rank(
            THIS,
            &terms,
            &postings(&terms, &[&[5, 1_000], &[6, 1_000], &[1_000], &[1_000]]),
            5_000,
            &none(),
        );
        assert!(ranked.is_empty(), "{ranked:?}");
    }

    #[test]
    fn a_tag_and_its_own_word_are_one_topic() {
        let terms = of_entry("EEBO again", &tags(&["eebo"]));
        let ranked = rank(THIS, &terms, &postings(&terms, &[&[5, 1_000], &[5, 1_000]]), 5_000, &none());
        assert!(ranked.is_empty(), "EEBO and #eebo are one thing: {ranked:?}");
        let terms = of_entry("EEBO again", &tags(&["archives"]));
        let ranked = rank(THIS, &terms, &postings(&terms, &[&[5, 1_000], &[5, 1_000]]), 5_000, &none());
        assert_eq!(ranked.len(), 1, "a tag of another topic counts: {ranked:?}");
        assert_eq!(ranked[0].shared, ["#archives", "EEBO"], "the tag weighs more");
    }

    #[test]
    fn background_words_are_no_topic_of_their_own() {
        let terms = of_entry("Computer Science student asked about plagiarism", &[]);
        let holders: Vec<&[i64]> = vec![&[5, 1_000], &[5, 1_000], &[1_000], &[5, 1_000]];
        assert_eq!(rank(THIS, &terms, &postings(&terms, &holders), 5_000, &none()).len(), 1);
        let background: HashSet<Term> = terms[..2].iter().map(|w| w.term.clone()).collect();
        let ranked = rank(THIS, &terms, &postings(&terms, &holders), 5_000, &background);
        assert!(ranked.is_empty(), "only plagiarism is a topic: {ranked:?}");
    }

    #[test]
    fn common_terms_weigh_nothing() {
        let terms = of_entry("students asked about library opening", &[]);
        let busy: Vec<i64> = (0..150).collect();
        let overflowing: Vec<i64> = (0..201).collect();
        let ranked = rank(THIS, &terms, &postings(&terms, &[&busy, &overflowing, &busy]), 1_000, &none());
        assert!(ranked.is_empty(), "{ranked:?}");
    }

    #[test]
    fn a_long_note_needs_more_than_two_of_its_many_rare_words() {
        let note = "aardvark bassoon cicada dulcimer egret falcon gannet heron ibis jackdaw kestrel \
                    lapwing merlin nightjar osprey puffin quail raven siskin tern";
        let terms = of_entry(note, &[]);
        let mut holders: Vec<Vec<i64>> = terms.iter().map(|_| vec![1_000]).collect();
        holders[0].push(5);
        holders[1].push(5);
        let refs: Vec<&[i64]> = holders.iter().map(Vec::as_slice).collect();
        assert!(rank(THIS, &terms, &postings(&terms, &refs), 10_000, &none()).is_empty());
        for h in holders.iter_mut().take(6) {
            h.push(5);
        }
        let refs: Vec<&[i64]> = holders.iter().map(Vec::as_slice).collect();
        assert_eq!(rank(THIS, &terms, &postings(&terms, &refs), 10_000, &none()).len(), 1);
    }

    #[test]
    fn better_matches_first_and_the_entry_itself_never() {
        let terms = of_entry("thesis deposit embargo repository", &[]);
        let ranked = rank(
            THIS,
            &terms,
            &postings(&terms, &[&[3, 4, 1_000], &[3, 4, 1_000], &[3, 1_000], &[1_000]]),
            5_000,
            &none(),
        );
        assert_eq!(ranked.iter().map(|s| s.id).collect::<Vec<_>>(), [EntryId(3), EntryId(4)]);
        assert!(ranked[0].score > ranked[1].score);
    }

    #[test]
    fn postings_out_of_step_with_the_terms_are_ignored() {
        let terms = of_entry("thesis deposit", &[]);
        let wrong = vec![
            Postings { term: Term::from_stored("other".into()), entries: vec![EntryId(3)], more: false },
            Postings { term: Term::from_stored("other2".into()), entries: vec![EntryId(3)], more: false },
        ];
        assert!(rank(THIS, &terms, &wrong, 5_000, &none()).is_empty());
    }
}
