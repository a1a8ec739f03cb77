//! Fault injection: a store that forwards everything to a real one but fails the reads "who else
//! heard this" is made of (`search`, `last_heard`), so that a capture's write succeeds and its
//! lookup fails, which a healthy SQLite file cannot be made to do.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use liaison::domain::department::DepartmentKey;
use liaison::domain::digest_settings::DigestSettings;
use liaison::domain::entry::{Author, Entry, EntryEdit, NewEntry};
use liaison::domain::event::{Event, EventChoice, EventId, NewEvent};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::impact::{ImpactStory, ObjectiveName, Outcome};
use liaison::domain::partner::{NewPartner, Partner, PartnerId, PartnerLink, PartnerName, PartnerProfile};
use liaison::domain::privacy::{PrivacyAction, PrivacySettings};
use liaison::domain::search::{SearchPage, SearchQuery};
use liaison::domain::stats::{Count, CountBy, DepartmentEntries, LastHeard};
use liaison::domain::time_range::TimeRange;
use liaison::store::DepartmentSettingsStore;
use liaison::store::{
    Backoff, CaptureKey, CaptureKeyStore, DepartureStore, DigestRun, DigestRunStore, DigestSettingsStore,
    EntryFilter, EntryStore, ErasureStore, FollowUpFilter, FollowUpStore, Inserted, MaintenanceStore,
    PrivacyStore, ReminderEnd, ReminderKey, ReminderRun, ReminderStore, RetentionStore, Rewrite,
    SavedSearchStore, SearchStore, StatsStore, Store, StoreError, StoreResult, Stored,
};
use liaison::store::{ClaimEnd, ClaimRows, ClaimTable, KeyValue};
use liaison::store::{EventPrompt, EventPromptEnd, EventPromptKey, EventPromptStore, EventStore};
use liaison::store::{HandOff, HandOffEnd, HandOffKey, HandOffStore, HandOffTake};
use liaison::store::{ImpactDate, ImpactLine, ImpactStore};
use liaison::store::{
    LastContact, LiaisonStore, PartnerFilter, PartnerStore, PartnerSummary, PartnerWriteError, TimelinePage,
};

pub struct LookupFails(pub Arc<dyn Store>);

fn injected() -> StoreError {
    StoreError::Database(sqlx::Error::Protocol("injected failure".into()))
}

#[async_trait]
impl SearchStore for LookupFails {
    async fn search(&self, _: GuildId, _: &SearchQuery, _: DateTime<Utc>) -> StoreResult<SearchPage> {
        Err(injected())
    }
}

#[async_trait]
impl StatsStore for LookupFails {
    async fn counts(&self, guild: GuildId, filter: &EntryFilter, by: CountBy) -> StoreResult<Vec<Count>> {
        self.0.counts(guild, filter, by).await
    }
    async fn last_heard(&self, _: GuildId) -> StoreResult<Vec<LastHeard>> {
        Err(injected())
    }
    async fn first_heard(&self, guild: GuildId) -> StoreResult<Option<DateTime<Utc>>> {
        self.0.first_heard(guild).await
    }
    async fn entries_by_department(
        &self,
        guild: GuildId,
        range: TimeRange,
    ) -> StoreResult<Vec<DepartmentEntries>> {
        self.0.entries_by_department(guild, range).await
    }
}

