//! Building a digest: a pure function of the input, so tests give it a fixed clock.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::department::summarise;
use super::model::{
    AcrossEntry, AcrossItem, Change, Digest, DigestInput, FollowUpItem, FollowUps, HandOffs, Headline,
    ImpactItem, PartnerCount, Partners, PreviousPeriod, QuietDepartment, QuietDepartments, QuietPartner,
    WaitingHandOff, ACROSS_ENTRIES_LISTED, QUIET_DEPARTMENTS_LISTED,
};
use crate::domain::department::DepartmentKey;
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::ids::EntryId;
use crate::domain::privacy::Share;
use crate::domain::stats::LastHeard;

/// "Due soon" is today and the six days after: the week until the next digest.
pub const DUE_SOON_DAYS: i64 = 7;

/// The digest for the input's period, or `None` for an empty period the guild does not want
/// posted.
pub fn build(input: &DigestInput) -> Option<Digest> {
    // A cross-disciplinary entry is in the group of each department it names: the headline counts
    // it once.
    let distinct: HashMap<EntryId, &Entry> =
        input.departments.iter().flat_map(|d| &d.entries).map(|e| (e.id, e)).collect();
    let entries = distinct.len() as u64;
    // Impact marked in a week without entries is still worth telling.
    if entries == 0 && input.impact.is_empty() && !input.post_empty_weeks {
        return None;
    }
    let today = input.now.with_timezone(&input.timezone).date_naive();
    let mut departments: Vec<_> = input
        .departments
        .iter()
        .filter(|d| !d.entries.is_empty())
        .map(|d| summarise(d, input.names.of(&d.department), &input.channels, input.sharing))
        .collect();
    departments.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.department.cmp(&b.department)));
    let heard: HashSet<&DepartmentKey> =
        input.departments.iter().filter(|d| !d.entries.is_empty()).map(|d| &d.department).collect();
    let quiet = quiet(input, &heard);
    Some(Digest {
        guild: input.guild,
        period: input.period.clone(),
        generated_at: input.now,
        timezone: input.timezone,
        today,
        headline: headline(input, &distinct, heard.len() as u64),
        departments,
        follow_ups: follow_ups(input, today),
        quiet,
        sharing: input.sharing,
        hand_offs: hand_offs(input),
        partners: partners(input),
        impact: impact(input),
        events: input.events.clone(),
        across: across(input, &distinct),
        dates: input.dates,
    })
}

/// The topics heard across teams, naming people only where the guild does.
fn across(input: &DigestInput, distinct: &HashMap<EntryId, &Entry>) -> Vec<AcrossItem> {
    input
        .across
        .iter()
        .map(|t| AcrossItem {
            topic: t.shown.clone(),
            kind: t.kind,
            trend: t.trend,
            count: t.entries.len() as u64,
            weekly_before: t.weekly_before,
            entries: t
                .entries
                .iter()
                .take(ACROSS_ENTRIES_LISTED)
                .map(|e| AcrossEntry {
                    entry: e.entry,
                    author: distinct
                        .get(&e.entry)
                        .filter(|_| input.sharing.names)
                        .map(|entry| entry.author.name.clone()),
                    heard_in: (e.departments.iter().map(|d| input.names.of(d).to_string()))
                        .chain(e.teams.iter().cloned())
                        .collect(),
                })
                .collect(),
            more: t.entries.len().saturating_sub(ACROSS_ENTRIES_LISTED) as u64,
        })
        .collect()
}

/// The period's impact stories, telling what the guild's sharing lets the digest tell.
fn impact(input: &DigestInput) -> Vec<ImpactItem> {
    let sharing = input.sharing;
    input
        .impact
        .iter()
        .map(|line| ImpactItem {
            entry: line.story.entry,
            outcome: (sharing.excerpts && line.share == Share::Team).then(|| line.story.outcome.clone()),
            objective: line.story.objective.as_str().to_string(),
            departments: line.departments.iter().map(|d| input.names.of(d).to_string()).collect(),
            evidence: line.story.evidence.as_ref().map(|e| e.as_str().to_string()),
            marked_by: sharing.names.then_some(line.story.marked_by),
        })
        .collect()
}

fn hand_offs(input: &DigestInput) -> HandOffs {
    let h = &input.hand_offs;
    HandOffs {
        made: h.made,
        taken: h.taken,
        waiting: h
            .waiting
            .iter()
            .map(|w| WaitingHandOff {
                entry: w.entry,
                department: input.names.of(&w.department).to_string(),
                made_at: w.made_at,
                unreached: w.unreached,
            })
            .collect(),
    }
}

/// Partners heard from, new and gone quiet; owners named only where the guild names people.
fn partners(input: &DigestInput) -> Partners {
    let p = &input.partners;
    let names = input.sharing.names;
    let mut quiet: Vec<QuietPartner> = p
        .quiet
        .iter()
        .map(|q| QuietPartner {
            name: q.partner.name.as_str().to_string(),
            owner: q.owner.filter(|_| names),
            last_contact: q.last_contact,
        })
        .collect();
    // `None` sorts first: never heard from, then the longest silent.
    quiet.sort_by(|a, b| a.last_contact.cmp(&b.last_contact).then_with(|| a.name.cmp(&b.name)));
    let mut heard: Vec<PartnerCount> = p
        .heard
        .iter()
        .map(|(link, n)| PartnerCount { name: link.name.as_str().to_string(), entries: *n })
        .collect();
    heard.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.name.cmp(&b.name)));
    Partners {
        heard,
        new: p.created.iter().map(|l| l.name.as_str().to_string()).collect(),
        quiet_more: p.quiet_total.saturating_sub(quiet.len() as u64),
        quiet,
        quiet_after_weeks: p.quiet_after_weeks,
    }
}

