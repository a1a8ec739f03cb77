//! One department's week, summarised: a busy department shows its counts, channels, top tags and
//! a few telling notes, never every entry.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use super::model::{ChannelCount, DepartmentSummary, NoteItem, Sharing, TagCount};
use crate::domain::channel::{Channel, ChannelKey};
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::note::Note;
use crate::domain::stats::DepartmentEntries;

/// Notes shown under a department; the rest are counted ("+N more").
pub const NOTES_SHOWN: usize = 3;
pub const TOP_TAGS: usize = 5;

/// `name`: what the department is called. Every entry is counted; only those the guild lets the
/// digest quote can be among the notes.
pub(crate) fn summarise(
    group: &DepartmentEntries,
    name: &str,
    channels: &[Channel],
    sharing: Sharing,
) -> DepartmentSummary {
    let entries = &group.entries;
    let notes = telling(entries, channels, sharing);
    DepartmentSummary {
        department: name.to_string(),
        entries: entries.len() as u64,
        informal: entries.iter().filter(|e| e.informal).count() as u64,
        contributors: entries.iter().map(|e| e.author.id).collect::<HashSet<_>>().len() as u64,
        channels: channel_counts(entries, channels),
        top_tags: top_tags(entries),
        more: (entries.len() - notes.len()) as u64,
        notes,
    }
}

fn channel_name(channels: &[Channel], key: &ChannelKey) -> String {
    channels
        .iter()
        .find(|c| c.key() == key)
        .map_or_else(|| key.as_str().to_string(), |c| c.name().to_string())
}

fn channel_counts(entries: &[Entry], channels: &[Channel]) -> Vec<ChannelCount> {
    let mut counts: HashMap<&ChannelKey, (u64, bool)> = HashMap::new();
    for e in entries {
        let c = counts.entry(&e.channel).or_insert((0, e.informal));
        c.0 += 1;
    }
    let mut out: Vec<ChannelCount> = counts
        .into_iter()
        .map(|(key, (count, entry_informal))| {
            // The catalogue says how a channel reads today; an unknown key falls back to what
            // its entries recorded.
            let known = channels.iter().find(|c| c.key() == key);
            ChannelCount {
                key: key.as_str().to_string(),
                name: channel_name(channels, key),
                informal: known.map_or(entry_informal, Channel::informal),
                count,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    out
}

fn top_tags(entries: &[Entry]) -> Vec<TagCount> {
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for tag in entries.iter().flat_map(|e| &e.tags) {
        *counts.entry(tag.as_str()).or_default() += 1;
    }
    let mut out: Vec<TagCount> =
        counts.into_iter().map(|(tag, count)| TagCount { tag: tag.to_string(), count }).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.tag.cmp(&b.tag)));
    out.truncate(TOP_TAGS);
    out
}

/// How much an entry says at a glance: a promise to act says most, tags mean someone sorted it,
/// and a note of a few sentences beats both a two-word one and a pasted email.
fn score(e: &Entry) -> u8 {
    let follow_up = match &e.follow_up {
        Some(f) if f.status == FollowUpStatus::Open => 4,
        Some(_) => 2,
        None => 0,
    };
    let tags = if e.tags.is_empty() { 0 } else { 2 };
    // Bytes, not characters: a ranking needs no precision, and this runs on every entry.
    let length = match e.note.as_str().len() {
        0..=29 => 0,
        30..=79 => 2,
        80..=600 => 3,
        601..=1500 => 1,
        _ => 0,
    };
    follow_up + tags + length
}

/// The [`NOTES_SHOWN`] most telling entries that may be quoted, best first; among equals the
/// newest.
fn telling(entries: &[Entry], channels: &[Channel], sharing: Sharing) -> Vec<NoteItem> {
    let key = |e: &Entry| (Reverse(score(e)), Reverse(e.occurred_at), Reverse(e.id));
    // A partial selection: a department with thousands of entries is not sorted whole.
    let mut best: Vec<(&Entry, Note)> = Vec::with_capacity(NOTES_SHOWN + 1);
    for (e, note) in entries.iter().filter_map(|e| sharing.note_of(e).map(|n| (e, n))) {
        let at = best.partition_point(|(b, _)| key(b) <= key(e));
        if at < NOTES_SHOWN {
            best.insert(at, (e, note));
            best.truncate(NOTES_SHOWN);
        }
    }
    best.into_iter()
        .map(|(e, note)| NoteItem {
            entry: e.id,
            author: sharing.names.then(|| e.author.name.clone()),
            channel: channel_name(channels, &e.channel),
            occurred_at: e.occurred_at,
            note,
            tags: e.tags.iter().map(|t| t.as_str().to_string()).collect(),
            follow_up_due: e.follow_up.as_ref().filter(|f| f.status == FollowUpStatus::Open).map(|f| f.due),
        })
        .collect()
}
