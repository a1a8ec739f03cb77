//! Partners: profiles, owners, merges and timelines. (Filled in by issue 14's store work.)
#![allow(unused_variables)] // stubs until the store work lands

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::PostgresStore;
use crate::domain::entry::Entry;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::partner::{NewPartner, Partner, PartnerId, PartnerLink, PartnerProfile};
use crate::store::{
    LastContact, PartnerFilter, PartnerStore, PartnerSummary, PartnerWriteError, StoreResult, TimelinePage,
};

#[async_trait]
impl PartnerStore for PostgresStore {
    async fn insert_partner(&self, partner: &NewPartner) -> Result<Partner, PartnerWriteError> {
        unimplemented!("issue 14: insert_partner")
    }

    async fn partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<Option<Partner>> {
        unimplemented!("issue 14: partner")
    }

    async fn partner_by_key(&self, guild: GuildId, key: &str) -> StoreResult<Option<Partner>> {
        unimplemented!("issue 14: partner_by_key")
    }

    async fn partner_names(&self, guild: GuildId) -> StoreResult<Vec<PartnerLink>> {
        unimplemented!("issue 14: partner_names")
    }

    async fn update_partner(
        &self,
        guild: GuildId,
        id: PartnerId,
        profile: &PartnerProfile,
        updated_at: DateTime<Utc>,
    ) -> Result<Option<Partner>, PartnerWriteError> {
        unimplemented!("issue 14: update_partner")
    }

    async fn partners(
        &self,
        guild: GuildId,
        filter: &PartnerFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<PartnerSummary>> {
        unimplemented!("issue 14: partners")
    }

    async fn count_partners(&self, guild: GuildId, filter: &PartnerFilter) -> StoreResult<u64> {
        unimplemented!("issue 14: count_partners")
    }

    async fn merge_partners(
        &self,
        guild: GuildId,
        from: PartnerId,
        into: PartnerId,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Partner>> {
        unimplemented!("issue 14: merge_partners")
    }

    async fn partner_entries(
        &self,
        guild: GuildId,
        partner: PartnerId,
        viewer: Option<UserId>,
        offset: u64,
        limit: u32,
    ) -> StoreResult<TimelinePage> {
        unimplemented!("issue 14: partner_entries")
    }

    async fn last_contact(&self, guild: GuildId, partner: PartnerId) -> StoreResult<Option<LastContact>> {
        unimplemented!("issue 14: last_contact")
    }

    async fn partner_follow_ups(
        &self,
        guild: GuildId,
        partner: PartnerId,
        viewer: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        unimplemented!("issue 14: partner_follow_ups")
    }

    async fn partner_days(
        &self,
        guild: GuildId,
        partner: PartnerId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(NaiveDate, u64)>> {
        unimplemented!("issue 14: partner_days")
    }

    async fn partners_heard(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<(PartnerLink, u64)>> {
        unimplemented!("issue 14: partners_heard")
    }

    async fn partners_created(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<Partner>> {
        unimplemented!("issue 14: partners_created")
    }

    async fn delete_partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<bool> {
        unimplemented!("issue 14: delete_partner")
    }
}
