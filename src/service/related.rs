//! Who else heard this: entries by other people about the same thing as a given one, found by what
//! they are about (the distinctive words and tags they share, `domain::terms`), across every
//! department and partner of the guild. What "close enough" means is `score`'s.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};

use super::entries::{show_to, Actor};
use super::ServiceResult;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::domain::terms::{of_entry, words, Term};
use crate::domain::time_range::TimeRange;
use crate::store::{Store, Stored, MAX_LOOKUP_TERMS};

pub mod score;

/// How many colleagues' entries a confirmation lists as "who else heard this".
pub const RELATED: usize = 3;

/// How many entries `/search similar` and `liaison search --similar` list: a page.
pub const SIMILAR: usize = 10;

/// How far back an entry's connections are looked for: what was heard in the last six months is
/// what a colleague still acts on, and rarity is measured over the same window.
pub const WINDOW_DAYS: i64 = 180;

/// The most entries listed for one term. A term held by more in the window is common (the store
/// says so) and weighs nothing, so the work of one lookup is bounded at any size.
pub const POSTINGS_CAP: u32 = 200;

/// Rarity is measured against at most this many entries: beyond it, a term listed at all (at most
/// [`POSTINGS_CAP`] entries) is rare anyway, and counting further costs time for nothing.
pub const CORPUS_CAP: u64 = 100_000;

/// How many of the best candidates are read at a time: enough that the author's own entries
/// (which match their new one best) do not leave the list short.
const READ_BATCH: usize = 24;

/// How many batches are read at most; past them, what is left is weaker than what was shown.
const READ_ROUNDS: usize = 3;

/// An entry about the same thing, and why it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub entry: Entry,
    /// What the two share, as the given entry wrote it ("EEBO", "#phd"), most telling first.
    pub shared: Vec<String>,
}

/// Up to `n` entries by colleagues (not `entry`'s author) about the same thing as `entry`, best
/// first, from the [`WINDOW_DAYS`] before it (or before `now`, if earlier) up to `now`. Only the
/// team's entries are candidates: a private entry is never shown to anyone as related (an admin's
/// confirmation included, which may be on a shared screen); a private entry may still find the
/// team's. Empty when nothing is close enough.
pub async fn related(
    store: &dyn Store,
    rules: &Rules,
    entry: &Entry,
    n: usize,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Related>> {
    if n == 0 || entry.expired_at.is_some() {
        return Ok(Vec::new());
    }
    let mut words = of_entry(entry.note.as_str(), &entry.tags);
    words.truncate(MAX_LOOKUP_TERMS);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let window = window(entry, now);
    let terms: Vec<Term> = words.iter().map(|w| w.term.clone()).collect();
    let postings = store.entries_with_terms(entry.guild, &terms, &window, POSTINGS_CAP).await?;
    let indexed = store.indexed_entries(entry.guild, &window, CORPUS_CAP).await?;
    let ranked = score::rank(entry.id, &words, &postings, indexed, &background(rules, entry.note.as_str()));

    let mut found: Vec<Related> = Vec::new();
    for batch in ranked.chunks(READ_BATCH).take(READ_ROUNDS) {
        let ids: Vec<EntryId> = batch.iter().map(|s| s.id).collect();
        let mut read: Vec<Entry> = store
            .entries_with_ids(&ids)
            .await?
            .into_iter()
            .filter_map(|s| match s {
                Stored::Entry(e) => Some(e),
                // Logged by the store as it was read; a connection is not worth more than that.
                Stored::Unreadable(_) => None,
            })
            .collect();
        for scored in batch {
            let Some(at) = read.iter().position(|e| e.id == scored.id) else { continue };
            let candidate = read.swap_remove(at);
            if is_colleagues(entry, &candidate) {
                found.push(Related { entry: candidate, shared: scored.shared.clone() });
                if found.len() == n {
                    return Ok(found);
                }
            }
        }
    }
    Ok(found)
}

/// `/search similar`: entry `id` as `viewer` may see it (another member's private entry is, to
/// anyone but an admin, one that does not exist), and up to [`SIMILAR`] colleagues' entries most
/// like it, by the same rules as [`related`].
pub async fn similar(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    id: EntryId,
    viewer: Actor,
    now: DateTime<Utc>,
) -> ServiceResult<(Entry, Vec<Related>)> {
    let entry = show_to(store, guild, id, viewer).await?;
    let found = related(store, rules, &entry, SIMILAR, now).await?;
    Ok((entry, found))
}

/// The words of the department names `note` spells out in full ("Computer Science students",
/// "Law", "Nursing and Midwifery", or "Nursing" where that is an alias): who asked, not what about
/// (`score::rank`'s background). Other aliases are left out: they are free text ("teacher
/// training", "statistics") and often a topic too.
pub fn background(rules: &Rules, note: &str) -> HashSet<Term> {
    let said: Vec<Term> = words(note).into_iter().map(|w| w.term).collect();
    let terms = |text: &str| -> Vec<Term> { of_entry(text, &[]).into_iter().map(|w| w.term).collect() };
    let mut out = HashSet::new();
    for d in rules.departments.iter() {
        let name = terms(d.name());
        let short = d.aliases().iter().map(|a| terms(a.as_str())).filter(|a| name.starts_with(a));
        for spelt in std::iter::once(name.clone()).chain(short) {
            if !spelt.is_empty() && said.windows(spelt.len()).any(|run| run == spelt.as_slice()) {
                out.extend(spelt);
            }
        }
    }
    out
}

/// The window connections are looked for in: [`WINDOW_DAYS`] before the entry (or before `now`,
/// for an entry dated later), up to and including `now`.
fn window(entry: &Entry, now: DateTime<Utc>) -> TimeRange {
    let from = entry.occurred_at.min(now) - Duration::days(WINDOW_DAYS);
    // Half-open: an entry captured at `now` itself is inside.
    TimeRange::new(from, now + Duration::seconds(1))
}

/// Whether `candidate` may be shown as a colleague's connection to `entry`: another person's,
/// shared with the team, in the same guild, its text still kept.
fn is_colleagues(entry: &Entry, candidate: &Entry) -> bool {
    candidate.id != entry.id
        && candidate.guild == entry.guild
        && candidate.author.id != entry.author.id
        && candidate.share == Share::Team
        && candidate.expired_at.is_none()
}
