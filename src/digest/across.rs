//! "Heard across teams": the topics of a digest's week that came up from at least two people in at
//! least two departments or teams, best first, each marked new or rising against the four weeks
//! before, with the entries behind it.
//!
//! A topic is a tag, a two-word phrase or a single word of the week's notes, as `domain::terms`
//! reads them. What counts as a team: each department an entry is filed under (its own and any
//! others it concerns) and each partner of kind team it names (Study Skills, Technology Enhanced
//! Learning). Hearing the same thing in History and from the Study Skills team is exactly the
//! crossing the section is for; a partner person or organisation is who was heard, not a team, so
//! it does not count. A topic is heard across teams when its entries have two authors and two
//! teams between them (which always pairs two people with two different teams).
//!
//! Only entries others may see make topics: shared with the team and with their note kept, the
//! entries the term index holds, so the week and the weeks before are counted alike. A private
//! entry or an expired note yields nothing. Where the guild shares counts and tags only, only tags
//! make topics, since a note's words are its text.
//!
//! Distinctive only: a topic held by more than a share of the entries of the week and the four
//! weeks before ([`WORD_COMMON`] for a word, [`TAG_COMMON`] for a tag or a phrase) is common, not
//! a topic ("student", "library"); among the rest, rarer ranks higher, a phrase or a tag higher
//! than a word, and a phrase or tag and a word sharing a stem are never both listed.
//!
//! The work is in two steps so that the store is asked only about promising topics: [`Week::of`]
//! finds the week's candidates and [`Week::lookup`] names the terms whose entries in the four
//! weeks before the service reads; [`Week::topics`] weighs them with those counts.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::model::Sharing;
use crate::domain::department::DepartmentKey;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, UserId};
use crate::domain::partner::PartnerId;
use crate::domain::privacy::Share;
use crate::domain::stats::DepartmentEntries;
use crate::domain::terms::{of_entry, phrases, words, Term};

/// How many weeks a topic is compared against.
pub const WEEKS_BEFORE: u32 = 4;
/// The most topics the section lists.
pub const TOPICS_LISTED: usize = 5;
/// A word held by more than this share of the entries (this week and the four before) is common.
pub const WORD_COMMON: f64 = 0.03;
/// The same for a tag or a phrase, which say more than a word.
pub const TAG_COMMON: f64 = 0.10;
/// Below this many entries nothing is judged common: a small guild's shares say little.
pub const COMMON_MIN_ENTRIES: usize = 10;
/// How many of the week's candidates are looked up in the weeks before, most promising first.
const LOOKED_UP: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    Tag,
    Phrase,
    Word,
}

impl TopicKind {
    /// Phrases and tags say what a note is about more surely than one word does.
    fn weight(self) -> f64 {
        match self {
            TopicKind::Tag | TopicKind::Phrase => 1.5,
            TopicKind::Word => 1.0,
        }
    }

    fn common_share(self) -> f64 {
        match self {
            TopicKind::Tag | TopicKind::Phrase => TAG_COMMON,
            TopicKind::Word => WORD_COMMON,
        }
    }
}

/// A topic against the four weeks before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// No entry in the four weeks before held it.
    New,
    /// Held by at least twice the weekly average of the four weeks before, and by at least two
    /// entries more than that average.
    Rising,
    /// Neither (or the weeks before held it more often than were counted).
    Steady,
}

/// A topic heard across teams, as the service hands it to the builder.
#[derive(Debug, Clone, PartialEq)]
pub struct AcrossTopic {
    pub kind: TopicKind,
    /// As first written this week: "#eebo", "data management", "EEBO".
    pub shown: String,
    pub trend: Trend,
    /// The week's entries holding it, oldest first.
    pub entries: Vec<TopicEntry>,
    /// Entries holding it per week in the four weeks before, on average; `None` when they were
    /// more than the store counted.
    pub weekly_before: Option<f64>,
}

/// An entry behind a topic, and where it was heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicEntry {
    pub entry: EntryId,
    /// The departments it is grouped under in the digest.
    pub departments: Vec<DepartmentKey>,
    /// The partners of kind team it names, by name.
    pub teams: Vec<String>,
}

/// What the four weeks before a digest's week held, for the terms [`Week::lookup`] named.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Before {
    /// Entries others may see in those weeks (capped by the store; a cap only makes topics look
    /// rarer than they are, never more common).
    pub entries: u64,
    /// For each term asked about, the entries holding it.
    pub held: HashMap<Term, Held>,
}