#[async_trait]
impl EntryStore for LookupFails {
    async fn insert_entry(&self, entry: &NewEntry) -> StoreResult<Entry> {
        self.0.insert_entry(entry).await
    }
    async fn import_entries(&self, entries: &[Entry]) -> StoreResult<u64> {
        self.0.import_entries(entries).await
    }
    async fn reserve_ids(&self, through: EntryId) -> StoreResult<()> {
        self.0.reserve_ids(through).await
    }
    async fn existing_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<EntryId>> {
        self.0.existing_ids(ids).await
    }
    async fn entries_with_ids(&self, ids: &[EntryId]) -> StoreResult<Vec<Stored>> {
        self.0.entries_with_ids(ids).await
    }
    async fn entry(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Entry>> {
        self.0.entry(guild, id).await
    }
    async fn edit_entry(&self, guild: GuildId, id: EntryId, edit: &EntryEdit) -> StoreResult<Option<Entry>> {
        self.0.edit_entry(guild, id, edit).await
    }
    async fn entry_author(&self, guild: GuildId, id: EntryId) -> StoreResult<Option<Author>> {
        self.0.entry_author(guild, id).await
    }
    async fn delete_entry(&self, guild: GuildId, id: EntryId) -> StoreResult<bool> {
        self.0.delete_entry(guild, id).await
    }
    async fn entries_after(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<EntryId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        self.0.entries_after(guild, filter, after, limit).await
    }
    async fn entries_in_time_order(
        &self,
        guild: GuildId,
        filter: &EntryFilter,
        after: Option<liaison::store::TimeCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        self.0.entries_in_time_order(guild, filter, after, limit).await
    }
    async fn count_entries(&self, guild: GuildId, filter: &EntryFilter) -> StoreResult<u64> {
        self.0.count_entries(guild, filter).await
    }
}

#[async_trait]
impl CaptureKeyStore for LookupFails {
    async fn insert_entry_once(&self, entry: &NewEntry, key: CaptureKey) -> StoreResult<Inserted> {
        self.0.insert_entry_once(entry, key).await
    }
}

#[async_trait]
impl FollowUpStore for LookupFails {
    async fn open_follow_ups(&self, guild: GuildId, filter: &FollowUpFilter) -> StoreResult<Vec<Entry>> {
        self.0.open_follow_ups(guild, filter).await
    }
    async fn follow_ups_done(&self, guild: GuildId, range: TimeRange) -> StoreResult<Vec<Entry>> {
        self.0.follow_ups_done(guild, range).await
    }
    async fn set_follow_up_done(
        &self,
        guild: GuildId,
        id: EntryId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<Entry>> {
        self.0.set_follow_up_done(guild, id, at).await
    }
    async fn follow_ups_due(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Entry>> {
        self.0.follow_ups_due(from, to).await
    }
}

#[async_trait]
impl SavedSearchStore for LookupFails {
    async fn save_search(
        &self,
        guild: GuildId,
        user: liaison::domain::ids::UserId,
        payload: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        self.0.save_search(guild, user, payload, at).await
    }
    async fn saved_search(&self, guild: GuildId, id: i64) -> StoreResult<Option<(String, DateTime<Utc>)>> {
        self.0.saved_search(guild, id).await
    }
    async fn forget_search(&self, guild: GuildId, id: i64) -> StoreResult<bool> {
        self.0.forget_search(guild, id).await
    }
}

#[async_trait]
impl DigestRunStore for LookupFails {
    async fn claim_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        backoff: Backoff,
    ) -> StoreResult<bool> {
        self.0.claim_digest(guild, period_start, now, lease, backoff).await
    }
    async fn record_digest_parts(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
    ) -> StoreResult<()> {
        self.0.record_digest_parts(guild, period_start, message_ids).await
    }
    async fn mark_digest_sent(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        message_ids: &[u64],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.mark_digest_sent(guild, period_start, message_ids, now).await
    }
    async fn release_digest(
        &self,
        guild: GuildId,
        period_start: NaiveDate,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.release_digest(guild, period_start, error, retry_at).await
    }
    async fn digest_run(&self, guild: GuildId, period_start: NaiveDate) -> StoreResult<Option<DigestRun>> {
        self.0.digest_run(guild, period_start).await
    }
}

#[async_trait]
impl DigestSettingsStore for LookupFails {
    async fn save_digest_settings(&self, settings: &DigestSettings, now: DateTime<Utc>) -> StoreResult<()> {
        self.0.save_digest_settings(settings, now).await
    }
    async fn digest_settings(&self, guild: GuildId) -> StoreResult<Option<DigestSettings>> {
        self.0.digest_settings(guild).await
    }
    async fn enabled_digests(&self) -> StoreResult<Vec<DigestSettings>> {
        self.0.enabled_digests().await
    }
    async fn stop_digest(
        &self,
        guild: GuildId,
        channel: u64,
        problem: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.0.stop_digest(guild, channel, problem, now).await
    }
}

#[async_trait]
impl ClaimRows for LookupFails {
    async fn claim_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        self.0.claim_row(table, key, now, lease).await
    }

    async fn finish_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        end: &ClaimEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.finish_row(table, key, end, now).await
    }

    async fn release_row(
        &self,
        table: &ClaimTable,
        key: [KeyValue; 3],
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.release_row(table, key, error, retry_at).await
    }

