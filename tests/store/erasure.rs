//! Erasure requests: an entry rewritten without a mention, a member removed from their entries or
//! their entries deleted; partners' names and notes rewritten, and a person partner deleted. Search
//! must stop finding what was erased, on both backends, and counts must not change.

use liaison::domain::department::DepartmentKey;
use liaison::domain::entry::{Author, FollowUp, NewEntry};
use liaison::domain::ids::{UserId, FORMER_MEMBER_ID};
use liaison::domain::mention::Mention;
use liaison::domain::partner::{
    NewPartner, Partner, PartnerKind, PartnerName, PartnerProfile, PartnerStatus,
};
use liaison::domain::privacy::{PrivacyActionKind, ERASED, FORMER_MEMBER};
use liaison::domain::search::SearchQuery;
use liaison::service::privacy::erasure::{
    carry_out, erase_author, erase_partner, erase_text, find, find_partners, pending, propose, AuthorErasure,
    Erased, ErasureRequest,
};
use liaison::store::{EntryFilter, Rewrite};

use crate::harness::Db;
use crate::{entry_ids, ids, new, now, q, t, tags, A, ADA, B, BEN};

crate::conformance!(
    a_rewritten_entry_is_no_longer_found_by_the_erased_words,
    erasing_text_replaces_each_mention_and_keeps_the_counts,
    a_dry_run_changes_and_records_nothing,
    an_erased_author_is_a_former_member_and_their_follow_ups_owned_by_nobody,
    deleting_an_authors_entries_leaves_everyone_elses,
    a_rewritten_partner_has_its_new_name_and_key_and_no_edit_time,
    erasing_text_reaches_partner_names_and_notes_and_keeps_names_unique,
    a_person_partner_is_erased_with_its_links_and_its_entries_stay,
    only_a_person_partner_can_be_erased,
    a_partner_erasure_asked_for_in_discord_waits_for_confirm,
);

async fn partner(
    db: &Db,
    guild: liaison::domain::ids::GuildId,
    kind: PartnerKind,
    name: &str,
    notes: &str,
) -> Partner {
    let profile = PartnerProfile {
        kind,
        name: PartnerName::parse(name).unwrap(),
        departments: vec![DepartmentKey::from("History")],
        owners: vec![ADA],
        notes: notes.to_string(),
        link: None,
        status: PartnerStatus::Active,
    };
    let new = NewPartner { guild, profile, created_by: ADA, created_at: t(1, 9) };
    db.store.insert_partner(&new).await.unwrap()
}

async fn a_rewritten_entry_is_no_longer_found_by_the_erased_words(db: Db) {
    let e = db
        .add(NewEntry {
            tags: tags(&["garcia-visit", "eebo"]), ..new(A, "José García wants EEBO training")
        })
        .await;
    let rewrite = Rewrite {
        note: liaison::domain::note::Note::parse("[erased] wants EEBO training").unwrap(),
        tags: tags(&["eebo"]),
        author_name: "Ada".to_string(),
        source: None,
    };
    assert!(
        !db.store.rewrite_entry(B, e.id, &rewrite).await.unwrap(),
        "another guild's entry is not touched"
    );
    assert_eq!(ids(&db.search(A, &q("garcia")).await), vec![e.id]);
    assert!(db.store.rewrite_entry(A, e.id, &rewrite).await.unwrap());
    for gone in ["garcia", "José", "visit"] {
        assert_eq!(ids(&db.search(A, &q(gone)).await), vec![], "{gone}");
    }
    let tag_filter =
        SearchQuery { tag: Some(tags(&["garcia-visit"])[0].clone()), per_page: 50, ..SearchQuery::default() };
    assert_eq!(ids(&db.search(A, &tag_filter).await), vec![]);
    assert_eq!(ids(&db.search(A, &q("EEBO training")).await), vec![e.id]);
    let stored = db.store.entry(A, e.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.note.as_str(), stored.tags.clone()),
        ("[erased] wants EEBO training", tags(&["eebo"]))
    );
    assert_eq!((stored.created_at, stored.updated_at, stored.department), (e.created_at, None, e.department));
}

