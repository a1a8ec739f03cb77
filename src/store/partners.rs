//! Partners: their profiles, who owns them, and each partner's timeline of entries.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::StoreResult;
use crate::domain::channel::ChannelKey;
use crate::domain::department::DepartmentKeys;
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::partner::{
    NewPartner, Partner, PartnerId, PartnerKind, PartnerLink, PartnerProfile, PartnerStatus,
};

/// Which partners a listing covers. Absent fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerFilter {
    pub kind: Option<PartnerKind>,
    /// Partners this member owns or co-owns.
    pub owner: Option<UserId>,
    /// Partners with any of these department keys.
    pub department: Option<DepartmentKeys>,
    pub status: Option<PartnerStatus>,
    /// "Gone quiet": partners with no entry that occurred at or after this instant (a partner never
    /// heard from at all counts as quiet once it was created before it).
    pub quiet_since: Option<DateTime<Utc>>,
}

/// The most recent entry about a partner: when, through which channel, and which entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastContact {
    pub at: DateTime<Utc>,
    pub channel: ChannelKey,
    pub entry: EntryId,
}

/// A partner with what a listing shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerSummary {
    pub partner: Partner,
    pub last_contact: Option<LastContact>,
    /// Entries linked to it, private ones included (counts are never private).
    pub entries: u64,
}

/// Why a partner could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PartnerWriteError {
    /// Another partner of the guild has a name with the same key.
    #[error("the name is taken by partner {0}")]
    NameTaken(PartnerId),
    #[error(transparent)]
    Store(#[from] super::StoreError),
}

/// One page of a partner's entries, newest first, and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePage {
    pub entries: Vec<Entry>,
    /// Entries that the viewer may see, in all (capped at nothing: a partner's count is exact).
    pub total: u64,
    /// Ids of linked rows on this page that could not be read (logged), as search pages name them.
    pub unreadable: Vec<EntryId>,
}

#[async_trait]
pub trait PartnerStore: Send + Sync {
    /// Stores a new partner; `NameTaken` when its name's key is another partner's in the guild.
    async fn insert_partner(&self, partner: &NewPartner) -> Result<Partner, PartnerWriteError>;

    async fn partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<Option<Partner>>;

    /// The partner whose name has this key (`PartnerName::key`, `partner::name_key`).
    async fn partner_by_key(&self, guild: GuildId, key: &str) -> StoreResult<Option<Partner>>;

    /// Every partner's id and name in the guild, by name: what autocomplete and the close-name
    /// check build their index from.
    async fn partner_names(&self, guild: GuildId) -> StoreResult<Vec<PartnerLink>>;

    /// Replaces a partner's profile; `None` when no such partner in the guild.
    async fn update_partner(
        &self,
        guild: GuildId,
        id: PartnerId,
        profile: &PartnerProfile,
        updated_at: DateTime<Utc>,
    ) -> Result<Option<Partner>, PartnerWriteError>;

    /// Partners passing `filter`, by name, with their last contact and entry count; `limit` from
    /// `offset` (keyset paging is not worth it for the few hundred partners a guild has).
    async fn partners(
        &self,
        guild: GuildId,
        filter: &PartnerFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<PartnerSummary>>;

    async fn count_partners(&self, guild: GuildId, filter: &PartnerFilter) -> StoreResult<u64>;

    /// Folds `from` into `into`, in one transaction: `from`'s entry links move to `into` (an entry
    /// linked to both keeps one link, and its facet tokens are rewritten), its departments and
    /// owners are added after `into`'s own, its notes appended when `into` has other notes, and
    /// `from` is deleted. `None` when either is not a partner of the guild, or they are the same.
    async fn merge_partners(
        &self,
        guild: GuildId,
        from: PartnerId,
        into: PartnerId,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Partner>>;

    /// A page of the partner's entries, newest first (`occurred_at`, then id, descending), read
    /// through the link table's (partner, occurred_at) index. `viewer` hides other members'
    /// private entries, as in search (`None` sees all).
    async fn partner_entries(
        &self,
        guild: GuildId,
        partner: PartnerId,
        viewer: Option<UserId>,
        offset: u64,
        limit: u32,
    ) -> StoreResult<TimelinePage>;

    /// The partner's most recent entry, private ones included (when and how, not what).
    async fn last_contact(&self, guild: GuildId, partner: PartnerId) -> StoreResult<Option<LastContact>>;

    /// Entries about the partner with an open follow-up, soonest due first, up to `limit`.
    async fn partner_follow_ups(
        &self,
        guild: GuildId,
        partner: PartnerId,
        viewer: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>>;

    /// How many entries about the partner occurred on each UTC day from `since` on, days with none
    /// left out, oldest first: what the timeline's months are counted from in the guild's time.
    async fn partner_days(
        &self,
        guild: GuildId,
        partner: PartnerId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(NaiveDate, u64)>>;

    /// Partners with an entry that occurred in `[start, end)`, with how many, most first.
    async fn partners_heard(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<(PartnerLink, u64)>>;

    /// Partners created in `[start, end)`, by name.
    async fn partners_created(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<Partner>>;

    /// Deletes a partner and its links (erasure of a person partner); `false` when none.
    async fn delete_partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<bool>;
}

/// What `into`'s profile becomes when `from` is merged into it, beyond its lists (which the
/// backends join in SQL): `from`'s notes appended when they say something else, and `from`'s link
/// when `into` has none. Kind, name and status stay `into`'s. Both backends merge through this.
pub(crate) fn merged_profile(into: &PartnerProfile, from: &PartnerProfile) -> PartnerProfile {
    let notes = match (into.notes.trim(), from.notes.trim()) {
        (_, "") => into.notes.clone(),
        ("", _) => from.notes.clone(),
        (a, b) if a == b || a.contains(b) => into.notes.clone(),
        _ => format!("{}\n{}", into.notes, from.notes),
    };
    PartnerProfile { notes, link: into.link.clone().or_else(|| from.link.clone()), ..into.clone() }
}

/// A timeline page in `page` order (the link index's): each id's entry, or the id among the
/// unreadable; an id whose row went between the two reads is left out. Both backends cut pages
/// through this.
pub(crate) fn timeline_page(
    page: &[i64],
    mut decoded: std::collections::HashMap<i64, super::Stored>,
    total: u64,
) -> TimelinePage {
    let mut out = TimelinePage { entries: Vec::new(), total, unreadable: Vec::new() };
    for id in page {
        match decoded.remove(id) {
            Some(super::Stored::Entry(entry)) => out.entries.push(entry),
            Some(super::Stored::Unreadable(id)) => out.unreadable.push(id),
            None => {}
        }
    }
    out
}
