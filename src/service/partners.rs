//! Partners as people use them: adding one (offering a close existing name first), resolving and
//! autocompleting names, editing (owners and admins), listing, merging (admins), and a partner's
//! timeline. Chat-neutral: Discord and the command line both call these.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, SubsecRound, TimeZone, Utc};

use super::{filed_under, ServiceError, ServiceResult};
use crate::domain::department::Department;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::{Note, NoteError};
use crate::domain::partner::{
    name_key, NewPartner, Partner, PartnerId, PartnerIndex, PartnerKind, PartnerLink, PartnerName,
    PartnerProfile, PartnerStatus, CLOSE_NAMES_OFFERED, MAX_LINK_CHARS, MAX_NOTES_CHARS, MAX_OWNERS,
};
use crate::domain::rules::Rules;
use crate::domain::text::visible;
use crate::domain::web_link::checked_web_link;
use crate::store::{LastContact, PartnerFilter, PartnerSummary, PartnerWriteError, Store};

/// Who is asking: owners and admins may edit, admins may merge. The command line is an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub is_admin: bool,
}

/// A partner's profile as typed: checked and redacted by `add` and `edit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerInput {
    pub kind: PartnerKind,
    pub name: String,
    /// Resolved by the front end.
    pub departments: Vec<Department>,
    /// The owner first, then co-owners.
    pub owners: Vec<UserId>,
    /// "They want / we offer", as typed; redacted as notes are.
    pub notes: String,
    pub link: Option<String>,
    pub status: PartnerStatus,
}

/// What `add` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    Added(Partner),
    /// Nothing was added: these existing partners have names close to the one asked for (closest
    /// first). Asking again with `even_if_close` adds it anyway.
    Close(Vec<PartnerLink>),
}

/// Adds a partner. A name whose key an existing partner has is refused (`Invalid`, naming it);
/// a merely close one is offered back (`Added::Close`) unless `even_if_close`.
pub async fn add(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    by: UserId,
    input: PartnerInput,
    even_if_close: bool,
    now: DateTime<Utc>,
) -> ServiceResult<Added> {
    let profile = checked(rules, input)?;
    if let Some(existing) = store.partner_by_key(guild, &profile.name.key()).await? {
        return Err(ServiceError::invalid(format!(
            "there is already a partner called \"{}\"",
            existing.profile.name
        )));
    }
    if !even_if_close {
        let index = index_of(store, guild).await?;
        let close: Vec<PartnerLink> = index.close_to(profile.name.as_str()).into_iter().cloned().collect();
        if !close.is_empty() {
            return Ok(Added::Close(close));
        }
    }
    let new = NewPartner { guild, profile, created_by: by, created_at: now.trunc_subsecs(3) };
    match store.insert_partner(&new).await {
        Ok(partner) => Ok(Added::Added(partner)),
        Err(PartnerWriteError::NameTaken(other)) => Err(name_taken(store, guild, other).await),
        Err(PartnerWriteError::Store(e)) => Err(e.into()),
    }
}

/// The refusal of a name another partner has (added or renamed to it meanwhile).
async fn name_taken(store: &dyn Store, guild: GuildId, other: PartnerId) -> ServiceError {
    match store.partner(guild, other).await {
        Ok(Some(p)) => {
            ServiceError::invalid(format!("there is already a partner called \"{}\"", p.profile.name))
        }
        Ok(None) => ServiceError::invalid("another partner has that name"),
        Err(e) => e.into(),
    }
}

/// An index and the names it was built from.
type Built = (Vec<PartnerLink>, Arc<PartnerIndex>);

/// The guild's partner names as a fuzzy index. Autocomplete asks on every keystroke, so the last
/// index built for each guild is kept and reused while the names read are the same (comparing
/// them costs far less than building: a few milliseconds for a thousand names); any change to
/// the names builds it afresh.
async fn index_of(store: &dyn Store, guild: GuildId) -> ServiceResult<Arc<PartnerIndex>> {
    static BUILT: LazyLock<Mutex<HashMap<GuildId, Built>>> = LazyLock::new(Mutex::default);
    let names = store.partner_names(guild).await?;
    // A poisoned lock only means another request panicked mid-update: the map is still whole.
    if let Some((cached, index)) = BUILT.lock().unwrap_or_else(|e| e.into_inner()).get(&guild) {
        if *cached == names {
            return Ok(index.clone());
        }
    }
    let index = Arc::new(PartnerIndex::new(names.clone()));
    BUILT.lock().unwrap_or_else(|e| e.into_inner()).insert(guild, (names, index.clone()));
    Ok(index)
}