async fn erasing_text_replaces_each_mention_and_keeps_the_counts(db: Db) {
    let by_name = db
        .add(NewEntry {
            source: Some("https://discord.com/channels/1/2/3?from=jose".to_string()),
            ..new(A, "Jose\u{301} asked twice; JOSÉ again. Joseph did not.")
        })
        .await;
    let by_tag = db.add(NewEntry { tags: tags(&["jose", "theses"]), ..new(A, "thesis binding") }).await;
    let as_author = db
        .add(NewEntry {
            author: Author { id: BEN, name: "José B".to_string() },
            ..new(A, "open access week")
        })
        .await;
    let untouched = db.add(new(A, "Joseph and Josephine")).await;
    let elsewhere = db.add(new(B, "jose in another server")).await;
    let before = db.store.count_entries(A, &EntryFilter::default()).await.unwrap();

    let jose = Mention::new("josé").unwrap();
    assert_eq!(
        entry_ids(&find(db.store.as_ref(), A, &jose).await.unwrap()),
        vec![by_name.id, by_tag.id, as_author.id]
    );
    // Ranking differs between the backends; which entries are found does not.
    let mut found = ids(&db.search(A, &q("jose")).await);
    found.sort();
    assert_eq!(found, vec![by_name.id, by_tag.id]);

    let n = erase_text(db.store.as_ref(), A, &jose, false, "admin 7", now()).await.unwrap();
    assert_eq!(n, Erased { entries: 3, partners: 0, impact_stories: 0 });
    assert_eq!(ids(&db.search(A, &q("jose")).await), vec![], "search stops finding it");
    assert_eq!(find(db.store.as_ref(), A, &jose).await.unwrap(), vec![]);
    assert_eq!(db.store.count_entries(A, &EntryFilter::default()).await.unwrap(), before);

    let read = |id| {
        let store = db.store.clone();
        async move { store.entry(A, id).await.unwrap().unwrap() }
    };
    let e = read(by_name.id).await;
    assert_eq!(e.note.as_str(), format!("{ERASED} asked twice; {ERASED} again. Joseph did not."));
    assert_eq!(e.source, None);
    assert_eq!(read(by_tag.id).await.tags, tags(&["theses"]));
    let a = read(as_author.id).await;
    assert_eq!(
        (a.author.id, a.author.name.as_str(), a.note.as_str()),
        (BEN, FORMER_MEMBER, "open access week")
    );
    assert_eq!(read(untouched.id).await.note.as_str(), "Joseph and Josephine");
    assert_eq!(ids(&db.search(B, &q("jose")).await), vec![elsewhere.id], "another server keeps its own");

    // Again: nothing left to erase, and nothing more recorded.
    assert_eq!(erase_text(db.store.as_ref(), A, &jose, false, "admin 7", now()).await.unwrap().total(), 0);
    let log = db.store.privacy_log(None, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].kind, log[0].entries, log[0].by.as_str(), log[0].guild),
        (PrivacyActionKind::EraseText, 3, "admin 7", A)
    );
}

async fn a_dry_run_changes_and_records_nothing(db: Db) {
    let e = db.add(new(A, "Dr Field asked")).await;
    db.add(NewEntry { author: Author { id: BEN, name: "Ben".into() }, ..new(A, "Ben's own") }).await;
    let field = Mention::new("dr field").unwrap();
    let p = partner(&db, A, PartnerKind::Person, "Dr Field", "").await;
    assert_eq!(
        erase_text(db.store.as_ref(), A, &field, true, "x", now()).await.unwrap(),
        Erased { entries: 1, partners: 1, impact_stories: 0 }
    );
    assert_eq!(db.store.partner(A, p.id).await.unwrap().unwrap().profile.name.as_str(), "Dr Field");
    let how = AuthorErasure::Delete;
    assert_eq!(erase_author(db.store.as_ref(), A, BEN, how, true, "x", now()).await.unwrap(), 1);
    assert_eq!(db.store.entry(A, e.id).await.unwrap().unwrap().note.as_str(), "Dr Field asked");
    assert_eq!(db.store.count_entries(A, &EntryFilter::default()).await.unwrap(), 2);
    assert_eq!(db.store.privacy_log(None, 10).await.unwrap(), vec![]);
}

