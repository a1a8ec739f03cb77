//! Gathering what a digest is built from: one guild, one period, from the store; and the digest
//! a guild would see for a week, built for a preview.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::privacy;
use super::settings::{current, schedule};
use super::ServiceResult;
use chrono_tz::Tz;

use crate::config::Config;
use crate::digest::{build, DepartmentNames, Digest, DigestInput, DigestPeriod, PreviousPeriod, Sharing};
use crate::digest::{AcrossTopic, Before, Held, Week, WEEKS_BEFORE};
use crate::digest::{PartnerInput, QuietPartnerInput};
use crate::domain::date_style::DateStyle;
use crate::domain::department::{DepartmentCatalogue, DepartmentKey};
use crate::domain::digest_settings::DigestSettings;
use crate::domain::entry::Entry;
use crate::domain::ids::GuildId;
use crate::domain::partner::{Partner, PartnerId, PartnerKind, PartnerStatus};
use crate::domain::stats::{CountBy, DepartmentEntries, LastHeard};
use crate::domain::terms::{of_entry, Term};
use crate::domain::time_range::TimeRange;
use crate::store::{EntryFilter, FollowUpFilter, ImpactDate, PartnerFilter, Store, MAX_LOOKUP_TERMS};

use super::hand_offs;

/// The most quiet partners read for a digest; it lists fewer, the longest silent first, and
/// counts the rest.
const QUIET_PARTNERS_READ: u32 = 200;

/// What a digest is read with besides the catalogues: a guild's own settings where it has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub timezone: Tz,
    pub quiet_after_weeks: u32,
    pub post_empty_weeks: bool,
    /// How the guild's locale writes dates.
    pub dates: DateStyle,
}

impl Reading {
    /// The config's defaults, for a guild without settings (and the command line).
    pub fn defaults(config: &Config) -> Self {
        Reading {
            timezone: config.rules.timezone,
            quiet_after_weeks: config.digest.quiet_after_weeks,
            post_empty_weeks: config.digest.post_empty_weeks,
            dates: DateStyle::default(),
        }
    }

    pub fn for_guild(config: &Config, settings: &DigestSettings) -> Self {
        Reading {
            timezone: settings.timezone,
            post_empty_weeks: settings.post_empty_weeks,
            ..Reading::defaults(config)
        }
    }
}

pub async fn gather(
    store: &dyn Store,
    config: &Config,
    reading: Reading,
    guild: GuildId,
    period: DigestPeriod,
    now: DateTime<Utc>,
) -> ServiceResult<DigestInput> {
    let range = period.range;
    let previous = TimeRange::new(range.start - (range.end - range.start), range.start);
    let before = EntryFilter { occurred: Some(previous), department: None };
    let formality = store.counts(guild, &before, CountBy::Formality).await?;
    let entries: u64 = formality.iter().map(|c| c.count).sum();
    let informal = formality.iter().find(|c| c.key == "informal").map_or(0, |c| c.count);
    let contributors = store.counts(guild, &before, CountBy::Author).await?.len() as u64;
    let catalogue = &config.rules.departments;
    let departments = by_department(catalogue, store.entries_by_department(guild, range).await?);
    // Read here so that every digest (posted, previewed, printed) shares only what the guild
    // allows.
    let sharing = Sharing::of(&privacy::settings::current(store, guild).await?);
    let names = department_words(&config.rules.departments);
    let across = heard_across(store, guild, range, &departments, sharing, &names).await?;
    let last_heard = last_heard(catalogue, store.last_heard(guild).await?);
    let open_follow_ups = store.open_follow_ups(guild, &FollowUpFilter::default()).await?;
    let done_follow_ups = store.follow_ups_done(guild, range).await?;
    // Marked in the period: an outcome is often known weeks after the entry.
    let impact = store.impact_stories_in(guild, ImpactDate::Marked, range.start, range.end).await?;
    let mut names = DepartmentNames::default();
    let keys = (departments.iter().map(|d| &d.department))
        .chain(last_heard.iter().map(|l| &l.department))
        .chain(open_follow_ups.iter().chain(&done_follow_ups).map(|e| &e.department))
        .chain(impact.iter().flat_map(|l| &l.departments))
        .chain(catalogue.iter().map(|d| d.key()));
    for key in keys {
        if !names.contains(key) {
            names.insert(key.clone(), catalogue.display_name(key));
        }
    }
    Ok(DigestInput {
        guild,
        now,
        timezone: reading.timezone,
        departments,
        previous: PreviousPeriod {
            entries,
            contributors,
            informal_share: (entries > 0).then(|| informal as f64 / entries as f64),
        },
        open_follow_ups,
        done_follow_ups,
        last_heard,
        catalogue: catalogue.iter().map(|d| d.key().clone()).collect(),
        not_served: super::departments::not_served(store, catalogue, guild).await?,
        first_heard: store.first_heard(guild).await?,
        names,
        quiet_after_weeks: reading.quiet_after_weeks,
        post_empty_weeks: reading.post_empty_weeks,
        dates: reading.dates,
        channels: config.rules.channels.iter().cloned().collect(),
        sharing,
        hand_offs: hand_offs::report(store, guild, range.start, range.end, now).await?,
        partners: partners(store, config, guild, range, now).await?,
        impact,
        events: super::events::digest_section(store, guild, (range.start, range.end), reading.timezone)
            .await?,
        period,
        across,
    })
}