/// The entries holding one term in the weeks before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Held {
    pub entries: Vec<EntryId>,
    /// More entries held it than are listed.
    pub more: bool,
}

/// One place an entry was heard: a department (by the key the digest groups it under) or a
/// partner of kind team.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Team {
    Department(DepartmentKey),
    Partner(PartnerId),
}

struct Candidate {
    kind: TopicKind,
    /// What is looked up: the word or tag, or a phrase's two words.
    terms: Vec<Term>,
    /// The stems it speaks of, so that a phrase and its own word are not both listed.
    stems: Vec<String>,
    shown: String,
    /// Indexes into [`Week::entries`], oldest first.
    entries: Vec<usize>,
    people: usize,
    teams: usize,
}

/// The week's topics heard across teams, before they are weighed against the weeks before.
pub struct Week {
    /// The week's entries that make topics, oldest first.
    entries: Vec<TopicEntry>,
    candidates: Vec<Candidate>,
}

/// What an entry says, for counting: its distinct topics with how each was written.
struct Spoken {
    key: String,
    kind: TopicKind,
    terms: Vec<Term>,
    shown: String,
}

impl Week {
    /// `departments`: the week's entries as the digest groups them (an entry in the group of each
    /// of its departments); `teams`: the guild's partners of kind team.
    pub fn of(departments: &[DepartmentEntries], teams: &HashSet<PartnerId>, sharing: Sharing) -> Week {
        let mut heard: HashMap<EntryId, (&Entry, Vec<Team>)> = HashMap::new();
        for group in departments {
            for e in group.entries.iter().filter(|e| e.share == Share::Team && e.expired_at.is_none()) {
                let at = heard.entry(e.id).or_insert_with(|| (e, Vec::new()));
                at.1.push(Team::Department(group.department.clone()));
            }
        }
        let mut entries: Vec<(&Entry, Vec<Team>)> = heard.into_values().collect();
        entries.sort_by_key(|(e, _)| (e.occurred_at, e.id));
        for (e, at) in &mut entries {
            at.extend(e.partner_ids().filter(|p| teams.contains(p)).map(Team::Partner));
        }
        let mut found: HashMap<String, Candidate> = HashMap::new();
        for (i, (e, _)) in entries.iter().enumerate() {
            for s in spoken(e, sharing) {
                let c = found.entry(s.key).or_insert_with(|| Candidate {
                    kind: s.kind,
                    stems: stems(s.kind, &s.terms),
                    terms: s.terms,
                    shown: s.shown,
                    entries: Vec::new(),
                    people: 0,
                    teams: 0,
                });
                c.entries.push(i);
            }
        }
        let candidates: Vec<Candidate> = found
            .into_values()
            .filter(|c| c.entries.len() >= 2)
            .filter_map(|mut c| {
                let people: HashSet<UserId> = c.entries.iter().map(|&i| entries[i].0.author.id).collect();
                let teams: HashSet<&Team> = c.entries.iter().flat_map(|&i| &entries[i].1).collect();
                (c.people, c.teams) = (people.len(), teams.len());
                (c.people >= 2 && c.teams >= 2).then_some(c)
            })
            .collect();
        let mut candidates = without_subsumed_words(candidates);
        let week = entries.len();
        // The most promising first: what the store is asked about, and a stable order for ties.
        candidates.sort_by(|a, b| {
            promise(b, week).total_cmp(&promise(a, week)).then_with(|| a.shown.cmp(&b.shown))
        });
        let entries = entries
            .iter()
            .map(|(e, at)| TopicEntry {
                entry: e.id,
                departments: at
                    .iter()
                    .filter_map(|t| match t {
                        Team::Department(d) => Some(d.clone()),
                        Team::Partner(_) => None,
                    })
                    .collect(),
                teams: e
                    .partners
                    .iter()
                    .filter(|p| teams.contains(&p.id))
                    .map(|p| p.name.as_str().to_string())
                    .collect(),
            })
            .collect();
        Week { entries, candidates }
    }

    /// The terms whose entries in the four weeks before [`Week::topics`] needs: those of the most
    /// promising candidates, each once.
    pub fn lookup(&self) -> Vec<Term> {
        let mut seen = HashSet::new();
        self.candidates
            .iter()
            .take(LOOKED_UP)
            .flat_map(|c| &c.terms)
            .filter(|t| seen.insert(*t))
            .cloned()
            .collect()
    }

