//! Partners: profiles stored and read back (owners and departments in their order), names unique
//! per guild by key, listings and their filters, entries' links to partners read with every entry,
//! merges, a partner's timeline (paged, private entries hidden, unreadable rows named), its days,
//! the digest's partners heard from and created, and deleting one.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use liaison::domain::department::DepartmentKey;
use liaison::domain::entry::{Author, EntryEdit, EntryLinks, FollowUp, NewEntry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::Note;
use liaison::domain::partner::{
    NewPartner, Partner, PartnerId, PartnerKind, PartnerLink, PartnerName, PartnerProfile, PartnerStatus,
};
use liaison::domain::privacy::Share;
use liaison::domain::search::SearchQuery;
use liaison::store::{EntryFilter, PartnerFilter, PartnerWriteError};

use crate::harness::{Backend, Db};
use crate::{channel, department, entry_ids, filed_under, ids, new, q, t, A, ADA, B, BEN};

crate::conformance!(
    a_partner_round_trips_with_owners_and_departments_in_order,
    names_are_unique_per_guild_by_key,
    an_update_replaces_the_profile_and_keeps_names_unique,
    listings_filter_by_kind_owner_department_status_and_quiet,
    entries_read_back_with_their_partners_everywhere,
    editing_an_entrys_links_replaces_them_and_deleting_it_removes_them,
    an_import_carries_partner_links,
    a_merge_moves_links_joins_lists_and_deletes_the_other,
    a_timeline_pages_newest_first_and_hides_others_private_entries,
    a_timeline_names_rows_it_cannot_read,
    days_last_contact_and_open_follow_ups,
    partners_heard_and_created_in_a_period,
    deleting_a_partner_removes_its_links,
);

const CAROL: UserId = UserId(7);

fn profile(name: &str) -> PartnerProfile {
    PartnerProfile {
        kind: PartnerKind::Person,
        name: PartnerName::parse(name).unwrap(),
        departments: Vec::new(),
        owners: vec![ADA],
        notes: String::new(),
        link: None,
        status: PartnerStatus::Active,
    }
}

fn new_partner(guild: GuildId, profile: PartnerProfile, at: DateTime<Utc>) -> NewPartner {
    NewPartner { guild, profile, created_by: ADA, created_at: at }
}

async fn add_partner(db: &Db, guild: GuildId, profile: PartnerProfile) -> Partner {
    db.store.insert_partner(&new_partner(guild, profile, t(1, 9))).await.expect("insert partner")
}

async fn named(db: &Db, guild: GuildId, name: &str) -> Partner {
    add_partner(db, guild, profile(name)).await
}

fn key(name: &str) -> DepartmentKey {
    DepartmentKey::from_stored(name)
}

fn about(entry: NewEntry, partners: &[&Partner]) -> NewEntry {
    NewEntry { partners: partners.iter().map(|p| p.link()).collect(), ..entry }
}

fn at(entry: NewEntry, when: DateTime<Utc>) -> NewEntry {
    NewEntry { occurred_at: when, created_at: when, ..entry }
}

fn by(author: UserId, entry: NewEntry) -> NewEntry {
    NewEntry { author: Author { id: author, name: format!("user {}", author.0) }, ..entry }
}

fn private(entry: NewEntry) -> NewEntry {
    NewEntry { share: Share::Private, ..entry }
}

fn partner_ids(links: &[PartnerLink]) -> Vec<PartnerId> {
    links.iter().map(|l| l.id).collect()
}

fn listed(summaries: &[liaison::store::PartnerSummary]) -> Vec<&str> {
    summaries.iter().map(|s| s.partner.profile.name.as_str()).collect()
}

async fn timeline(
    db: &Db,
    partner: &Partner,
    viewer: Option<UserId>,
    offset: u64,
    limit: u32,
) -> Vec<EntryId> {
    let page =
        db.store.partner_entries(partner.guild, partner.id, viewer, offset, limit).await.expect("timeline");
    entry_ids(&page.entries)
}

async fn a_partner_round_trips_with_owners_and_departments_in_order(db: Db) {
    let wanted = PartnerProfile {
        kind: PartnerKind::Group,
        departments: vec![key("Physics"), key("History"), key("Art")],
        owners: vec![BEN, UserId(u64::MAX), ADA],
        notes: "They want: data-management training.\nWe offer: a workshop.".to_string(),
        link: Some("https://example.ac.uk/lab".to_string()),
        status: PartnerStatus::Dormant,
        ..profile("Müller Lab")
    };
    let stored = db.store.insert_partner(&new_partner(A, wanted.clone(), t(3, 9))).await.expect("insert");
    assert_eq!(stored.profile, wanted);
    assert_eq!(
        (stored.guild, stored.created_by, stored.created_at, stored.updated_at),
        (A, ADA, t(3, 9), None)
    );
    assert_eq!(stored.profile.owner(), Some(BEN));
    assert_eq!(db.store.partner(A, stored.id).await.unwrap(), Some(stored.clone()));
    assert_eq!(db.store.partner(B, stored.id).await.unwrap(), None, "another guild's partner");
    let by_key = db.store.partner_by_key(A, &PartnerName::parse("muller-LAB").unwrap().key()).await.unwrap();
    assert_eq!(by_key, Some(stored.clone()));
    assert_eq!(db.store.partner_by_key(B, &stored.profile.name.key()).await.unwrap(), None);

    let zed = named(&db, A, "zed").await;
    let ab = named(&db, A, "Ab Group").await;
    named(&db, B, "Elsewhere").await;
    let names = db.store.partner_names(A).await.unwrap();
    assert_eq!(names, vec![ab.link(), stored.link(), zed.link()], "by name, ignoring case and accents");
    // A partner nobody has taken on yet has no owner.
    let unowned = add_partner(&db, A, PartnerProfile { owners: Vec::new(), ..profile("Nobody's") }).await;
    assert_eq!(unowned.profile.owner(), None);
}

async fn names_are_unique_per_guild_by_key(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    for same in ["dr a field", "DR A FIELD.", "Dr Á Field"] {
        match db.store.insert_partner(&new_partner(A, profile(same), t(2, 9))).await {
            Err(PartnerWriteError::NameTaken(id)) => assert_eq!(id, field.id, "{same}"),
            other => panic!("{same}: expected NameTaken, got {other:?}"),
        }
    }
    // The same name in another guild is another partner.
    let elsewhere = named(&db, B, "Dr A. Field").await;
    assert_ne!(elsewhere.id, field.id);
    assert_eq!(db.store.partner_names(A).await.unwrap().len(), 1);
}

async fn an_update_replaces_the_profile_and_keeps_names_unique(db: Db) {
    let field = add_partner(
        &db,
        A,
        PartnerProfile {
            departments: vec![key("History")],
            owners: vec![ADA, BEN],
            ..profile("Dr A. Field")
        },
    )
    .await;
    let jones = named(&db, A, "Dr B. Jones").await;
    let changed = PartnerProfile {
        kind: PartnerKind::Organisation,
        departments: vec![key("Art"), key("History"), key("Physics")],
        owners: vec![CAROL, ADA],
        notes: "We offer: EEBO training".to_string(),
        link: Some("https://field.example".to_string()),
        status: PartnerStatus::Dormant,
        // Its own name in other case: not another partner's.
        name: PartnerName::parse("DR A. FIELD").unwrap(),
    };
    let updated =
        db.store.update_partner(A, field.id, &changed, t(4, 9)).await.expect("update").expect("there");
    assert_eq!(updated.profile, changed);
    assert_eq!((updated.created_at, updated.updated_at), (t(1, 9), Some(t(4, 9))));
    assert_eq!(db.store.partner(A, field.id).await.unwrap(), Some(updated.clone()));
    // Owners and departments shrink as well as grow.
    let fewer = PartnerProfile { owners: vec![BEN], departments: Vec::new(), ..changed.clone() };
    let shrunk = db.store.update_partner(A, field.id, &fewer, t(5, 9)).await.unwrap().unwrap();
    assert_eq!((shrunk.profile.owners.clone(), shrunk.profile.departments.clone()), (vec![BEN], Vec::new()));

    match db.store.update_partner(A, field.id, &profile("dr b jones"), t(5, 9)).await {
        Err(PartnerWriteError::NameTaken(id)) => assert_eq!(id, jones.id),
        other => panic!("expected NameTaken, got {other:?}"),
    }
    assert!(db.store.update_partner(B, field.id, &changed, t(5, 9)).await.unwrap().is_none(), "other guild");
    assert!(db.store.update_partner(A, PartnerId(9999), &changed, t(5, 9)).await.unwrap().is_none());
    // The new name reads with the entries that link to it.
    let e = db.add(about(new(A, "coffee with the lab"), &[&field])).await;
    let renamed = PartnerProfile { name: PartnerName::parse("Professor A. Field").unwrap(), ..fewer };
    db.store.update_partner(A, field.id, &renamed, t(6, 9)).await.unwrap().unwrap();
    let read = db.store.entry(A, e.id).await.unwrap().unwrap();
    assert_eq!(read.partners[0].name.as_str(), "Professor A. Field");
}

async fn listings_filter_by_kind_owner_department_status_and_quiet(db: Db) {
    let field = add_partner(
        &db,
        A,
        PartnerProfile {
            departments: vec![key("History"), key("Physics")],
            owners: vec![ADA],
            ..profile("Dr A. Field")
        },
    )
    .await;
    let lab = add_partner(
        &db,
        A,
        PartnerProfile {
            kind: PartnerKind::Group,
            departments: vec![key("History and Classics")],
            owners: vec![BEN, ADA],
            ..profile("Physics Lab")
        },
    )
    .await;
    let publisher = add_partner(
        &db,
        A,
        PartnerProfile {
            kind: PartnerKind::Organisation,
            owners: vec![CAROL],
            status: PartnerStatus::Dormant,
            ..profile("Elsevier")
        },
    )
    .await;
    // Created late: never heard from, but not quiet for a period before it existed.
    let newcomer = db
        .store
        .insert_partner(&new_partner(A, PartnerProfile { owners: vec![], ..profile("Newcomer") }, t(20, 9)))
        .await
        .unwrap();
    named(&db, B, "Another guild's").await;
    // Field heard from on the 2nd and the 18th, the lab on the 3rd; the publisher never.
    db.add(at(about(new(A, "early"), &[&field]), t(2, 10))).await;
    let latest = db
        .add(NewEntry { channel: channel("coffee"), ..at(about(new(A, "late"), &[&field]), t(18, 10)) })
        .await;
    db.add(at(private(about(new(A, "lab"), &[&lab])), t(3, 10))).await;

    let all = db.store.partners(A, &PartnerFilter::default(), 0, 50).await.unwrap();
    assert_eq!(listed(&all), vec!["Dr A. Field", "Elsevier", "Newcomer", "Physics Lab"]);
    assert_eq!(db.store.count_partners(A, &PartnerFilter::default()).await.unwrap(), 4);
    let field_row = &all[0];
    assert_eq!(field_row.entries, 2);
    let last = field_row.last_contact.as_ref().expect("heard from");
    assert_eq!((last.at, last.channel.as_str(), last.entry), (t(18, 10), "coffee", latest.id));
    assert_eq!(all[1].last_contact, None);
    assert_eq!(all[3].entries, 1, "private entries are counted");
    // Paging by name.
    let second = db.store.partners(A, &PartnerFilter::default(), 1, 2).await.unwrap();
    assert_eq!(listed(&second), vec!["Elsevier", "Newcomer"]);

    let cases: Vec<(PartnerFilter, Vec<&str>)> = vec![
        (PartnerFilter { kind: Some(PartnerKind::Group), ..Default::default() }, vec!["Physics Lab"]),
        (PartnerFilter { owner: Some(ADA), ..Default::default() }, vec!["Dr A. Field", "Physics Lab"]),
        (PartnerFilter { owner: Some(BEN), ..Default::default() }, vec!["Physics Lab"]),
        (PartnerFilter { department: filed_under(&["Physics"]), ..Default::default() }, vec!["Dr A. Field"]),
        (
            PartnerFilter {
                department: filed_under(&["History", "History and Classics"]),
                ..Default::default()
            },
            vec!["Dr A. Field", "Physics Lab"],
        ),
        (PartnerFilter { status: Some(PartnerStatus::Dormant), ..Default::default() }, vec!["Elsevier"]),
        // Quiet since the 10th: the lab (last heard on the 3rd) and the publisher (never, created
        // on the 1st); not the newcomer, created after.
        (
            PartnerFilter { quiet_since: Some(t(10, 0)), ..Default::default() },
            vec!["Elsevier", "Physics Lab"],
        ),
        (
            PartnerFilter { quiet_since: Some(t(25, 0)), ..Default::default() },
            vec!["Dr A. Field", "Elsevier", "Newcomer", "Physics Lab"],
        ),
        (
            PartnerFilter { quiet_since: Some(t(10, 0)), owner: Some(ADA), ..Default::default() },
            vec!["Physics Lab"],
        ),
    ];
    for (filter, expected) in cases {
        let found = db.store.partners(A, &filter, 0, 50).await.unwrap();
        assert_eq!(listed(&found), expected, "{filter:?}");
        assert_eq!(db.store.count_partners(A, &filter).await.unwrap(), expected.len() as u64, "{filter:?}");
    }
    let _ = (publisher, newcomer);
}

async fn entries_read_back_with_their_partners_everywhere(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    let lab = named(&db, A, "Physics Lab").await;
    let stored = db
        .add(NewEntry {
            also_departments: vec![department("Physics"), department("Art")],
            ..about(new(A, "joint EEBO workshop"), &[&lab, &field])
        })
        .await;
    assert_eq!(partner_ids(&stored.partners), vec![lab.id, field.id], "in the order given");
    assert_eq!(stored.partners[1].name.as_str(), "Dr A. Field");
    assert_eq!(stored.also_departments, vec![key("Physics"), key("Art")]);
    let plain = db.add(new(A, "no partner")).await;

    let read = db.store.entry(A, stored.id).await.unwrap().unwrap();
    assert_eq!(read, stored);
    let after = db.store.entries_after(A, &EntryFilter::default(), None, 10).await.unwrap();
    assert_eq!(after, vec![stored.clone(), plain.clone()]);
    for text in ["eebo", ""] {
        let page = db.search(A, &SearchQuery { department: filed_under(&["History"]), ..q(text) }).await;
        let hit = page.hits.iter().find(|h| h.entry.id == stored.id).expect("found");
        assert_eq!(hit.entry.partners, stored.partners, "searching {text:?}");
    }
    assert_eq!(timeline(&db, &field, None, 0, 10).await, vec![stored.id]);
    assert_eq!(timeline(&db, &lab, None, 0, 10).await, vec![stored.id]);
}

async fn editing_an_entrys_links_replaces_them_and_deleting_it_removes_them(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    let lab = named(&db, A, "Physics Lab").await;
    let e = db.add(about(new(A, "eebo"), &[&field])).await;
    let edit = |links: Option<EntryLinks>| EntryEdit {
        links,
        ..EntryEdit::of_text(&e, Note::parse("eebo again").unwrap(), Vec::new(), 0, t(5, 9))
    };
    let links = EntryLinks { also_departments: vec![key("Art")], partners: vec![lab.id, field.id] };
    let edited = db.store.edit_entry(A, e.id, &edit(Some(links))).await.unwrap().unwrap();
    assert_eq!(partner_ids(&edited.partners), vec![lab.id, field.id]);
    assert_eq!(edited.also_departments, vec![key("Art")]);
    // `None` leaves them as they are.
    let kept = db.store.edit_entry(A, e.id, &edit(None)).await.unwrap().unwrap();
    assert_eq!(partner_ids(&kept.partners), vec![lab.id, field.id]);
    let dropped = db
        .store
        .edit_entry(A, e.id, &edit(Some(EntryLinks { also_departments: vec![], partners: vec![lab.id] })))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(partner_ids(&dropped.partners), vec![lab.id]);
    assert!(timeline(&db, &field, None, 0, 10).await.is_empty());
    assert!(db.store.delete_entry(A, e.id).await.unwrap());
    let page = db.store.partner_entries(A, lab.id, None, 0, 10).await.unwrap();
    assert_eq!((page.entries.len(), page.total), (0, 0));
    assert_eq!(db.store.last_contact(A, lab.id).await.unwrap(), None);
}

async fn an_import_carries_partner_links(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    let lab = named(&db, A, "Physics Lab").await;
    let original = db
        .add(NewEntry { also_departments: vec![department("Art")], ..about(new(A, "eebo"), &[&lab, &field]) })
        .await;
    let mut copy = original.clone();
    copy.id = EntryId(original.id.0 + 1000);
    assert_eq!(db.store.import_entries(&[copy.clone()]).await.unwrap(), 1);
    assert_eq!(db.store.entry(A, copy.id).await.unwrap(), Some(copy.clone()));
    assert_eq!(timeline(&db, &field, None, 0, 10).await, vec![copy.id, original.id]);
}

async fn a_merge_moves_links_joins_lists_and_deletes_the_other(db: Db) {
    let into = add_partner(
        &db,
        A,
        PartnerProfile {
            departments: vec![key("History")],
            owners: vec![ADA],
            notes: "They want: EEBO".to_string(),
            ..profile("Dr A. Field")
        },
    )
    .await;
    let from = add_partner(
        &db,
        A,
        PartnerProfile {
            departments: vec![key("Physics"), key("History")],
            owners: vec![BEN, ADA],
            notes: "We offer: training".to_string(),
            link: Some("https://field.example".to_string()),
            ..profile("Dr A Feild")
        },
    )
    .await;
    let other = named(&db, A, "Physics Lab").await;
    let only_from = db.add(at(about(new(A, "only the misspelt one"), &[&other, &from]), t(3, 9))).await;
    let both = db.add(at(about(new(A, "both of them"), &[&from, &into]), t(4, 9))).await;
    let only_into = db.add(at(about(new(A, "the right one"), &[&into]), t(5, 9))).await;

    assert_eq!(db.store.merge_partners(A, from.id, from.id, t(6, 9)).await.unwrap(), None, "itself");
    assert_eq!(db.store.merge_partners(B, from.id, into.id, t(6, 9)).await.unwrap(), None, "other guild");
    let merged = db.store.merge_partners(A, from.id, into.id, t(6, 9)).await.unwrap().expect("merged");
    assert_eq!(merged.profile.departments, vec![key("History"), key("Physics")]);
    assert_eq!(merged.profile.owners, vec![ADA, BEN]);
    assert_eq!(merged.profile.notes, "They want: EEBO\nWe offer: training");
    assert_eq!(merged.profile.link.as_deref(), Some("https://field.example"));
    assert_eq!(merged.profile.name.as_str(), "Dr A. Field");
    assert_eq!(merged.updated_at, Some(t(6, 9)));
    assert_eq!(db.store.partner(A, from.id).await.unwrap(), None, "the other is gone");
    assert_eq!(db.store.partner_names(A).await.unwrap(), vec![into.link(), other.link()]);

    let read = |id| {
        let store = db.store.clone();
        async move { store.entry(A, id).await.unwrap().unwrap() }
    };
    assert_eq!(partner_ids(&read(only_from.id).await.partners), vec![other.id, into.id], "position kept");
    assert_eq!(partner_ids(&read(both.id).await.partners), vec![into.id], "one link, not two");
    assert_eq!(partner_ids(&read(only_into.id).await.partners), vec![into.id]);
    let page = db.store.partner_entries(A, into.id, None, 0, 10).await.unwrap();
    assert_eq!((entry_ids(&page.entries), page.total), (vec![only_into.id, both.id, only_from.id], 3));
    assert_eq!(timeline(&db, &other, None, 0, 10).await, vec![only_from.id]);
    // The re-indexed entries are still found, by their words and their department.
    let found = db.search(A, &SearchQuery { department: filed_under(&["History"]), ..q("misspelt") }).await;
    assert_eq!(ids(&found), vec![only_from.id]);
    let listed = db.search(A, &SearchQuery { department: filed_under(&["History"]), ..q("") }).await;
    assert_eq!(listed.total, 3);
}

async fn a_timeline_pages_newest_first_and_hides_others_private_entries(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    let mut everyone = Vec::new();
    let mut for_carol = Vec::new();
    for i in 0..12u32 {
        // Two entries at the same instant: the later id first.
        let when = t(2 + i / 2, 9);
        let entry = match i % 4 {
            0 => private(about(new(A, &format!("ada's private {i}")), &[&field])),
            1 => private(by(BEN, about(new(A, &format!("ben's private {i}")), &[&field]))),
            _ => by(CAROL, about(new(A, &format!("team {i}")), &[&field])),
        };
        let stored = db.add(at(entry, when)).await;
        everyone.push(stored.id);
        if i % 4 >= 2 {
            for_carol.push(stored.id);
        }
    }
    // Another partner's entries and another guild's stay out.
    let lab = named(&db, A, "Physics Lab").await;
    db.add(about(new(A, "lab"), &[&lab])).await;
    everyone.reverse();
    for_carol.reverse();

    let mut pages = Vec::new();
    for n in 0..3 {
        let page = db.store.partner_entries(A, field.id, None, n * 5, 5).await.unwrap();
        assert_eq!(page.total, 12);
        pages.extend(entry_ids(&page.entries));
    }
    assert_eq!(pages, everyone, "newest first, paged without gaps");
    let carol = db.store.partner_entries(A, field.id, Some(CAROL), 0, 50).await.unwrap();
    assert_eq!((entry_ids(&carol.entries), carol.total), (for_carol.clone(), 6));
    let ada = db.store.partner_entries(A, field.id, Some(ADA), 0, 50).await.unwrap();
    assert_eq!(ada.total, 9, "her own private entries and the team's");
    let second = db.store.partner_entries(A, field.id, Some(CAROL), 5, 5).await.unwrap();
    assert_eq!((entry_ids(&second.entries), second.total), (vec![for_carol[5]], 6));
    let elsewhere = db.store.partner_entries(B, field.id, None, 0, 5).await.unwrap();
    assert_eq!((elsewhere.entries.len(), elsewhere.total), (0, 0), "another guild's partner");
}

async fn a_timeline_names_rows_it_cannot_read(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let mut added = Vec::new();
    for i in 0..3 {
        let e = NewEntry {
            follow_up: Some(FollowUp::open(ADA, day)),
            ..at(about(new(A, &format!("n{i}")), &[&field]), t(2 + i, 9))
        };
        added.push(db.add(e).await.id);
    }
    db.write_behind(&format!("UPDATE entries SET follow_up_owner = NULL WHERE id = {}", added[1].0)).await;
    let page = db.store.partner_entries(A, field.id, None, 0, 5).await.unwrap();
    assert_eq!(
        (entry_ids(&page.entries), page.unreadable, page.total),
        (vec![added[2], added[0]], vec![added[1]], 3)
    );
    let open = db.store.partner_follow_ups(A, field.id, None, 10).await.unwrap();
    assert_eq!(entry_ids(&open), vec![added[0], added[2]]);
}

async fn days_last_contact_and_open_follow_ups(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    let due = |d: u32| FollowUp::open(ADA, NaiveDate::from_ymd_opt(2026, 12, d).unwrap());
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    db.add(at(about(new(A, "old"), &[&field]), t(1, 9) - Duration::days(40))).await;
    db.add(NewEntry { follow_up: Some(due(9)), ..at(about(new(A, "a"), &[&field]), t(3, 0)) }).await;
    db.add(NewEntry { follow_up: Some(due(2)), ..at(about(new(A, "b"), &[&field]), t(3, 23)) }).await;
    let bens = db
        .add(NewEntry {
            follow_up: Some(due(1)),
            channel: channel("email"),
            ..at(private(by(BEN, about(new(A, "c"), &[&field]))), t(7, 12))
        })
        .await;
    let done =
        db.add(NewEntry { follow_up: Some(due(1)), ..at(about(new(A, "d"), &[&field]), t(5, 12)) }).await;
    db.store.set_follow_up_done(A, done.id, Some(t(6, 9))).await.unwrap().unwrap();

    let days = db.store.partner_days(A, field.id, t(1, 0)).await.unwrap();
    assert_eq!(days, vec![(day(3), 2), (day(5), 1), (day(7), 1)]);
    assert!(db.store.partner_days(B, field.id, t(1, 0)).await.unwrap().is_empty(), "other guild");

    let last = db.store.last_contact(A, field.id).await.unwrap().expect("heard from");
    assert_eq!(
        (last.at, last.channel.as_str(), last.entry),
        (t(7, 12), "email", bens.id),
        "private included"
    );
    assert_eq!(db.store.last_contact(B, field.id).await.unwrap(), None);

    let open = db.store.partner_follow_ups(A, field.id, None, 10).await.unwrap();
    let dues: Vec<NaiveDate> = open.iter().map(|e| e.follow_up.as_ref().unwrap().due).collect();
    assert_eq!(dues, vec![due(1).due, due(2).due, due(9).due], "soonest first, done ones left out");
    let for_carol = db.store.partner_follow_ups(A, field.id, Some(CAROL), 10).await.unwrap();
    assert_eq!(for_carol.len(), 2, "Ben's private one hidden");
    assert_eq!(db.store.partner_follow_ups(A, field.id, None, 1).await.unwrap().len(), 1);
}

async fn partners_heard_and_created_in_a_period(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    let lab = named(&db, A, "Physics Lab").await;
    let quiet = named(&db, A, "Quiet Partner").await;
    db.add(at(about(new(A, "1"), &[&field, &lab]), t(2, 9))).await;
    db.add(at(private(about(new(A, "2"), &[&lab])), t(3, 9))).await;
    db.add(at(about(new(A, "3"), &[&field]), t(20, 9))).await;
    let heard = db.store.partners_heard(A, t(1, 0), t(8, 0)).await.unwrap();
    assert_eq!(heard, vec![(lab.link(), 2), (field.link(), 1)]);
    assert!(db.store.partners_heard(B, t(1, 0), t(8, 0)).await.unwrap().is_empty());
    let _ = quiet;

    let late = db.store.insert_partner(&new_partner(A, profile("Zed"), t(10, 9))).await.unwrap();
    let early = db.store.insert_partner(&new_partner(A, profile("Alpha"), t(11, 9))).await.unwrap();
    db.store.insert_partner(&new_partner(A, profile("Later"), t(20, 9))).await.unwrap();
    db.store.insert_partner(&new_partner(B, profile("Elsewhere"), t(10, 9))).await.unwrap();
    let created = db.store.partners_created(A, t(8, 0), t(15, 0)).await.unwrap();
    assert_eq!(created, vec![early, late], "by name");
}

async fn deleting_a_partner_removes_its_links(db: Db) {
    let field = named(&db, A, "Dr A. Field").await;
    let lab = named(&db, A, "Physics Lab").await;
    let e = db.add(about(new(A, "eebo workshop"), &[&field, &lab])).await;
    assert!(!db.store.delete_partner(B, field.id).await.unwrap(), "another guild's");
    assert!(db.store.delete_partner(A, field.id).await.unwrap());
    assert!(!db.store.delete_partner(A, field.id).await.unwrap(), "gone already");
    assert_eq!(db.store.partner(A, field.id).await.unwrap(), None);
    let read = db.store.entry(A, e.id).await.unwrap().unwrap();
    assert_eq!(partner_ids(&read.partners), vec![lab.id]);
    assert_eq!(ids(&db.search(A, &q("eebo")).await), vec![e.id]);
    let page = db.store.partner_entries(A, field.id, None, 0, 5).await.unwrap();
    assert_eq!(page.total, 0);
}

/// SQLite finds an entry under a partner through the facet token `g<guild>p<id>`: a merge and a
/// deletion rewrite those tokens, and the full-text index follows.
#[tokio::test]
async fn sqlite_facet_tokens_follow_merges_and_deletions() {
    crate::harness::run(Backend::Sqlite, |db: Db| async move {
        let into = named(&db, A, "Dr A. Field").await;
        let from = named(&db, A, "Dr A Feild").await;
        let lab = named(&db, A, "Physics Lab").await;
        let e = db
            .add(NewEntry {
                also_departments: vec![department("Art")],
                ..about(new(A, "eebo"), &[&from, &lab])
            })
            .await;
        let tokens = |p: PartnerId| format!("{{facets}} : \"g{}p{}\"", A.0, p.0);
        assert_eq!(matching(&db, &tokens(from.id)).await, vec![e.id.0]);
        db.store.merge_partners(A, from.id, into.id, t(6, 9)).await.unwrap().unwrap();
        assert!(matching(&db, &tokens(from.id)).await.is_empty());
        assert_eq!(matching(&db, &tokens(into.id)).await, vec![e.id.0]);
        let art = format!("{{facets}} : \"g{}d{}\"", A.0, hex("Art"));
        assert_eq!(matching(&db, &art).await, vec![e.id.0], "the other department's token kept");
        db.store.delete_partner(A, lab.id).await.unwrap();
        assert!(matching(&db, &tokens(lab.id)).await.is_empty());
        assert_eq!(matching(&db, &tokens(into.id)).await, vec![e.id.0]);
    })
    .await;
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

async fn matching(db: &Db, expression: &str) -> Vec<i64> {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&db.url).await.expect("connect");
    sqlx::query_scalar("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid")
        .bind(expression)
        .fetch_all(&mut conn)
        .await
        .expect("match")
}