    async fn unsent_rows(
        &self,
        table: &ClaimTable,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(i64, i64, i64)>> {
        self.0.unsent_rows(table, since, stale, now).await
    }
}

#[async_trait]
impl ReminderStore for LookupFails {
    async fn claim_reminder(
        &self,
        key: &ReminderKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        self.0.claim_reminder(key, now, lease).await
    }
    async fn finish_reminder(
        &self,
        key: &ReminderKey,
        end: &ReminderEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.finish_reminder(key, end, now).await
    }
    async fn release_reminder(
        &self,
        key: &ReminderKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.release_reminder(key, error, retry_at).await
    }
    async fn reminder(&self, key: &ReminderKey) -> StoreResult<Option<ReminderRun>> {
        self.0.reminder(key).await
    }
    async fn undelivered_reminders(
        &self,
        guild: GuildId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ReminderRun>> {
        self.0.undelivered_reminders(guild, from, to).await
    }
    async fn take_reminder_notices(
        &self,
        guild: GuildId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ReminderKey>> {
        self.0.take_reminder_notices(guild, owner, now).await
    }
}

#[async_trait]
impl MaintenanceStore for LookupFails {
    async fn optimize(&self) -> StoreResult<()> {
        self.0.optimize().await
    }
    async fn close(&self) {
        self.0.close().await
    }
}

#[async_trait]
impl PrivacyStore for LookupFails {
    async fn privacy_settings(&self, guild: GuildId) -> StoreResult<Option<PrivacySettings>> {
        self.0.privacy_settings(guild).await
    }
    async fn save_privacy_settings(&self, settings: &PrivacySettings, now: DateTime<Utc>) -> StoreResult<()> {
        self.0.save_privacy_settings(settings, now).await
    }
    async fn record_privacy_action(&self, action: &PrivacyAction) -> StoreResult<()> {
        self.0.record_privacy_action(action).await
    }
    async fn privacy_log(&self, guild: Option<GuildId>, limit: u32) -> StoreResult<Vec<PrivacyAction>> {
        self.0.privacy_log(guild, limit).await
    }
}

#[async_trait]
impl DepartureStore for LookupFails {
    async fn schedule_departure(
        &self,
        guild: GuildId,
        left_at: DateTime<Utc>,
        delete_after: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.schedule_departure(guild, left_at, delete_after).await
    }
    async fn cancel_departure(&self, guild: GuildId) -> StoreResult<bool> {
        self.0.cancel_departure(guild).await
    }
    async fn departure(&self, guild: GuildId) -> StoreResult<Option<DateTime<Utc>>> {
        self.0.departure(guild).await
    }
    async fn departures_due(&self, now: DateTime<Utc>) -> StoreResult<Vec<GuildId>> {
        self.0.departures_due(now).await
    }
    async fn forget_guild(&self, guild: GuildId) -> StoreResult<u64> {
        self.0.forget_guild(guild).await
    }
}

#[async_trait]
impl RetentionStore for LookupFails {
    async fn guilds_with_unexpired_before(&self, before: DateTime<Utc>) -> StoreResult<Vec<GuildId>> {
        self.0.guilds_with_unexpired_before(before).await
    }
    async fn expire_entries(
        &self,
        guild: GuildId,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
        dry_run: bool,
        keep_impact: bool,
    ) -> StoreResult<u64> {
        self.0.expire_entries(guild, cutoff, now, dry_run, keep_impact).await
    }
}

#[async_trait]
impl ErasureStore for LookupFails {
    async fn rewrite_entry(&self, guild: GuildId, id: EntryId, rewrite: &Rewrite) -> StoreResult<bool> {
        self.0.rewrite_entry(guild, id, rewrite).await
    }
    async fn erase_author(&self, guild: GuildId, author: UserId) -> StoreResult<u64> {
        self.0.erase_author(guild, author).await
    }
    async fn delete_author_entries(&self, guild: GuildId, author: UserId) -> StoreResult<u64> {
        self.0.delete_author_entries(guild, author).await
    }
    async fn rewrite_partner(
        &self,
        guild: GuildId,
        id: PartnerId,
        name: &PartnerName,
        notes: &str,
    ) -> StoreResult<bool> {
        self.0.rewrite_partner(guild, id, name, notes).await
    }
}

#[async_trait]
impl PartnerStore for LookupFails {
    async fn insert_partner(&self, partner: &NewPartner) -> Result<Partner, PartnerWriteError> {
        self.0.insert_partner(partner).await
    }

    async fn partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<Option<Partner>> {
        self.0.partner(guild, id).await
    }

    async fn partner_by_key(&self, guild: GuildId, key: &str) -> StoreResult<Option<Partner>> {
        self.0.partner_by_key(guild, key).await
    }

    async fn partner_names(&self, guild: GuildId) -> StoreResult<Vec<PartnerLink>> {
        self.0.partner_names(guild).await
    }

    async fn update_partner(
        &self,
        guild: GuildId,
        id: PartnerId,
        profile: &PartnerProfile,
        updated_at: DateTime<Utc>,
    ) -> Result<Option<Partner>, PartnerWriteError> {
        self.0.update_partner(guild, id, profile, updated_at).await
    }

    async fn partners(
        &self,
        guild: GuildId,
        filter: &PartnerFilter,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Vec<PartnerSummary>> {
        self.0.partners(guild, filter, offset, limit).await
    }

    async fn count_partners(&self, guild: GuildId, filter: &PartnerFilter) -> StoreResult<u64> {
        self.0.count_partners(guild, filter).await
    }

    async fn merge_partners(
        &self,
        guild: GuildId,
        from: PartnerId,
        into: PartnerId,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Partner>> {
        self.0.merge_partners(guild, from, into, now).await
    }

    async fn partner_entries(
        &self,
        guild: GuildId,
        partner: PartnerId,
        viewer: Option<UserId>,
        offset: u64,
        limit: u32,
    ) -> StoreResult<TimelinePage> {
        self.0.partner_entries(guild, partner, viewer, offset, limit).await
    }

    async fn last_contact(&self, guild: GuildId, partner: PartnerId) -> StoreResult<Option<LastContact>> {
        self.0.last_contact(guild, partner).await
    }

    async fn partner_follow_ups(
        &self,
        guild: GuildId,
        partner: PartnerId,
        viewer: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        self.0.partner_follow_ups(guild, partner, viewer, limit).await
    }

    async fn partner_days(
        &self,
        guild: GuildId,
        partner: PartnerId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(NaiveDate, u64)>> {
        self.0.partner_days(guild, partner, since).await
    }

    async fn partners_heard(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<(PartnerLink, u64)>> {
        self.0.partners_heard(guild, start, end).await
    }

    async fn partners_created(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<Partner>> {
        self.0.partners_created(guild, start, end).await
    }

    async fn delete_partner(&self, guild: GuildId, id: PartnerId) -> StoreResult<bool> {
        self.0.delete_partner(guild, id).await
    }
}

#[async_trait]
impl LiaisonStore for LookupFails {
    async fn add_liaison(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        user: UserId,
    ) -> StoreResult<bool> {
        self.0.add_liaison(guild, department, user).await
    }

    async fn remove_liaison(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        user: UserId,
    ) -> StoreResult<bool> {
        self.0.remove_liaison(guild, department, user).await
    }

    async fn liaisons(&self, guild: GuildId, department: &DepartmentKey) -> StoreResult<Vec<UserId>> {
        self.0.liaisons(guild, department).await
    }

    async fn all_liaisons(&self, guild: GuildId) -> StoreResult<Vec<(DepartmentKey, UserId)>> {
        self.0.all_liaisons(guild).await
    }
}

#[async_trait]
impl DepartmentSettingsStore for LookupFails {
    async fn set_department_served(
        &self,
        guild: GuildId,
        department: &DepartmentKey,
        served: Option<bool>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.set_department_served(guild, department, served, now).await
    }

    async fn departments_served(&self, guild: GuildId) -> StoreResult<Vec<(DepartmentKey, bool)>> {
        self.0.departments_served(guild).await
    }
}

#[async_trait]
impl HandOffStore for LookupFails {
    async fn offer_hand_off(
        &self,
        key: &HandOffKey,
        department: &DepartmentKey,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.0.offer_hand_off(key, department, now).await
    }

    async fn claim_hand_off(
        &self,
        key: &HandOffKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        self.0.claim_hand_off(key, now, lease).await
    }

    async fn finish_hand_off(
        &self,
        key: &HandOffKey,
        end: &HandOffEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.finish_hand_off(key, end, now).await
    }

    async fn release_hand_off(
        &self,
        key: &HandOffKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.release_hand_off(key, error, retry_at).await
    }

    async fn hand_off(&self, key: &HandOffKey) -> StoreResult<Option<HandOff>> {
        self.0.hand_off(key).await
    }

    async fn unsent_hand_offs(
        &self,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<HandOffKey>> {
        self.0.unsent_hand_offs(since, stale, now).await
    }

    async fn hand_offs_made(
        &self,
        guild: GuildId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<HandOff>> {
        self.0.hand_offs_made(guild, start, end).await
    }

    async fn take_hand_off(
        &self,
        guild: GuildId,
        entry: EntryId,
        taker: UserId,
        due: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<HandOffTake> {
        self.0.take_hand_off(guild, entry, taker, due, now).await
    }
}

#[async_trait]
impl ImpactStore for LookupFails {
    async fn mark_impact(&self, story: &ImpactStory) -> StoreResult<bool> {
        self.0.mark_impact(story).await
    }

    async fn remove_impact(&self, guild: GuildId, entry: EntryId) -> StoreResult<bool> {
        self.0.remove_impact(guild, entry).await
    }

    async fn impact_story(&self, guild: GuildId, entry: EntryId) -> StoreResult<Option<ImpactStory>> {
        self.0.impact_story(guild, entry).await
    }

    async fn impact_stories_in(
        &self,
        guild: GuildId,
        by: ImpactDate,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<ImpactLine>> {
        self.0.impact_stories_in(guild, by, start, end).await
    }

    async fn rewrite_impact_outcome(
        &self,
        guild: GuildId,
        entry: EntryId,
        outcome: &Outcome,
    ) -> StoreResult<bool> {
        self.0.rewrite_impact_outcome(guild, entry, outcome).await
    }

    async fn objectives(&self, guild: GuildId) -> StoreResult<Vec<ObjectiveName>> {
        self.0.objectives(guild).await
    }

    async fn add_objective(
        &self,
        guild: GuildId,
        name: &ObjectiveName,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.0.add_objective(guild, name, now).await
    }

    async fn remove_objective(&self, guild: GuildId, name: &ObjectiveName) -> StoreResult<bool> {
        self.0.remove_objective(guild, name).await
    }

    async fn keeps_impact_past_retention(&self, guild: GuildId) -> StoreResult<bool> {
        self.0.keeps_impact_past_retention(guild).await
    }

    async fn set_keeps_impact_past_retention(
        &self,
        guild: GuildId,
        keep: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.set_keeps_impact_past_retention(guild, keep, now).await
    }
}

#[async_trait]
impl EventStore for LookupFails {
    async fn insert_event(&self, event: &NewEvent) -> StoreResult<Event> {
        self.0.insert_event(event).await
    }

    async fn event(&self, guild: GuildId, id: EventId) -> StoreResult<Option<Event>> {
        self.0.event(guild, id).await
    }

    async fn upcoming_events(&self, guild: GuildId, today: NaiveDate, limit: u32) -> StoreResult<Vec<Event>> {
        self.0.upcoming_events(guild, today, limit).await
    }

    async fn past_events(&self, guild: GuildId, today: NaiveDate, limit: u32) -> StoreResult<Vec<Event>> {
        self.0.past_events(guild, today, limit).await
    }

    async fn event_choices(
        &self,
        guild: GuildId,
        today: NaiveDate,
        limit: u32,
    ) -> StoreResult<Vec<EventChoice>> {
        self.0.event_choices(guild, today, limit).await
    }

    async fn link_entry_event(&self, guild: GuildId, entry: EntryId, event: EventId) -> StoreResult<bool> {
        self.0.link_entry_event(guild, entry, event).await
    }

    async fn entry_event(&self, guild: GuildId, entry: EntryId) -> StoreResult<Option<EventChoice>> {
        self.0.entry_event(guild, entry).await
    }

    async fn event_entries(
        &self,
        guild: GuildId,
        event: EventId,
        viewer: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        self.0.event_entries(guild, event, viewer, limit).await
    }

    async fn events_ended(
        &self,
        guild: GuildId,
        start: NaiveDate,
        end: NaiveDate,
    ) -> StoreResult<Vec<Event>> {
        self.0.events_ended(guild, start, end).await
    }

    async fn all_events_ended(&self, start: NaiveDate, end: NaiveDate) -> StoreResult<Vec<Event>> {
        self.0.all_events_ended(start, end).await
    }

    async fn has_event_follow_up(&self, guild: GuildId, event: EventId, author: UserId) -> StoreResult<bool> {
        self.0.has_event_follow_up(guild, event, author).await
    }

    async fn events_after(
        &self,
        guild: GuildId,
        after: Option<EventId>,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        self.0.events_after(guild, after, limit).await
    }

    async fn event_entry_ids(
        &self,
        guild: GuildId,
        events: &[EventId],
    ) -> StoreResult<Vec<(EventId, EntryId)>> {
        self.0.event_entry_ids(guild, events).await
    }
}

#[async_trait]
impl EventPromptStore for LookupFails {
    async fn offer_event_prompt(&self, key: &EventPromptKey, now: DateTime<Utc>) -> StoreResult<bool> {
        self.0.offer_event_prompt(key, now).await
    }

    async fn claim_event_prompt(
        &self,
        key: &EventPromptKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        self.0.claim_event_prompt(key, now, lease).await
    }

    async fn finish_event_prompt(
        &self,
        key: &EventPromptKey,
        end: &EventPromptEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.finish_event_prompt(key, end, now).await
    }

    async fn release_event_prompt(
        &self,
        key: &EventPromptKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.release_event_prompt(key, error, retry_at).await
    }

    async fn event_prompt(&self, key: &EventPromptKey) -> StoreResult<Option<EventPrompt>> {
        self.0.event_prompt(key).await
    }

    async fn unsent_event_prompts(
        &self,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<EventPromptKey>> {
        self.0.unsent_event_prompts(since, stale, now).await
    }

    async fn nothing_needed(&self, key: &EventPromptKey, now: DateTime<Utc>) -> StoreResult<bool> {
        self.0.nothing_needed(key, now).await
    }

    async fn event_prompts(&self, guild: GuildId, event: EventId) -> StoreResult<Vec<EventPrompt>> {
        self.0.event_prompts(guild, event).await
    }
}

#[async_trait]
impl liaison::store::SuggestionStore for LookupFails {
    async fn last_used(
        &self,
        guild: GuildId,
        author: UserId,
    ) -> StoreResult<Option<liaison::store::LastUsed>> {
        self.0.last_used(guild, author).await
    }

    async fn top_tags(
        &self,
        guild: GuildId,
        prefix: &str,
        limit: usize,
    ) -> StoreResult<Vec<liaison::store::TagUse>> {
        self.0.top_tags(guild, prefix, limit).await
    }
}

#[async_trait]
impl liaison::store::GuildLocaleStore for LookupFails {
    async fn save_guild_locale(&self, guild: GuildId, locale: &str, now: DateTime<Utc>) -> StoreResult<()> {
        self.0.save_guild_locale(guild, locale, now).await
    }
    async fn guild_locale(&self, guild: GuildId) -> StoreResult<Option<String>> {
        self.0.guild_locale(guild).await
    }
}

/// Entries about the same thing are a lookup too: who else heard this fails with search.
#[async_trait]
impl liaison::store::TermStore for LookupFails {
    async fn entries_with_terms(
        &self,
        _: GuildId,
        _: &[liaison::domain::terms::Term],
        _: &liaison::domain::time_range::TimeRange,
        _: u32,
    ) -> StoreResult<Vec<liaison::store::Postings>> {
        Err(injected())
    }
    async fn indexed_entries(
        &self,
        guild: GuildId,
        window: &liaison::domain::time_range::TimeRange,
        cap: u64,
    ) -> StoreResult<u64> {
        self.0.indexed_entries(guild, window, cap).await
    }
    async fn index_stale_terms(&self, batch: u32) -> StoreResult<u64> {
        self.0.index_stale_terms(batch).await
    }
}

/// Related notices are no lookup: forwarded, so a capture whose lookup fails tells nobody only
/// because it has nobody to tell.
#[async_trait]
impl liaison::store::RelatedNoticeStore for LookupFails {
    async fn offer_related_notice(
        &self,
        key: &liaison::store::RelatedNoticeKey,
        heard: EntryId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.0.offer_related_notice(key, heard, now).await
    }

    async fn claim_related_notice(
        &self,
        key: &liaison::store::RelatedNoticeKey,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> StoreResult<bool> {
        self.0.claim_related_notice(key, now, lease).await
    }

    async fn finish_related_notice(
        &self,
        key: &liaison::store::RelatedNoticeKey,
        end: &liaison::store::RelatedNoticeEnd,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.finish_related_notice(key, end, now).await
    }

    async fn release_related_notice(
        &self,
        key: &liaison::store::RelatedNoticeKey,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.0.release_related_notice(key, error, retry_at).await
    }

    async fn related_notice(
        &self,
        key: &liaison::store::RelatedNoticeKey,
    ) -> StoreResult<Option<liaison::store::RelatedNotice>> {
        self.0.related_notice(key).await
    }

    async fn unsent_related_notices(
        &self,
        since: DateTime<Utc>,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<liaison::store::RelatedNoticeKey>> {
        self.0.unsent_related_notices(since, stale, now).await
    }

    async fn take_related_notices(
        &self,
        guild: GuildId,
        owner: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<liaison::store::RelatedNotice>> {
        self.0.take_related_notices(guild, owner, now).await
    }
}