    /// The topics to list, best first, at most [`TOPICS_LISTED`]: the candidates looked up that
    /// are not common, scored by spread, rarity and trend.
    pub fn topics(&self, before: &Before) -> Vec<AcrossTopic> {
        let all = (self.entries.len() as u64 + before.entries) as f64;
        let mut scored: Vec<(f64, &Candidate, Trend, Option<f64>)> = self
            .candidates
            .iter()
            .take(LOOKED_UP)
            .filter_map(|c| {
                let (count, complete) = held_before(c, before)?;
                let now = c.entries.len();
                let held = (now + count) as f64;
                if now + count >= COMMON_MIN_ENTRIES && held / all > c.kind.common_share() {
                    return None;
                }
                let weekly = complete.then(|| count as f64 / f64::from(WEEKS_BEFORE));
                let trend = trend(now, count, weekly);
                let boost = match trend {
                    Trend::New => 1.5,
                    Trend::Rising => 1.25,
                    Trend::Steady => 1.0,
                };
                let rarity = ((all + 1.0) / held).ln();
                let score = c.kind.weight() * boost * (c.people + c.teams) as f64 * rarity;
                Some((score, c, trend, weekly))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.shown.cmp(&b.1.shown)));
        let mut listed: Vec<Listed> = Vec::new();
        let mut spoken_of: HashSet<&str> = HashSet::new();
        for (_, c, trend, weekly_before) in scored {
            let overlaps: Vec<&str> =
                c.stems.iter().map(String::as_str).filter(|s| spoken_of.contains(s)).collect();
            if let [joint] = overlaps[..] {
                if let Some(l) = listed.iter_mut().find(|l| l.chains(c, joint)) {
                    l.extend(c, trend, weekly_before);
                    spoken_of.extend(c.stems.iter().map(String::as_str));
                }
                continue;
            }
            if !overlaps.is_empty() || listed.len() == TOPICS_LISTED {
                continue;
            }
            spoken_of.extend(c.stems.iter().map(String::as_str));
            let ends = match c.terms.as_slice() {
                [first, last] if c.kind == TopicKind::Phrase => Some((first, last)),
                _ => None,
            };
            listed.push(Listed {
                topic: AcrossTopic {
                    kind: c.kind,
                    shown: c.shown.clone(),
                    trend,
                    entries: c.entries.iter().map(|&i| self.entries[i].clone()).collect(),
                    weekly_before,
                },
                entries: &c.entries,
                ends,
            });
        }
        listed.into_iter().map(|l| l.topic).collect()
    }
}

/// A topic chosen, and what a phrase needs to grow: "research data" and "data management", held
/// by the same entries, are listed as "research data management".
struct Listed<'a> {
    topic: AcrossTopic,
    entries: &'a [usize],
    /// A phrase's first and last words.
    ends: Option<(&'a Term, &'a Term)>,
}

impl<'a> Listed<'a> {
    /// Whether phrase `c`, sharing only the stem `joint` with what is listed, continues this
    /// phrase at one end, in the same entries.
    fn chains(&self, c: &Candidate, joint: &str) -> bool {
        let Some((first, last)) = self.ends else { return false };
        let [a, b] = c.terms.as_slice() else { return false };
        c.kind == TopicKind::Phrase
            && c.entries == self.entries
            && ((last == a && a.as_str() == joint) || (first == b && b.as_str() == joint))
    }

    fn extend(&mut self, c: &'a Candidate, trend: Trend, weekly_before: Option<f64>) {
        let Some((first, last)) = self.ends else { return };
        let [a, b] = c.terms.as_slice() else { return };
        let shown = &mut self.topic.shown;
        if last == a {
            let word = c.shown.rsplit_once(' ').map_or(c.shown.as_str(), |(_, w)| w);
            *shown = format!("{shown} {word}");
            self.ends = Some((first, b));
        } else {
            let word = c.shown.split_once(' ').map_or(c.shown.as_str(), |(w, _)| w);
            *shown = format!("{word} {shown}");
            self.ends = Some((a, last));
        }
        // Each two-word part's count bounds the longer phrase's: the lower, and the newer, holds.
        if trend == Trend::New || (trend == Trend::Rising && self.topic.trend == Trend::Steady) {
            self.topic.trend = trend;
        }
        self.topic.weekly_before = match (self.topic.weekly_before, weekly_before) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
    }
}