async fn an_erased_author_is_a_former_member_and_their_follow_ups_owned_by_nobody(db: Db) {
    let ben = |note| NewEntry { author: Author { id: BEN, name: "Ben Jones".into() }, ..new(A, note) };
    let own = db
        .add(NewEntry {
            follow_up: Some(FollowUp::open(BEN, t(9, 0).date_naive())),
            ..ben("chase the licence")
        })
        .await;
    let for_ada = db
        .add(NewEntry { follow_up: Some(FollowUp::open(ADA, t(9, 0).date_naive())), ..ben("send the list") })
        .await;
    let adas = db.add(new(A, "Ada's own")).await;
    let bens_elsewhere = db.add(NewEntry { guild: B, ..ben("other server") }).await;
    let before = db.store.count_entries(A, &EntryFilter::default()).await.unwrap();

    let n =
        erase_author(db.store.as_ref(), A, BEN, AuthorErasure::Anonymise, false, "liaison CLI (op)", now())
            .await
            .unwrap();
    assert_eq!(n, 2);
    for (id, owner) in [(own.id, FORMER_MEMBER_ID), (for_ada.id, ADA)] {
        let e = db.store.entry(A, id).await.unwrap().unwrap();
        assert_eq!((e.author.id, e.author.name.as_str()), (FORMER_MEMBER_ID, FORMER_MEMBER));
        assert_eq!(e.follow_up.map(|f| (f.owner, f.due)), Some((owner, t(9, 0).date_naive())));
    }
    assert_eq!(db.store.entry(A, adas.id).await.unwrap().unwrap().author.id, ADA);
    assert_eq!(db.store.entry(B, bens_elsewhere.id).await.unwrap().unwrap().author.id, BEN);
    assert_eq!(db.store.count_entries(A, &EntryFilter::default()).await.unwrap(), before);
    // The author facet follows: a search by the member finds nothing of theirs here any more.
    let by_ben = SearchQuery { author: Some(BEN), per_page: 50, ..SearchQuery::default() };
    assert_eq!(ids(&db.search(A, &by_ben).await), vec![]);
    let by_nobody = SearchQuery { author: Some(FORMER_MEMBER_ID), per_page: 50, ..SearchQuery::default() };
    assert_eq!(ids(&db.search(A, &by_nobody).await), vec![for_ada.id, own.id]);
    let log = db.store.privacy_log(Some(A), 10).await.unwrap();
    assert_eq!(
        log.iter().map(|a| (a.kind, a.entries)).collect::<Vec<_>>(),
        vec![(PrivacyActionKind::EraseAuthor, 2)]
    );
}

async fn deleting_an_authors_entries_leaves_everyone_elses(db: Db) {
    let ben = |guild, note| NewEntry { author: Author { id: BEN, name: "Ben".into() }, ..new(guild, note) };
    db.add(ben(A, "one")).await;
    db.add(ben(A, "two")).await;
    let adas = db.add(new(A, "Ada's")).await;
    let elsewhere = db.add(ben(B, "three")).await;
    let n = erase_author(db.store.as_ref(), A, BEN, AuthorErasure::Delete, false, "admin 1", now())
        .await
        .unwrap();
    assert_eq!(n, 2);
    let left = db.store.entries_after(A, &EntryFilter::default(), None, 10).await.unwrap();
    assert_eq!(entry_ids(&left), vec![adas.id]);
    assert!(db.store.entry(B, elsewhere.id).await.unwrap().is_some());
    assert_eq!(db.store.delete_author_entries(A, UserId(12345)).await.unwrap(), 0);
    let log = db.store.privacy_log(Some(A), 10).await.unwrap();
    assert_eq!(
        log.iter().map(|a| (a.kind, a.entries)).collect::<Vec<_>>(),
        vec![(PrivacyActionKind::DeleteAuthor, 2)]
    );
}