/// A profile as typed, checked: the name parsed, the notes cleaned and redacted as notes are, the
/// link checked, departments and owners each without repeats.
fn checked(rules: &Rules, input: PartnerInput) -> ServiceResult<PartnerProfile> {
    let name = PartnerName::parse(&input.name).map_err(ServiceError::invalid)?;
    let typed_notes = visible(&input.notes);
    let length = typed_notes.trim().chars().count();
    if length > MAX_NOTES_CHARS {
        return Err(ServiceError::invalid(format!(
            "the note is {length} characters long; a partner's is at most {MAX_NOTES_CHARS}"
        )));
    }
    let notes = match Note::clean(&typed_notes, &rules.redactor) {
        Ok(clean) => clean.note.as_str().to_string(),
        // Nothing to say (or nothing left once redacted) is allowed: the note is optional.
        Err(NoteError::Empty) => String::new(),
        Err(e) => return Err(ServiceError::invalid(e)),
    };
    let link = match input.link.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(link) => Some(checked_link(link)?),
    };
    let mut departments = Vec::new();
    for d in input.departments {
        if !departments.contains(d.key()) {
            departments.push(d.key().clone());
        }
    }
    let mut owners = Vec::new();
    for u in input.owners {
        if !owners.contains(&u) {
            owners.push(u);
        }
    }
    if owners.len() > MAX_OWNERS {
        return Err(ServiceError::invalid(format!(
            "a partner has at most {MAX_OWNERS} owners (the owner and co-owners)"
        )));
    }
    Ok(PartnerProfile { kind: input.kind, name, departments, owners, notes, link, status: input.status })
}

/// A web address: http or https with a host, on one line, at most `MAX_LINK_CHARS` long.
fn checked_link(link: &str) -> ServiceResult<String> {
    checked_web_link(link, MAX_LINK_CHARS).map_err(ServiceError::invalid)
}

/// The partner a typed name names: by key, exactly (case, accents, punctuation ignored). Otherwise
/// `Invalid`: "no partner called "X"; the closest are: A, B, C", or, with none close, how to add one:
/// `add_with`, as the front end asking says it (`/partner add`, a command line).
pub async fn resolve(
    store: &dyn Store,
    guild: GuildId,
    typed: &str,
    add_with: &str,
) -> ServiceResult<PartnerLink> {
    let key = name_key(typed);
    if key.is_empty() {
        return Err(ServiceError::invalid("name a partner"));
    }
    if let Some(partner) = store.partner_by_key(guild, &key).await? {
        return Ok(partner.link());
    }
    let index = index_of(store, guild).await?;
    let closest: Vec<&str> =
        index.closest(typed, CLOSE_NAMES_OFFERED).into_iter().map(|(l, _)| l.name.as_str()).collect();
    let typed = typed.trim();
    Err(ServiceError::invalid(if closest.is_empty() {
        format!("no partner called \"{typed}\"; add one with {add_with}")
    } else {
        format!("no partner called \"{typed}\"; the closest are: {}", closest.join(", "))
    }))
}

/// Up to `limit` partner names for a partial input, fuzzily, as departments autocomplete.
pub async fn autocomplete(
    store: &dyn Store,
    guild: GuildId,
    partial: &str,
    limit: usize,
) -> ServiceResult<Vec<String>> {
    let index = index_of(store, guild).await?;
    Ok(index
        .autocomplete(partial, limit.min(MAX_CHOICES))
        .into_iter()
        .map(|l| l.name.as_str().to_string())
        .collect())
}

/// The most choices Discord shows for an autocompleted option.
pub const MAX_CHOICES: usize = 25;

/// A partner by id; `Invalid` ("no such partner") when it is not the guild's.
pub async fn get(store: &dyn Store, guild: GuildId, id: PartnerId) -> ServiceResult<Partner> {
    store.partner(guild, id).await?.ok_or_else(no_such_partner)
}

fn no_such_partner() -> ServiceError {
    ServiceError::invalid("there is no such partner in this server")
}

/// Replaces a partner's profile. Only its owners and admins (`Forbidden` otherwise); a name taken
/// by another partner is refused.
pub async fn edit(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    id: PartnerId,
    actor: Actor,
    input: PartnerInput,
    now: DateTime<Utc>,
) -> ServiceResult<Partner> {
    let partner = get(store, guild, id).await?;
    if !(actor.is_admin || partner.profile.is_owner(actor.user)) {
        return Err(ServiceError::Forbidden(format!(
            "only the owners of \"{}\" or an admin can edit it",
            partner.profile.name
        )));
    }
    let profile = checked(rules, input)?;
    match store.update_partner(guild, id, &profile, now.trunc_subsecs(3)).await {
        Ok(Some(partner)) => Ok(partner),
        Ok(None) => Err(no_such_partner()),
        Err(PartnerWriteError::NameTaken(other)) => Err(name_taken(store, guild, other).await),
        Err(PartnerWriteError::Store(e)) => Err(e.into()),
    }
}

/// Partners per page in a listing.
pub const LIST_PER_PAGE: u32 = 10;

/// One page of a listing and how many partners pass the filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerList {
    pub partners: Vec<PartnerSummary>,
    pub total: u64,
    /// Zero-based.
    pub page: u32,
    pub per_page: u32,
}

/// "Gone quiet" in a listing: no entry for this many weeks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListRequest {
    pub kind: Option<PartnerKind>,
    pub owner: Option<UserId>,
    pub department: Option<Department>,
    pub status: Option<PartnerStatus>,
    /// Only partners with no entry for this many weeks.
    pub quiet_weeks: Option<u32>,
    pub page: u32,
}