/// The candidates without the words a phrase or tag holding them says already: "management" is
/// not listed beside "data management" when every entry with the word has the phrase.
fn without_subsumed_words(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut wider: HashMap<&str, Vec<&[usize]>> = HashMap::new();
    for c in candidates.iter().filter(|c| c.kind != TopicKind::Word) {
        for stem in &c.stems {
            wider.entry(stem.as_str()).or_default().push(&c.entries);
        }
    }
    let subsumed: Vec<bool> = candidates
        .iter()
        .map(|c| {
            c.kind == TopicKind::Word
                && (c.stems.iter().filter_map(|s| wider.get(s.as_str())))
                    .flatten()
                    .any(|entries| holds_all(entries, &c.entries))
        })
        .collect();
    candidates.into_iter().zip(subsumed).filter(|(_, s)| !s).map(|(c, _)| c).collect()
}

/// Whether sorted `wider` holds every one of sorted `narrower`.
fn holds_all(wider: &[usize], narrower: &[usize]) -> bool {
    let mut rest = wider.iter();
    narrower.iter().all(|n| rest.by_ref().any(|w| w == n))
}

/// How many entries of the weeks before held the candidate, and whether that is the whole count;
/// `None` when it was not looked up. A phrase counts the entries holding both its words: what the
/// index can tell, and never fewer than held the phrase, so a phrase is new only when it surely is.
fn held_before(c: &Candidate, before: &Before) -> Option<(usize, bool)> {
    match c.terms.as_slice() {
        [term] => before.held.get(term).map(|h| (h.entries.len(), !h.more)),
        [first, second] => {
            let (a, b) = (before.held.get(first)?, before.held.get(second)?);
            if a.more || b.more {
                // A common word: the phrase was held at most as often as its rarer word, and how
                // often exactly is not known.
                return Some((a.entries.len().min(b.entries.len()), false));
            }
            let of_a: HashSet<EntryId> = a.entries.iter().copied().collect();
            Some((b.entries.iter().filter(|e| of_a.contains(e)).count(), true))
        }
        _ => None,
    }
}

/// `weekly`: the average of the weeks before, `None` when it was not fully counted.
fn trend(now: usize, before: usize, weekly: Option<f64>) -> Trend {
    match weekly {
        Some(_) if before == 0 => Trend::New,
        Some(w) if now as f64 >= 2.0 * w && now as f64 >= w + 2.0 => Trend::Rising,
        _ => Trend::Steady,
    }
}

/// What a candidate is worth before the weeks before are known: its spread and its rarity in the
/// week, weighted by kind.
fn promise(c: &Candidate, week: usize) -> f64 {
    let rarity = ((week + 1) as f64 / c.entries.len() as f64).ln();
    c.kind.weight() * (c.people + c.teams) as f64 * rarity
}

/// The stems a topic speaks of: a tag's own words as well, so `#open-access` and "access" are one
/// thing to the reader.
fn stems(kind: TopicKind, terms: &[Term]) -> Vec<String> {
    let mut out: Vec<String> = terms.iter().map(|t| t.as_str().to_string()).collect();
    if kind == TopicKind::Tag {
        if let Some(tag) = terms.first().and_then(|t| t.as_str().strip_prefix('#')) {
            out.extend(words(tag).into_iter().map(|w| w.term.as_str().to_string()));
        }
    }
    out
}

/// The entry's distinct topics: its tags always; its words and phrases where the guild lets the
/// digest quote notes. Words are those the term index keeps for it.
fn spoken(e: &Entry, sharing: Sharing) -> Vec<Spoken> {
    let note = if sharing.excerpts { e.note.as_str() } else { "" };
    let mut out: Vec<Spoken> = of_entry(note, &e.tags)
        .into_iter()
        .map(|w| Spoken {
            key: w.term.as_str().to_string(),
            kind: if w.term.is_tag() { TopicKind::Tag } else { TopicKind::Word },
            shown: w.shown,
            terms: vec![w.term],
        })
        .collect();
    let mut seen = HashSet::new();
    for p in phrases(note) {
        let key = p.key();
        if seen.insert(key.clone()) {
            let [first, second] = p.terms;
            out.push(Spoken { key, kind: TopicKind::Phrase, shown: p.shown, terms: vec![first, second] });
        }
    }
    out
}

#[cfg(test)]
mod tests;