async fn a_rewritten_partner_has_its_new_name_and_key_and_no_edit_time(db: Db) {
    let p = partner(&db, A, PartnerKind::Person, "Dr Jo Bloggs", "Jo Bloggs wants data help").await;
    let renamed = PartnerName::parse("Dr [erased]").unwrap();
    assert!(
        !db.store.rewrite_partner(B, p.id, &renamed, "x").await.unwrap(),
        "another guild's is not touched"
    );
    assert!(db.store.rewrite_partner(A, p.id, &renamed, "[erased] wants data help").await.unwrap());
    let read = db.store.partner(A, p.id).await.unwrap().unwrap();
    assert_eq!(
        (read.profile.name.as_str(), read.profile.notes.as_str(), read.updated_at),
        ("Dr [erased]", "[erased] wants data help", None)
    );
    assert_eq!((read.profile.kind, read.profile.owners.clone()), (p.profile.kind, p.profile.owners.clone()));
    assert_eq!(db.store.partner_by_key(A, &renamed.key()).await.unwrap().map(|p| p.id), Some(p.id));
    assert_eq!(db.store.partner_by_key(A, &p.profile.name.key()).await.unwrap(), None);
}

async fn erasing_text_reaches_partner_names_and_notes_and_keeps_names_unique(db: Db) {
    let named = partner(&db, A, PartnerKind::Person, "Dr José García", "").await;
    // After the erasure "Dr [erased]" would have this one's key: the erased one gets its id.
    let clash = partner(&db, A, PartnerKind::Organisation, "Dr Erased", "").await;
    let noted = partner(&db, A, PartnerKind::Team, "Study Skills", "They want José García to teach").await;
    let untouched = partner(&db, A, PartnerKind::Team, "Digital Humanities", "Joseph's lab").await;
    let elsewhere = partner(&db, B, PartnerKind::Person, "José García", "").await;
    let linked = db.add(NewEntry { partners: vec![named.link()], ..new(A, "met them") }).await;

    let jose = Mention::new("josé garcía").unwrap();
    let found: Vec<_> =
        find_partners(db.store.as_ref(), A, &jose).await.unwrap().iter().map(|p| p.id).collect();
    assert_eq!(found, vec![named.id, noted.id], "by name");
    let n = erase_text(db.store.as_ref(), A, &jose, false, "admin 7", now()).await.unwrap();
    assert_eq!(n, Erased { entries: 0, partners: 2, impact_stories: 0 });

    let read = |id| {
        let store = db.store.clone();
        async move { store.partner(A, id).await.unwrap().unwrap().profile }
    };
    assert_eq!(read(named.id).await.name.as_str(), format!("Dr {ERASED} ({})", named.id));
    assert_eq!(read(clash.id).await.name.as_str(), "Dr Erased");
    assert_eq!(read(noted.id).await.notes, format!("They want {ERASED} to teach"));
    assert_eq!(read(noted.id).await.name.as_str(), "Study Skills");
    assert_eq!(read(untouched.id).await.notes, "Joseph's lab");
    assert_eq!(
        db.store.partner(B, elsewhere.id).await.unwrap().unwrap().profile.name.as_str(),
        "José García"
    );
    // An entry names its partner as the partner is named now.
    let e = db.store.entry(A, linked.id).await.unwrap().unwrap();
    assert_eq!(
        e.partners.iter().map(|p| p.name.to_string()).collect::<Vec<_>>(),
        vec![read(named.id).await.name.to_string()]
    );
    assert_eq!(find_partners(db.store.as_ref(), A, &jose).await.unwrap(), vec![]);
    let log = db.store.privacy_log(Some(A), 10).await.unwrap();
    assert_eq!(
        log.iter().map(|a| (a.kind, a.entries)).collect::<Vec<_>>(),
        vec![(PrivacyActionKind::EraseText, 0)]
    );
}