/// `distinct`: the period's entries, each once.
fn headline(input: &DigestInput, distinct: &HashMap<EntryId, &Entry>, departments: u64) -> Headline {
    let entries = distinct.len() as u64;
    let all = || distinct.values().copied();
    let contributors = all().map(|e| e.author.id).collect::<HashSet<_>>().len() as u64;
    let informal = all().filter(|e| e.informal).count() as u64;
    let informal_share = share(informal, entries);
    let previous: PreviousPeriod = input.previous;
    let catalogue = input.catalogue.iter().collect::<HashSet<_>>().len() as u64;
    Headline {
        entries,
        contributors,
        departments,
        catalogue,
        informal,
        informal_share,
        previous,
        change: Change {
            entries: signed(entries) - signed(previous.entries),
            contributors: signed(contributors) - signed(previous.contributors),
            informal_points: informal_share
                .zip(previous.informal_share)
                .map(|(now, before)| (now - before) * 100.0),
        },
    }
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Sorts open follow-ups by today's date in the guild's timezone: a follow-up due today is not
/// overdue until tomorrow.
fn follow_ups(input: &DigestInput, today: NaiveDate) -> FollowUps {
    let soon_until = today + Duration::days(DUE_SOON_DAYS);
    let mut out = FollowUps::default();
    let open = &input.open_follow_ups;
    for (entry, item) in open.iter().filter_map(|e| item(input, e, FollowUpStatus::Open).map(|i| (e, i))) {
        match entry.follow_up.as_ref() {
            Some(f) if f.is_overdue(today) => out.overdue.push(item),
            Some(f) if f.due < soon_until => out.due_soon.push(item),
            _ => out.later += 1,
        }
    }
    out.done = input.done_follow_ups.iter().filter_map(|e| item(input, e, FollowUpStatus::Done)).collect();
    out.overdue.sort_by_key(|i| (i.due, i.entry));
    out.due_soon.sort_by_key(|i| (i.due, i.entry));
    out.done.sort_by_key(|i| (i.done_at, i.entry));
    out
}

/// The entry's follow-up as a digest line, if it has one in the wanted state.
fn item(input: &DigestInput, e: &Entry, wanted: FollowUpStatus) -> Option<FollowUpItem> {
    let f = e.follow_up.as_ref().filter(|f| f.status == wanted)?;
    let names = input.sharing.names;
    Some(FollowUpItem {
        entry: e.id,
        department: input.names.of(&e.department).to_string(),
        owner: names.then_some(f.owner),
        owner_name: (names && f.owner == e.author.id).then(|| e.author.name.clone()),
        due: f.due,
        done_at: f.done_at,
        note: input.sharing.note_of(e),
    })
}

/// Served catalogue departments not heard from in `quiet_after_weeks`, the longest quiet first,
/// the first few listed and the rest counted. One never heard from has been quiet since the
/// guild's first entry: on a new server nobody is quiet yet. Departments that left the catalogue,
/// or that the library does not serve, are not listed: nobody is expected to hear from them.
fn quiet(input: &DigestInput, heard_now: &HashSet<&DepartmentKey>) -> QuietDepartments {
    let cutoff = input.now - Duration::weeks(i64::from(input.quiet_after_weeks));
    let last = latest(&input.last_heard);
    let not_served: HashSet<&DepartmentKey> = input.not_served.iter().collect();
    let mut seen = HashSet::new();
    let mut quiet: Vec<(DateTime<Utc>, String, Option<DateTime<Utc>>)> = input
        .catalogue
        .iter()
        .filter(|d| !heard_now.contains(d) && !not_served.contains(d) && seen.insert(*d))
        .filter_map(|d| {
            let last_heard = last.get(d).copied();
            let since = last_heard.or(input.first_heard)?;
            (since < cutoff).then(|| (since, input.names.of(d).to_string(), last_heard))
        })
        .collect();
    quiet.sort();
    let more = quiet.len().saturating_sub(QUIET_DEPARTMENTS_LISTED) as u64;
    let departments = quiet
        .into_iter()
        .take(QUIET_DEPARTMENTS_LISTED)
        .map(|(_, department, last_heard)| QuietDepartment {
            department,
            last_heard,
            weeks: last_heard.map(|at| (input.now - at).num_weeks()),
        })
        .collect();
    QuietDepartments { after_weeks: input.quiet_after_weeks, departments, more }
}

fn latest(last_heard: &[LastHeard]) -> HashMap<&DepartmentKey, DateTime<Utc>> {
    let mut map: HashMap<&DepartmentKey, DateTime<Utc>> = HashMap::new();
    for l in last_heard {
        let at = map.entry(&l.department).or_insert(l.at);
        *at = (*at).max(l.at);
    }
    map
}
