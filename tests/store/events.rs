//! Events: stored and read back with their lists in order, listed upcoming and past by the
//! guild's local day, offered nearest first, linked to entries (one event per entry, private
//! entries hidden), listed by when they ended, follow-ups decided at them, and forgotten with
//! their guild.

use chrono::NaiveDate;
use liaison::domain::department::DepartmentKey;
use liaison::domain::entry::FollowUp;
use liaison::domain::event::{Event, EventDates, EventDraft, EventId, EventName, NewEvent, Place};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::partner::{NewPartner, PartnerKind, PartnerName, PartnerProfile, PartnerStatus};
use liaison::domain::privacy::Share;

use crate::harness::Db;
use crate::{entry_ids, new, t, A, ADA, B, BEN};

crate::conformance!(
    an_event_round_trips_with_its_lists_in_order,
    upcoming_and_past_split_on_the_local_day,
    choices_put_recent_and_upcoming_events_first,
    an_entry_links_to_one_event_of_its_guild,
    an_events_entries_hide_others_private_entries,
    events_ended_in_a_period_by_guild_and_in_all,
    an_organisers_follow_up_at_an_event_is_seen,
    forgetting_a_guild_deletes_its_events,
    every_event_of_a_guild_is_read_page_by_page_with_its_entry_links,
);

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn draft(guild: GuildId, name: &str, start: NaiveDate, end: Option<NaiveDate>) -> EventDraft {
    EventDraft {
        guild,
        name: EventName::parse(name).unwrap(),
        dates: EventDates::new(start, end).unwrap(),
        organisers: Vec::new(),
        partners: Vec::new(),
        departments: Vec::new(),
        place: None,
    }
}

async fn add(db: &Db, draft: EventDraft) -> Event {
    let event = NewEvent::new(draft, ADA, t(1, 9)).unwrap();
    db.store.insert_event(&event).await.expect("insert event")
}

fn names(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.name.as_str()).collect()
}

async fn an_event_round_trips_with_its_lists_in_order(db: Db) {
    let store = &db.store;
    let partner = |name: &str, guild| NewPartner {
        guild,
        profile: PartnerProfile {
            kind: PartnerKind::Organisation,
            name: PartnerName::parse(name).unwrap(),
            departments: Vec::new(),
            owners: vec![ADA],
            notes: String::new(),
            link: None,
            status: PartnerStatus::Active,
        },
        created_by: ADA,
        created_at: t(1, 9),
    };
    let tel = store.insert_partner(&partner("Technology Enhanced Learning", A)).await.unwrap();
    let skills = store.insert_partner(&partner("Study Skills", A)).await.unwrap();
    let elsewhere = store.insert_partner(&partner("Other guild's", B)).await.unwrap();
    let big = UserId(u64::MAX);
    let made = add(
        &db,
        EventDraft {
            organisers: vec![big, BEN],
            partners: vec![skills.id, elsewhere.id, tel.id],
            departments: vec![DepartmentKey::from_stored("Physics"), DepartmentKey::from_stored("History")],
            place: Place::parse("Main Library, room 2").unwrap(),
            ..draft(A, "Research showcase", day(12, 3), Some(day(12, 4)))
        },
    )
    .await;
    assert_eq!(made.guild, A);
    assert_eq!(made.name.as_str(), "Research showcase");
    assert_eq!((made.dates.starts_on(), made.dates.ends_on()), (day(12, 3), day(12, 4)));
    assert_eq!(made.organisers, vec![big, BEN], "large ids survive, in order");
    assert_eq!(
        made.partners.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        vec!["Study Skills", "Technology Enhanced Learning"],
        "another guild's partner is left out"
    );
    assert_eq!(
        made.departments,
        vec![DepartmentKey::from_stored("Physics"), DepartmentKey::from_stored("History")]
    );
    assert_eq!(made.place.as_ref().map(|p| p.as_str()), Some("Main Library, room 2"));
    assert_eq!((made.created_by, made.created_at), (ADA, t(1, 9)));
    assert_eq!(store.event(A, made.id).await.unwrap(), Some(made.clone()));
    assert_eq!(store.event(B, made.id).await.unwrap(), None, "another guild's");
    assert_eq!(store.event(A, EventId(made.id.0 + 100)).await.unwrap(), None);

    let plain = add(&db, draft(A, "Stand at the fair", day(12, 5), None)).await;
    assert_eq!(plain.organisers, vec![ADA], "whoever added it");
    assert!(plain.partners.is_empty() && plain.departments.is_empty() && plain.place.is_none());
}