/// The most partners of kind team read for a digest: a guild has a handful.
const TEAMS_READ: u32 = 500;
/// The most entries counted per term in the weeks before: enough to tell a rising topic from a
/// common one, cheap for a common word.
const HELD_BEFORE_CAP: u32 = 400;
/// What the weeks before are counted up to when weighing rarity.
const ENTRIES_BEFORE_CAP: u64 = 10_000_000;

/// The words of the catalogue's department names, as terms: "English" in "a lecturer in English"
/// says who asked, which the entry records anyway, and "Early English Books" is not the same
/// thing; as a topic on its own such a word only repeats the departments.
pub fn department_words(catalogue: &DepartmentCatalogue) -> HashSet<Term> {
    catalogue.iter().flat_map(|d| of_entry(d.name(), &[])).map(|w| w.term).collect()
}

/// "Heard across teams": the week's topics (`digest::across`), weighed against what the term
/// index holds for the four weeks before the period. `departments`: the period's entries as
/// [`gather`] groups them; `names`, the words of the guild's department names
/// ([`department_words`]), which make no topic on their own.
pub async fn heard_across(
    store: &dyn Store,
    guild: GuildId,
    range: TimeRange,
    departments: &[DepartmentEntries],
    sharing: Sharing,
    names: &HashSet<Term>,
) -> ServiceResult<Vec<AcrossTopic>> {
    let teams_filter = PartnerFilter { kind: Some(PartnerKind::Team), ..PartnerFilter::default() };
    let teams: HashSet<PartnerId> = store
        .partners(guild, &teams_filter, 0, TEAMS_READ)
        .await?
        .into_iter()
        .map(|s| s.partner.id)
        .collect();
    let week = Week::of(departments, &teams, sharing).leaving_out(names);
    let terms = week.lookup();
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let weeks_before = TimeRange::new(range.start - Duration::weeks(i64::from(WEEKS_BEFORE)), range.start);
    let mut before = Before {
        entries: store.indexed_entries(guild, &weeks_before, ENTRIES_BEFORE_CAP).await?,
        ..Before::default()
    };
    for chunk in terms.chunks(MAX_LOOKUP_TERMS) {
        for p in store.entries_with_terms(guild, chunk, &weeks_before, HELD_BEFORE_CAP).await? {
            before.held.insert(p.term, Held { entries: p.entries, more: p.more });
        }
    }
    Ok(week.topics(&before))
}

/// Partners heard from and created in the period, and active partners gone quiet by `now`.
async fn partners(
    store: &dyn Store,
    config: &Config,
    guild: GuildId,
    range: TimeRange,
    now: DateTime<Utc>,
) -> ServiceResult<PartnerInput> {
    let weeks = config.digest.partner_quiet_weeks;
    let heard = store.partners_heard(guild, range.start, range.end).await?;
    let created = store.partners_created(guild, range.start, range.end).await?;
    let filter = PartnerFilter {
        status: Some(PartnerStatus::Active),
        quiet_since: Some(now - chrono::Duration::weeks(i64::from(weeks))),
        ..PartnerFilter::default()
    };
    let quiet_total = store.count_partners(guild, &filter).await?;
    let quiet = store
        .partners(guild, &filter, 0, QUIET_PARTNERS_READ)
        .await?
        .into_iter()
        .map(|s| QuietPartnerInput {
            partner: s.partner.link(),
            owner: s.partner.profile.owner(),
            last_contact: s.last_contact.map(|c| c.at),
        })
        .collect();
    Ok(PartnerInput {
        heard,
        created: created.iter().map(Partner::link).collect(),
        quiet,
        quiet_total,
        quiet_after_weeks: weeks,
    })
}

/// Which digest a preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewWeek {
    /// The period of the next post: this week so far.
    ThisWeek,
    /// The period of the latest post due.
    LastWeek,
}

