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

use super::model::Sharing;
pub use super::model::{AcrossTopic, TopicEntry, TopicKind, Trend};
use crate::domain::department::DepartmentKey;
use crate::domain::entry::Entry;
use crate::domain::fast_map::FastMap;
use crate::domain::ids::{EntryId, UserId};
use crate::domain::partner::PartnerId;
use crate::domain::privacy::Share;
use crate::domain::stats::DepartmentEntries;
use crate::domain::tag::Tag;
use crate::domain::terms::{runs, word_of, words, Term, Word, MAX_TERMS};
use crate::domain::text::fold;

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
    /// [`promise`], once worked out.
    promise: f64,
}

/// Each distinct term of the week under a number, with how it was first written, and what each
/// run of a note and each tag came to, so that a word said a thousand times is made once.
#[derive(Default)]
struct Vocabulary {
    ids: FastMap<Term, u32>,
    words: Vec<Word>,
    /// By the run as [`word_of`] folds it; `None`: not a word worth comparing.
    runs: FastMap<String, Option<u32>>,
    tags: FastMap<String, u32>,
    folded: String,
}

impl Vocabulary {
    fn id(&mut self, word: Word) -> u32 {
        if let Some(&id) = self.ids.get(&word.term) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(word.term.clone(), id);
        self.words.push(word);
        id
    }

    /// The word a run of a note is, as [`word_of`] makes it.
    fn run(&mut self, raw: &str) -> Option<u32> {
        let owned;
        let key = if raw.is_ascii() {
            self.folded.clear();
            self.folded.push_str(raw);
            self.folded.make_ascii_lowercase();
            self.folded.as_str()
        } else {
            owned = fold(raw);
            owned.as_str()
        };
        if let Some(&id) = self.runs.get(key) {
            return id;
        }
        let key = key.to_string();
        let id = word_of(raw).map(|w| self.id(w));
        self.runs.insert(key, id);
        id
    }

    fn tag(&mut self, tag: &Tag) -> u32 {
        if let Some(&id) = self.tags.get(tag.as_str()) {
            return id;
        }
        let id = self.id(Word { term: Term::tag(tag), shown: format!("#{}", tag.as_str()) });
        self.tags.insert(tag.as_str().to_string(), id);
        id
    }
}

/// A phrase of the week: its two runs as first written, its first entry, the entries after it.
type PhraseSaid<'a> = (&'a str, &'a str, usize, Vec<usize>);

/// A run of a note as read: the word it is (its number and how it was written), if any, and
/// whether only a space or a hyphen came before it.
type Run<'a> = (Option<(u32, &'a str)>, bool);

/// Notes that entry `i` said term `id`; whether it had not yet.
fn mark(said: &mut Vec<Vec<usize>>, id: u32, i: usize) -> bool {
    let id = id as usize;
    if said.len() <= id {
        said.resize_with(id + 1, Vec::new);
    }
    if said[id].last() == Some(&i) {
        return false;
    }
    said[id].push(i);
    true
}

/// The week's topics heard across teams, before they are weighed against the weeks before.
pub struct Week {
    /// The week's entries that make topics, oldest first.
    entries: Vec<TopicEntry>,
    candidates: Vec<Candidate>,
}

