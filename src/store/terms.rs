//! The terms each entry is about (`domain::terms`), kept beside the entries so that entries about
//! the same thing can be found without reading notes: "who else heard this", `/search similar`
//! and the digest's "Heard across teams".
//!
//! Only what others may see is indexed: a team entry's terms, while its note is kept. A private
//! entry, an expired note and an erased one hold no terms, so they never match. Every write path
//! that changes a note, its tags, its date or its share keeps its terms in step, in the same
//! transaction. Entries written before the index existed, or by an older [`TERMS_VERSION`], are
//! indexed by [`TermStore::index_stale_terms`].
//!
//! [`TERMS_VERSION`]: crate::domain::terms::TERMS_VERSION

use async_trait::async_trait;

use super::StoreResult;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::privacy::Share;
use crate::domain::tag::Tag;
use crate::domain::terms::{self, Term};
use crate::domain::time_range::TimeRange;

/// The most terms one lookup asks about.
pub const MAX_LOOKUP_TERMS: usize = 64;

/// The terms an entry is indexed under, as every backend stores them: none for a private entry
/// (never shown to others as related) nor for a note cleared by retention (expired text does not
/// match); otherwise its note's and tags' terms (`domain::terms::of_entry`). The one place that
/// says which entries the index holds.
pub fn indexed_terms(note: &str, tags: &[Tag], share: Share, expired: bool) -> Vec<Term> {
    if share != Share::Team || expired {
        return Vec::new();
    }
    terms::of_entry(note, tags).into_iter().map(|w| w.term).collect()
}

/// The entries that hold one term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postings {
    pub term: Term,
    /// Newest first (by when they occurred, then by id), at most the lookup's cap.
    pub entries: Vec<EntryId>,
    /// More entries than the cap hold it: the term is common in the window.
    pub more: bool,
}

#[async_trait]
pub trait TermStore: Send + Sync {
    /// For each of `terms` (at most [`MAX_LOOKUP_TERMS`], in the order given, every one answered,
    /// an empty list when none), the indexed entries of `guild` that occurred in `window` and hold
    /// it, newest first, at most `cap` of them.
    async fn entries_with_terms(
        &self,
        guild: GuildId,
        terms: &[Term],
        window: &TimeRange,
        cap: u32,
    ) -> StoreResult<Vec<Postings>>;

    /// How many indexed entries of `guild` occurred in `window`, counted up to `cap` (and `cap`
    /// when there are more): what a term's rarity is measured against. Cheap at a million entries.
    async fn indexed_entries(&self, guild: GuildId, window: &TimeRange, cap: u64) -> StoreResult<u64>;

    /// Indexes up to `batch` entries (newest first, any guild) whose terms are missing or were
    /// made by an older `TERMS_VERSION`; how many it indexed, 0 once every entry is current.
    async fn index_stale_terms(&self, batch: u32) -> StoreResult<u64>;
}

/// Each term's entries as a backend read them, up to `cap + 1` each in the order asked, made
/// postings: the one past the cap only says there are more.
pub(crate) fn postings(terms: &[Term], found: Vec<Vec<EntryId>>, cap: u32) -> Vec<Postings> {
    terms
        .iter()
        .zip(found)
        .map(|(term, mut entries)| {
            let more = entries.len() > cap as usize;
            entries.truncate(cap as usize);
            Postings { term: term.clone(), entries, more }
        })
        .collect()
}