async fn upcoming_and_past_split_on_the_local_day(db: Db) {
    let store = &db.store;
    add(&db, draft(A, "Over", day(11, 1), Some(day(11, 2)))).await;
    add(&db, draft(A, "Ended yesterday", day(11, 29), None)).await;
    add(&db, draft(A, "Ends today", day(11, 28), Some(day(11, 30)))).await;
    add(&db, draft(A, "Later", day(12, 20), None)).await;
    add(&db, draft(A, "Soon", day(12, 1), None)).await;
    add(&db, draft(B, "Elsewhere", day(12, 1), None)).await;
    let today = day(11, 30);
    let upcoming = store.upcoming_events(A, today, 10).await.unwrap();
    assert_eq!(names(&upcoming), vec!["Ends today", "Soon", "Later"]);
    let past = store.past_events(A, today, 10).await.unwrap();
    assert_eq!(names(&past), vec!["Ended yesterday", "Over"]);
    assert_eq!(names(&store.past_events(A, today, 1).await.unwrap()), vec!["Ended yesterday"]);
    assert_eq!(names(&store.upcoming_events(B, today, 10).await.unwrap()), vec!["Elsewhere"]);
}

async fn choices_put_recent_and_upcoming_events_first(db: Db) {
    let store = &db.store;
    add(&db, draft(A, "Last year", day(1, 10), None)).await;
    add(&db, draft(A, "Last week", day(11, 23), None)).await;
    add(&db, draft(A, "Running", day(11, 20), Some(day(12, 10)))).await;
    add(&db, draft(A, "In two days", day(12, 2), None)).await;
    add(&db, draft(A, "Next year", day(12, 31), None)).await;
    add(&db, draft(B, "Elsewhere", day(11, 30), None)).await;
    let choices = store.event_choices(A, day(11, 30), 10).await.unwrap();
    let got: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(got, vec!["Running", "In two days", "Last week", "Next year", "Last year"]);
    assert_eq!(store.event_choices(A, day(11, 30), 2).await.unwrap().len(), 2);
}

async fn an_entry_links_to_one_event_of_its_guild(db: Db) {
    let store = &db.store;
    let fair = add(&db, draft(A, "Fair", day(11, 2), None)).await;
    let talk = add(&db, draft(A, "Talk", day(11, 3), None)).await;
    let theirs = add(&db, draft(B, "Theirs", day(11, 3), None)).await;
    let entry = db.add(new(A, "heard at the fair")).await;
    let other = db.add(new(B, "in guild B")).await;
    assert_eq!(store.entry_event(A, entry.id).await.unwrap(), None);
    assert!(store.link_entry_event(A, entry.id, fair.id).await.unwrap());
    assert_eq!(store.entry_event(A, entry.id).await.unwrap(), Some(fair.choice()));
    assert!(store.link_entry_event(A, entry.id, talk.id).await.unwrap(), "relinked");
    assert_eq!(store.entry_event(A, entry.id).await.unwrap(), Some(talk.choice()), "one event per entry");
    assert!(!store.link_entry_event(A, entry.id, theirs.id).await.unwrap(), "another guild's event");
    assert!(!store.link_entry_event(A, other.id, fair.id).await.unwrap(), "another guild's entry");
    assert!(!store.link_entry_event(A, EntryId(entry.id.0 + 100), fair.id).await.unwrap(), "no such entry");
    assert_eq!(store.entry_event(B, entry.id).await.unwrap(), None, "read in its own guild only");
    assert!(store.event_entries(A, fair.id, None, 10).await.unwrap().is_empty());
    assert_eq!(entry_ids(&store.event_entries(A, talk.id, None, 10).await.unwrap()), vec![entry.id]);
    assert!(store.delete_entry(A, entry.id).await.unwrap());
    assert!(
        store.event_entries(A, talk.id, None, 10).await.unwrap().is_empty(),
        "a deleted entry's link goes"
    );
}

async fn an_events_entries_hide_others_private_entries(db: Db) {
    let store = &db.store;
    let fair = add(&db, draft(A, "Fair", day(11, 2), None)).await;
    let second = db.add(liaison::domain::entry::NewEntry { occurred_at: t(3, 10), ..new(A, "second") }).await;
    let first = db.add(liaison::domain::entry::NewEntry { occurred_at: t(2, 10), ..new(A, "first") }).await;
    let private = db.add(liaison::domain::entry::NewEntry { share: Share::Private, ..new(A, "mine") }).await;
    for e in [&second, &first, &private] {
        assert!(store.link_entry_event(A, e.id, fair.id).await.unwrap());
    }
    let all = store.event_entries(A, fair.id, None, 10).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all.last().map(|e| e.id), Some(second.id), "oldest first");
    let by_ada = store.event_entries(A, fair.id, Some(ADA), 10).await.unwrap();
    assert_eq!(by_ada.len(), 3, "her own private entry");
    let by_ben = store.event_entries(A, fair.id, Some(BEN), 10).await.unwrap();
    assert_eq!(entry_ids(&by_ben), vec![first.id, second.id]);
    assert_eq!(store.event_entries(A, fair.id, None, 1).await.unwrap().len(), 1);
    assert!(store.event_entries(B, fair.id, None, 10).await.unwrap().is_empty());
}