/// The digest a guild's schedule covers in `week`, read with the guild's settings; `None` when
/// there is nothing to show. A preview someone asked for is built even for a quiet week the
/// guild would not post.
pub async fn preview(
    store: &dyn Store,
    config: &Config,
    guild: GuildId,
    week: PreviewWeek,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Digest>> {
    let (settings, _) = current(store, &config.digest, config.rules.timezone, guild).await?;
    let occurrence = match week {
        PreviewWeek::ThisWeek => schedule(&settings).next_due(now),
        PreviewWeek::LastWeek => schedule(&settings).latest_due(now),
    };
    let dates = super::locales::dates(store, guild).await;
    let reading = Reading { post_empty_weeks: true, dates, ..Reading::for_guild(config, &settings) };
    let input = gather(store, config, reading, guild, occurrence.digest_period_in(dates), now).await?;
    Ok(build(&input))
}

/// The department an entry filed under `key` belongs to now: its current key, or the stored key
/// for a department no longer configured.
fn current_key(catalogue: &DepartmentCatalogue, key: DepartmentKey) -> DepartmentKey {
    catalogue.by_key(&key).map_or(key, |d| d.key().clone())
}

/// Groups by stored key made groups by department: a renamed department's entries under its old
/// name join those under its new one, oldest first, as the store orders a group.
fn by_department(catalogue: &DepartmentCatalogue, groups: Vec<DepartmentEntries>) -> Vec<DepartmentEntries> {
    let mut merged: Vec<DepartmentEntries> = Vec::with_capacity(groups.len());
    let mut at: HashMap<DepartmentKey, usize> = HashMap::new();
    let mut joined = Vec::new();
    for group in groups {
        let key = current_key(catalogue, group.department);
        match at.get(&key) {
            Some(&i) => {
                merged[i].entries.extend(group.entries);
                joined.push(i);
            }
            None => {
                at.insert(key.clone(), merged.len());
                merged.push(DepartmentEntries { department: key, entries: group.entries });
            }
        }
    }
    for i in joined {
        merged[i].entries.sort_by_key(|e: &Entry| (e.occurred_at, e.id));
        // An entry naming both of a department's names (its own under the old one, another under
        // the new) was in both groups: it counts once under the department.
        merged[i].entries.dedup_by_key(|e| e.id);
    }
    merged
}

/// The latest time each department (by current key) was heard from, under any name.
fn last_heard(catalogue: &DepartmentCatalogue, heard: Vec<LastHeard>) -> Vec<LastHeard> {
    let mut merged: Vec<LastHeard> = Vec::with_capacity(heard.len());
    let mut at: HashMap<DepartmentKey, usize> = HashMap::new();
    for l in heard {
        let key = current_key(catalogue, l.department);
        match at.get(&key) {
            Some(&i) => merged[i].at = merged[i].at.max(l.at),
            None => {
                at.insert(key.clone(), merged.len());
                merged.push(LastHeard { department: key, at: l.at });
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::department::DepartmentSpec;
    use crate::domain::entry::Author;
    use crate::domain::ids::{EntryId, UserId};
    use crate::domain::note::Note;
    use crate::domain::privacy::Share;

    fn catalogue() -> DepartmentCatalogue {
        let spec = |name: &str, aliases: &[&str]| DepartmentSpec {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        DepartmentCatalogue::new(vec![spec("History and Classics", &["History"]), spec("Law", &[])]).unwrap()
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap()
    }

    fn entry(id: i64, key: &str, day: u32) -> Entry {
        Entry {
            also_departments: Vec::new(),
            partners: Vec::new(),
            id: EntryId(id),
            guild: GuildId(1),
            author: Author { id: UserId(1), name: "Ada".into() },
            department: key.into(),
            channel: "desk".into(),
            informal: false,
            note: Note::parse("x").unwrap(),
            tags: vec![],
            occurred_at: at(day),
            created_at: at(day),
            updated_at: None,
            follow_up: None,
            source: None,
            redactions: 0,
            share: Share::Team,
            expired_at: None,
        }
    }

    #[test]
    fn a_renamed_departments_groups_are_one_oldest_first() {
        let group = |key: &str, entries| DepartmentEntries { department: key.into(), entries };
        let groups = vec![
            group("History", vec![entry(1, "History", 3), entry(4, "History", 5)]),
            group("History and Classics", vec![entry(2, "History and Classics", 4)]),
            group("Gone", vec![entry(3, "Gone", 1)]),
            group("Law", vec![entry(5, "Law", 2)]),
        ];
        let merged = by_department(&catalogue(), groups);
        let shape: Vec<(&str, Vec<i64>)> = merged
            .iter()
            .map(|g| (g.department.as_str(), g.entries.iter().map(|e| e.id.0).collect()))
            .collect();
        assert_eq!(shape, [("History and Classics", vec![1, 2, 4]), ("Gone", vec![3]), ("Law", vec![5])]);
    }

    #[test]
    fn a_renamed_department_was_last_heard_under_either_name() {
        let heard = |key: &str, day| LastHeard { department: key.into(), at: at(day) };
        let merged = last_heard(
            &catalogue(),
            vec![heard("History", 9), heard("History and Classics", 2), heard("Law", 5)],
        );
        let shape: Vec<(&str, DateTime<Utc>)> =
            merged.iter().map(|l| (l.department.as_str(), l.at)).collect();
        assert_eq!(shape, [("History and Classics", at(9)), ("Law", at(5))]);
    }
}
