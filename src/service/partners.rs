//! Partners as people use them: adding one (offering a close existing name first), resolving and
//! autocompleting names, editing (owners and admins), listing, merging (admins), and a partner's
//! timeline. Chat-neutral: Discord and the command line both call these.

use chrono::{DateTime, NaiveDate, Utc};

use super::{ServiceError, ServiceResult};
use crate::domain::department::Department;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::{Partner, PartnerId, PartnerKind, PartnerLink, PartnerStatus};
use crate::domain::rules::Rules;
use crate::store::{LastContact, PartnerFilter, PartnerSummary, Store};

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
    let _ = (store, rules, guild, by, input, even_if_close, now);
    todo!("issue 14")
}

/// The partner a typed name names: by key, exactly (case, accents, punctuation ignored). Otherwise
/// `Invalid`: "no partner called "X"; the closest are: A, B, C" (or how to add one).
pub async fn resolve(store: &dyn Store, guild: GuildId, typed: &str) -> ServiceResult<PartnerLink> {
    let _ = (store, guild, typed);
    todo!("issue 14")
}

/// Up to `limit` partner names for a partial input, fuzzily, as departments autocomplete.
pub async fn autocomplete(
    store: &dyn Store,
    guild: GuildId,
    partial: &str,
    limit: usize,
) -> ServiceResult<Vec<String>> {
    let _ = (store, guild, partial, limit);
    todo!("issue 14")
}

/// A partner by id; `Invalid` ("no such partner") when it is not the guild's.
pub async fn get(store: &dyn Store, guild: GuildId, id: PartnerId) -> ServiceResult<Partner> {
    let _ = (store, guild, id);
    todo!("issue 14")
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
    let _ = (store, rules, guild, id, actor, input, now);
    todo!("issue 14")
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
    let _ = (store, rules, guild, request, now, PartnerFilter::default());
    todo!("issue 14")
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
    let _ = (store, guild, actor, from, into, now);
    todo!("issue 14")
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
    let _ = (store, rules, guild, id, viewer, page, now, ServiceError::invalid(""));
    todo!("issue 14")
}