impl Week {
    /// `departments`: the week's entries as the digest groups them (an entry in the group of each
    /// of its departments); `teams`: the guild's partners of kind team.
    pub fn of(departments: &[DepartmentEntries], teams: &HashSet<PartnerId>, sharing: Sharing) -> Week {
        // A 10,000-entry week holds about a million words and phrases: each is counted under a
        // number, and only those heard twice become candidates, so the section stays well inside
        // the digest's time.
        let mut places: HashMap<Team, u32> = HashMap::new();
        let mut place = |t: Team| {
            let next = places.len() as u32;
            *places.entry(t).or_insert(next)
        };
        let mut at: HashMap<EntryId, usize> = HashMap::new();
        let mut heard: Vec<(&Entry, Vec<u32>)> = Vec::new();
        for group in departments {
            let id = place(Team::Department(group.department.clone()));
            for e in group.entries.iter().filter(|e| e.share == Share::Team && e.expired_at.is_none()) {
                let i = *at.entry(e.id).or_insert_with(|| {
                    heard.push((e, Vec::new()));
                    heard.len() - 1
                });
                heard[i].1.push(id);
            }
        }
        heard.sort_by_key(|(e, _)| (e.occurred_at, e.id));
        for (e, at) in &mut heard {
            for p in e.partner_ids().filter(|p| teams.contains(p)) {
                at.push(place(Team::Partner(p)));
            }
        }
        let mut vocabulary = Vocabulary::default();
        let mut said: Vec<Vec<usize>> = Vec::new();
        // Every word each entry said, past what the index keeps, with what came before it.
        let mut said_anywhere: Vec<Vec<usize>> = Vec::new();
        // Every entry's runs one after another; entry i's are `read[starts[i]..starts[i + 1]]`.
        let mut read: Vec<Run> = Vec::new();
        let mut starts: Vec<usize> = Vec::with_capacity(heard.len() + 1);
        for (i, (e, _)) in heard.iter().enumerate() {
            starts.push(read.len());
            let note = if sharing.excerpts { e.note.as_str() } else { "" };
            // As `of_entry` keeps them: the first distinct words, room left for the tags.
            let room = MAX_TERMS.saturating_sub(e.tags.len().min(MAX_TERMS));
            let mut kept = 0;
            for (raw, joined) in runs(note) {
                let word = raw.and_then(|raw| vocabulary.run(raw).map(|id| (id, raw)));
                if let Some((id, _)) = word {
                    mark(&mut said_anywhere, id, i);
                    if kept < room && mark(&mut said, id, i) {
                        kept += 1;
                    }
                }
                read.push((word, joined));
            }
            for tag in &e.tags {
                let id = vocabulary.tag(tag);
                mark(&mut said, id, i);
            }
        }
        let spread = |entries: &[usize]| -> Option<(usize, usize)> {
            if entries.len() < 2 {
                return None;
            }
            let mut people: Vec<UserId> = entries.iter().map(|&i| heard[i].0.author.id).collect();
            people.sort_unstable();
            people.dedup();
            let mut teams: Vec<u32> = entries.iter().flat_map(|&i| heard[i].1.iter().copied()).collect();
            teams.sort_unstable();
            teams.dedup();
            (people.len() >= 2 && teams.len() >= 2).then_some((people.len(), teams.len()))
        };
        // A phrase is heard across teams only where both its words are: most of a busy week's
        // hundreds of thousands of phrases are never counted.
        let crossing: Vec<bool> =
            said_anywhere.iter().map(|entries| crosses_teams(&heard, entries)).collect();
        let crosses = |id: u32| crossing.get(id as usize).copied().unwrap_or(false);
        starts.push(read.len());
        // A phrase's first entry is kept apart from the rest: most phrases of a week are said in
        // one entry only, and so allocate nothing.
        let mut paired: FastMap<(u32, u32), PhraseSaid> = FastMap::default();
        for (i, at) in starts.windows(2).enumerate() {
            let mut previous: Option<(u32, &str)> = None;
            for &(word, joined) in &read[at[0]..at[1]] {
                let Some((id, raw)) = word else {
                    previous = None;
                    continue;
                };
                if let Some((first, first_raw)) = previous.filter(|_| joined) {
                    if crosses(first) && crosses(id) {
                        let (_, _, once, more) =
                            paired.entry((first, id)).or_insert((first_raw, raw, i, Vec::new()));
                        // A phrase said twice in one note is one entry.
                        if *more.last().unwrap_or(once) != i {
                            more.push(i);
                        }
                    }
                }
                previous = Some((id, raw));
            }
        }
        let mut candidates: Vec<Candidate> = Vec::new();
        for (id, entries) in said.into_iter().enumerate() {
            if !crosses_teams(&heard, &entries) {
                continue;
            }
            let Some((people, teams)) = spread(&entries) else { continue };
            let word = &vocabulary.words[id];
            let kind = if word.term.is_tag() { TopicKind::Tag } else { TopicKind::Word };
            let terms = vec![word.term.clone()];
            candidates.push(Candidate {
                kind,
                stems: stems(kind, &terms),
                terms,
                shown: word.shown.clone(),
                entries,
                people,
                teams,
                promise: 0.0,
            });
        }
        for ((first, second), (first_raw, second_raw, once, more)) in paired {
            if more.is_empty() {
                continue;
            }
            let mut entries = more;
            entries.insert(0, once);
            if !crosses_teams(&heard, &entries) {
                continue;
            }
            let Some((people, teams)) = spread(&entries) else { continue };
            let shown = format!("{first_raw} {second_raw}");
            let terms = vec![
                vocabulary.words[first as usize].term.clone(),
                vocabulary.words[second as usize].term.clone(),
            ];
            candidates.push(Candidate {
                kind: TopicKind::Phrase,
                stems: stems(TopicKind::Phrase, &terms),
                terms,
                shown,
                entries,
                people,
                teams,
                promise: 0.0,
            });
        }
        let mut candidates = without_subsumed_words(candidates);
        let week = heard.len();
        for c in &mut candidates {
            c.promise = promise(c, week);
        }
        // The most promising first: what the store is asked about, and a stable order for ties.
        candidates.sort_by(|a, b| b.promise.total_cmp(&a.promise).then_with(|| a.shown.cmp(&b.shown)));
        let mut named: Vec<Option<&DepartmentKey>> = vec![None; places.len()];
        for (t, &id) in &places {
            if let Team::Department(d) = t {
                named[id as usize] = Some(d);
            }
        }
        let entries = heard
            .iter()
            .map(|(e, at)| TopicEntry {
                entry: e.id,
                departments: at.iter().filter_map(|&id| named[id as usize].cloned()).collect(),
                teams: (e.partners.iter().filter(|p| teams.contains(&p.id)))
                    .map(|p| p.name.as_str().to_string())
                    .collect(),
            })
            .collect();
        Week { entries, candidates }
    }

    /// The week without single-word topics among `names` (the words of the department names):
    /// phrases and tags holding them stay ("English literature", `#english-phd`).
    pub fn leaving_out(mut self, names: &HashSet<Term>) -> Week {
        self.candidates.retain(|c| c.kind != TopicKind::Word || !c.terms.iter().all(|t| names.contains(t)));
        self
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

/// Whether `entries` (of `heard`) have two authors and two teams between them: [`Week::of`]'s
/// spread, asked of every word of a week, so without counting or allocating.
fn crosses_teams(heard: &[(&Entry, Vec<u32>)], entries: &[usize]) -> bool {
    let Some(&first) = entries.first() else { return false };
    let author = heard[first].0.author.id;
    let mut teams = entries.iter().flat_map(|&i| heard[i].1.iter().copied());
    let Some(team) = teams.next() else { return false };
    entries.iter().any(|&i| heard[i].0.author.id != author) && teams.any(|t| t != team)
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

#[cfg(test)]
mod tests;
