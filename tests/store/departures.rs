//! Servers the bot was removed from: a deletion scheduled once, cancelled when the bot is back,
//! due after its date; and forgetting a server deletes all of its data and nothing of another's.

use chrono::Duration;
use liaison::domain::digest_settings::DigestSettings;
use liaison::domain::entry::{FollowUp, NewEntry};
use liaison::domain::partner::{NewPartner, PartnerKind, PartnerName, PartnerProfile, PartnerStatus};
use liaison::domain::privacy::PrivacySettings;

use crate::harness::Db;
use crate::{department, new, q, t, A, ADA, B};

crate::conformance!(
    a_departure_is_scheduled_once_cancelled_and_due_after_its_date,
    forgetting_a_guild_deletes_all_of_it_and_nothing_else,
);

async fn a_departure_is_scheduled_once_cancelled_and_due_after_its_date(db: Db) {
    let store = &db.store;
    let (left, after) = (t(1, 9), t(1, 9) + Duration::days(30));
    store.schedule_departure(A, left, after).await.unwrap();
    // Told again a day later: the first date stands.
    store.schedule_departure(A, left + Duration::days(1), after + Duration::days(1)).await.unwrap();
    assert_eq!(store.departure(A).await.unwrap(), Some(after));
    assert_eq!(store.departure(B).await.unwrap(), None);
    assert!(store.departures_due(after - Duration::milliseconds(1)).await.unwrap().is_empty());
    assert_eq!(store.departures_due(after).await.unwrap(), vec![A]);
    assert!(store.cancel_departure(A).await.unwrap());
    assert!(!store.cancel_departure(A).await.unwrap());
    assert!(store.departures_due(after + Duration::days(9)).await.unwrap().is_empty());
}

async fn forgetting_a_guild_deletes_all_of_it_and_nothing_else(db: Db) {
    let store = &db.store;
    let due = t(3, 0).date_naive();
    let mut partners = Vec::new();
    for guild in [A, B] {
        let partner = store
            .insert_partner(&NewPartner {
                guild,
                profile: PartnerProfile {
                    kind: PartnerKind::Person,
                    name: PartnerName::parse("Dr A. Field").unwrap(),
                    departments: vec![department("History").key().clone()],
                    owners: vec![ADA],
                    notes: "wants EEBO training".into(),
                    link: None,
                    status: PartnerStatus::Active,
                },
                created_by: ADA,
                created_at: t(1, 0),
            })
            .await
            .unwrap();
        store.add_liaison(guild, department("History").key(), ADA).await.unwrap();
        store.set_department_served(guild, department("Physics").key(), Some(false), t(1, 0)).await.unwrap();
        db.add(NewEntry {
            follow_up: Some(FollowUp::open(ADA, due)),
            partners: vec![partner.link()],
            also_departments: vec![department("Physics")],
            ..new(guild, "archive visit")
        })
        .await;
        partners.push(partner);
        db.add(new(guild, "second note")).await;
        store.save_search(guild, ADA, "{}", t(1, 0)).await.unwrap();
        store.save_privacy_settings(&PrivacySettings::defaults(guild), t(1, 0)).await.unwrap();
        let settings = DigestSettings {
            guild,
            channel: 1,
            weekday: chrono::Weekday::Mon,
            time: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            timezone: chrono_tz::Europe::London,
            enabled: true,
            post_empty_weeks: true,
            problem: None,
        };
        store.save_digest_settings(&settings, t(1, 0)).await.unwrap();
    }
    store.schedule_departure(A, t(1, 0), t(2, 0)).await.unwrap();

    assert_eq!(store.forget_guild(A).await.unwrap(), 2);
    assert_eq!(db.search(A, &q("archive")).await.total, 0);
    assert_eq!(store.count_entries(A, &Default::default()).await.unwrap(), 0);
    assert_eq!(store.digest_settings(A).await.unwrap(), None);
    assert_eq!(store.privacy_settings(A).await.unwrap(), None);
    assert_eq!(store.departure(A).await.unwrap(), None);
    assert!(store.partner_names(A).await.unwrap().is_empty());
    assert_eq!(store.partner(A, partners[0].id).await.unwrap(), None);
    assert!(store.all_liaisons(A).await.unwrap().is_empty());
    assert!(store.departments_served(A).await.unwrap().is_empty());
    // Another server keeps everything.
    assert_eq!(store.partner(B, partners[1].id).await.unwrap().as_ref(), Some(&partners[1]));
    assert_eq!(store.all_liaisons(B).await.unwrap().len(), 1);
    assert_eq!(store.departments_served(B).await.unwrap().len(), 1);
    let kept = store.partner_entries(B, partners[1].id, None, 0, 5).await.unwrap();
    assert_eq!(kept.entries.iter().map(|e| e.also_departments.len()).collect::<Vec<_>>(), [1]);
    assert_eq!(db.search(B, &q("archive")).await.total, 1);
    assert_eq!(store.count_entries(B, &Default::default()).await.unwrap(), 2);
    assert!(store.digest_settings(B).await.unwrap().is_some());
    assert!(store.privacy_settings(B).await.unwrap().is_some());
    assert_eq!(store.forget_guild(A).await.unwrap(), 0, "again: nothing left");
}