async fn events_ended_in_a_period_by_guild_and_in_all(db: Db) {
    let store = &db.store;
    add(&db, draft(A, "Before", day(11, 1), Some(day(11, 8)))).await;
    add(&db, draft(A, "Long, ended inside", day(10, 1), Some(day(11, 9)))).await;
    add(&db, draft(A, "Inside", day(11, 12), None)).await;
    add(&db, draft(A, "On the end", day(11, 16), None)).await;
    add(&db, draft(B, "Theirs inside", day(11, 10), None)).await;
    let (start, end) = (day(11, 9), day(11, 16));
    assert_eq!(
        names(&store.events_ended(A, start, end).await.unwrap()),
        vec!["Long, ended inside", "Inside"]
    );
    assert_eq!(names(&store.events_ended(B, start, end).await.unwrap()), vec!["Theirs inside"]);
    let all = store.all_events_ended(start, end).await.unwrap();
    assert_eq!(names(&all), vec!["Long, ended inside", "Theirs inside", "Inside"]);
    assert_eq!(all[1].guild, B);
}

async fn an_organisers_follow_up_at_an_event_is_seen(db: Db) {
    let store = &db.store;
    let fair = add(&db, draft(A, "Fair", day(11, 2), None)).await;
    let heard = db.add(new(A, "just heard")).await;
    assert!(store.link_entry_event(A, heard.id, fair.id).await.unwrap());
    assert!(!store.has_event_follow_up(A, fair.id, ADA).await.unwrap(), "an entry without a follow-up");
    let follow = db
        .add(liaison::domain::entry::NewEntry {
            follow_up: Some(FollowUp::open(BEN, day(11, 20))),
            ..new(A, "send the slides")
        })
        .await;
    assert!(!store.has_event_follow_up(A, fair.id, ADA).await.unwrap(), "not linked yet");
    assert!(store.link_entry_event(A, follow.id, fair.id).await.unwrap());
    assert!(store.has_event_follow_up(A, fair.id, ADA).await.unwrap(), "its author decided");
    assert!(!store.has_event_follow_up(A, fair.id, BEN).await.unwrap(), "its owner did not write it");
    assert!(!store.has_event_follow_up(B, fair.id, ADA).await.unwrap());
}

async fn forgetting_a_guild_deletes_its_events(db: Db) {
    let store = &db.store;
    let fair = add(
        &db,
        EventDraft {
            organisers: vec![BEN],
            departments: vec![DepartmentKey::from_stored("History")],
            ..draft(A, "Fair", day(11, 2), None)
        },
    )
    .await;
    let kept = add(&db, draft(B, "Kept", day(11, 2), None)).await;
    let entry = db.add(new(A, "heard")).await;
    assert!(store.link_entry_event(A, entry.id, fair.id).await.unwrap());
    store.forget_guild(A).await.unwrap();
    assert_eq!(store.event(A, fair.id).await.unwrap(), None);
    assert!(store.upcoming_events(A, day(1, 1), 10).await.unwrap().is_empty());
    assert!(store.event_choices(A, day(11, 2), 10).await.unwrap().is_empty());
    assert_eq!(store.event(B, kept.id).await.unwrap(), Some(kept));
}

async fn every_event_of_a_guild_is_read_page_by_page_with_its_entry_links(db: Db) {
    let store = &db.store;
    let mut made = Vec::new();
    for (n, name) in ["First", "Second", "Third"].into_iter().enumerate() {
        made.push(add(&db, draft(A, name, day(11, 1 + n as u32), None)).await);
        add(&db, draft(B, &format!("{name} elsewhere"), day(11, 1), None)).await;
    }
    let first = store.events_after(A, None, 2).await.unwrap();
    assert_eq!(names(&first), vec!["First", "Second"]);
    assert_eq!(first[0], made[0], "read whole, lists and all");
    let rest = store.events_after(A, first.last().map(|e| e.id), 2).await.unwrap();
    assert_eq!(names(&rest), vec!["Third"], "the next page starts after the last id");
    assert!(store.events_after(A, Some(made[2].id), 2).await.unwrap().is_empty());
    assert_eq!(store.events_after(B, None, 10).await.unwrap().len(), 3, "each guild its own");

    let later = db.add(new(A, "later")).await;
    let earlier = db.add(new(A, "earlier")).await;
    let theirs = db.add(new(B, "theirs")).await;
    for (entry, event) in [(later.id, made[2].id), (earlier.id, made[0].id)] {
        assert!(store.link_entry_event(A, entry, event).await.unwrap());
    }
    let elsewhere = store.events_after(B, None, 1).await.unwrap();
    assert!(store.link_entry_event(B, theirs.id, elsewhere[0].id).await.unwrap());
    let ids: Vec<EventId> = made.iter().map(|e| e.id).collect();
    assert_eq!(
        store.event_entry_ids(A, &ids).await.unwrap(),
        vec![(made[0].id, earlier.id), (made[2].id, later.id)],
        "by event, then entry"
    );
    assert!(store.event_entry_ids(B, &ids).await.unwrap().is_empty(), "another guild's events");
    assert!(store.event_entry_ids(A, &[]).await.unwrap().is_empty());
}