pub async fn list(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    request: &ListRequest,
    now: DateTime<Utc>,
) -> ServiceResult<PartnerList> {
    let quiet_since = match request.quiet_weeks {
        Some(weeks) => Some(
            now.checked_sub_signed(Duration::weeks(i64::from(weeks)))
                .ok_or_else(|| ServiceError::invalid("that is too many weeks"))?,
        ),
        None => None,
    };
    let filter = PartnerFilter {
        kind: request.kind,
        owner: request.owner,
        department: filed_under::filter(store, rules, guild, request.department.as_ref()).await?,
        status: request.status,
        quiet_since,
    };
    let total = store.count_partners(guild, &filter).await?;
    let offset = u64::from(request.page) * u64::from(LIST_PER_PAGE);
    let partners = store.partners(guild, &filter, offset, LIST_PER_PAGE).await?;
    Ok(PartnerList { partners, total, page: request.page, per_page: LIST_PER_PAGE })
}

/// Folds `from` into `into` (admins only): see `PartnerStore::merge_partners`.
pub async fn merge(
    store: &dyn Store,
    guild: GuildId,
    actor: Actor,
    from: PartnerId,
    into: PartnerId,
    now: DateTime<Utc>,
) -> ServiceResult<Partner> {
    if !actor.is_admin {
        return Err(ServiceError::Forbidden("only an admin can merge partners".into()));
    }
    if from == into {
        return Err(ServiceError::invalid("a partner cannot be merged into itself"));
    }
    store.merge_partners(guild, from, into, now.trunc_subsecs(3)).await?.ok_or_else(no_such_partner)
}

/// Timeline entries per page (as search's).
pub const TIMELINE_PER_PAGE: u32 = 5;

/// Everything `/partner show` and `liaison partner show` print.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub partner: Partner,
    pub last_contact: Option<LastContact>,
    /// Newest first; the page asked for.
    pub entries: Vec<Entry>,
    pub unreadable: Vec<EntryId>,
    /// Entries the viewer may see, in all.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Open follow-ups on entries about it, soonest due first (at most 10).
    pub follow_ups: Vec<Entry>,
    /// The last twelve months in the guild's timezone, oldest first, each the first day of its
    /// month and how many entries occurred in it (months with none included, as 0).
    pub months: Vec<(NaiveDate, u64)>,
}

/// The timeline of a partner, as `viewer` may see it (`None`: everything, as admins and the
/// command line see).
pub async fn show(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    id: PartnerId,
    viewer: Option<UserId>,
    page: u32,
    now: DateTime<Utc>,
) -> ServiceResult<Timeline> {
    let partner = get(store, guild, id).await?;
    let last_contact = store.last_contact(guild, id).await?;
    let offset = u64::from(page) * u64::from(TIMELINE_PER_PAGE);
    let found = store.partner_entries(guild, id, viewer, offset, TIMELINE_PER_PAGE).await?;
    let follow_ups = store.partner_follow_ups(guild, id, viewer, OPEN_FOLLOW_UPS_SHOWN).await?;
    let firsts = month_starts(rules.today(now));
    let since = firsts.first().map_or(now, |&first| local_midnight(rules, first));
    let days = store.partner_days(guild, id, since).await?;
    Ok(Timeline {
        partner,
        last_contact,
        entries: found.entries,
        unreadable: found.unreadable,
        total: found.total,
        page,
        per_page: TIMELINE_PER_PAGE,
        follow_ups,
        months: per_month(&firsts, &days),
    })
}

/// Open follow-ups a timeline shows.
pub const OPEN_FOLLOW_UPS_SHOWN: u32 = 10;

/// The first days of the twelve months up to and including `today`'s, oldest first.
fn month_starts(today: NaiveDate) -> Vec<NaiveDate> {
    let this_month = today.with_day(1).unwrap_or(today);
    (0..12u32).rev().filter_map(|back| this_month.checked_sub_months(Months::new(back))).collect()
}

/// The instant a day starts in the guild's timezone (the earlier one when clocks go back; the
/// day as if UTC should a zone skip midnight altogether).
fn local_midnight(rules: &Rules, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    match rules.timezone.from_local_datetime(&midnight).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => midnight.and_utc(),
    }
}

/// Day counts summed into the months that `firsts` start, zeros included. The days are UTC days:
/// an entry within a few hours of midnight at a month's edge may count in the neighbouring
/// month, which is close enough for a chart of twelve months, and spares grouping by local time
/// in SQL (which SQLite cannot do for a named zone).
fn per_month(firsts: &[NaiveDate], days: &[(NaiveDate, u64)]) -> Vec<(NaiveDate, u64)> {
    let mut months: Vec<(NaiveDate, u64)> = firsts.iter().map(|&f| (f, 0)).collect();
    for &(day, n) in days {
        if let Some(month) = months.iter_mut().rev().find(|(first, _)| *first <= day) {
            month.1 += n;
        }
    }
    months
}

pub mod pending;

#[cfg(test)]
mod tests;