async fn a_person_partner_is_erased_with_its_links_and_its_entries_stay(db: Db) {
    let person = partner(&db, A, PartnerKind::Person, "Dr A. Field", "").await;
    let other = partner(&db, A, PartnerKind::Group, "Field Lab", "").await;
    let both = db.add(NewEntry { partners: vec![person.link(), other.link()], ..new(A, "coffee") }).await;
    let one = db.add(NewEntry { partners: vec![person.link()], ..new(A, "email") }).await;
    let before = db.store.count_entries(A, &EntryFilter::default()).await.unwrap();

    assert_eq!(erase_partner(db.store.as_ref(), A, person.id, true, "x", now()).await.unwrap(), 2);
    assert!(db.store.partner(A, person.id).await.unwrap().is_some(), "a dry run deletes nothing");
    assert_eq!(db.store.privacy_log(Some(A), 10).await.unwrap(), vec![]);

    assert_eq!(erase_partner(db.store.as_ref(), A, person.id, false, "admin 7", now()).await.unwrap(), 2);
    assert_eq!(db.store.partner(A, person.id).await.unwrap(), None);
    assert_eq!(db.store.count_entries(A, &EntryFilter::default()).await.unwrap(), before);
    let read = |id| {
        let store = db.store.clone();
        async move { store.entry(A, id).await.unwrap().unwrap().partners }
    };
    assert_eq!(read(both.id).await, vec![other.link()]);
    assert_eq!(read(one.id).await, vec![]);
    let log = db.store.privacy_log(Some(A), 10).await.unwrap();
    assert_eq!(
        log.iter().map(|a| (a.kind, a.entries, a.by.as_str())).collect::<Vec<_>>(),
        vec![(PrivacyActionKind::ErasePartner, 2, "admin 7")]
    );
    // Gone: asked again, it is no partner of this server.
    assert!(erase_partner(db.store.as_ref(), A, person.id, false, "admin 7", now()).await.is_err());
}

async fn only_a_person_partner_can_be_erased(db: Db) {
    let lab = partner(&db, A, PartnerKind::Group, "Field Lab", "").await;
    let err = erase_partner(db.store.as_ref(), A, lab.id, false, "x", now()).await.unwrap_err();
    assert!(err.to_string().contains("only a person partner can be erased"), "{err}");
    let elsewhere = partner(&db, B, PartnerKind::Person, "Dr B", "").await;
    assert!(erase_partner(db.store.as_ref(), A, elsewhere.id, false, "x", now()).await.is_err());
    assert!(db.store.partner(A, lab.id).await.unwrap().is_some());
    assert!(db.store.partner(B, elsewhere.id).await.unwrap().is_some());
    assert_eq!(db.store.privacy_log(None, 10).await.unwrap(), vec![]);
}

async fn a_partner_erasure_asked_for_in_discord_waits_for_confirm(db: Db) {
    let person = partner(&db, A, PartnerKind::Person, "Dr A. Field", "").await;
    let lab = partner(&db, A, PartnerKind::Group, "Field Lab", "").await;
    let store = db.store.as_ref();
    // Named by no entry, it is still there to erase: a Confirm button all the same.
    let request = ErasureRequest::Partner(person.id);
    let (count, id) = propose(store, A, ADA, &request, now()).await.unwrap();
    let id = id.expect("a pending erasure");
    assert_eq!(count, 0);
    assert!(store.partner(A, person.id).await.unwrap().is_some(), "nothing happens before Confirm");
    assert_eq!(pending(store, A, id, now()).await.unwrap(), Some(request.clone()));
    assert_eq!(carry_out(store, A, &request, "admin 1", now()).await.unwrap(), 0);
    assert_eq!(store.partner(A, person.id).await.unwrap(), None);
    let log = store.privacy_log(Some(A), 10).await.unwrap();
    assert_eq!(
        log.iter().map(|a| (a.kind, a.entries)).collect::<Vec<_>>(),
        vec![(PrivacyActionKind::ErasePartner, 0)]
    );
    assert!(propose(store, A, ADA, &ErasureRequest::Partner(lab.id), now()).await.is_err(), "not a person");
}
