//! Impact stories: one per entry (marked, replaced, removed, deleted with the entry), read by
//! entry and by period with what the digest and a report show beside them; a guild's objectives;
//! forgetting a guild deletes them; retention keeps an entry with a story unless the guild says
//! otherwise, and then deletes the story with the text.

use liaison::config::Retention;
use liaison::domain::entry::{Entry, NewEntry};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::impact::{Evidence, ImpactStory, ObjectiveName, Outcome};
use liaison::domain::mention::Mention;
use liaison::domain::partner::{
    NewPartner, Partner, PartnerKind, PartnerName, PartnerProfile, PartnerStatus,
};
use liaison::domain::privacy::{PrivacySettings, ERASED, EXPIRED_TEXT};
use liaison::service::privacy::erasure::{erase_text, Erased};
use liaison::service::privacy::retention;
use liaison::store::{ImpactDate, ImpactLine};

use crate::harness::Db;
use crate::{department, new, now, t, A, ADA, B, BEN};

crate::conformance!(
    a_story_is_marked_replaced_and_removed_once_per_entry,
    a_story_is_only_marked_on_an_entry_of_its_guild_and_goes_with_the_entry,
    stories_in_a_period_carry_their_entrys_departments_partners_and_date,
    objectives_are_added_once_per_name_listed_in_order_and_removed,
    forgetting_a_guild_deletes_its_stories_objectives_and_choice,
    retention_keeps_an_entry_with_a_story_unless_the_guild_says_otherwise,
    an_erasure_rewrites_a_storys_outcome,
    the_store_rewrites_a_storys_outcome_in_its_guild_only,
);

fn story(guild: GuildId, entry: EntryId, outcome: &str, objective: &str, day: u32) -> ImpactStory {
    ImpactStory {
        guild,
        entry,
        outcome: Outcome::parse(outcome).unwrap(),
        evidence: Some(Evidence::parse("https://example.ac.uk/report").unwrap()),
        objective: ObjectiveName::parse(objective).unwrap(),
        marked_by: BEN,
        marked_at: t(day, 9),
    }
}

async fn partner(db: &Db, guild: GuildId, name: &str) -> Partner {
    let profile = PartnerProfile {
        kind: PartnerKind::Organisation,
        name: PartnerName::parse(name).unwrap(),
        departments: Vec::new(),
        owners: vec![ADA],
        notes: String::new(),
        link: None,
        status: PartnerStatus::Active,
    };
    let new = NewPartner { guild, profile, created_by: ADA, created_at: t(1, 9) };
    db.store.insert_partner(&new).await.expect("insert partner")
}

fn on(day: u32, entry: NewEntry) -> NewEntry {
    NewEntry { occurred_at: t(day, 10), created_at: t(day, 10), ..entry }
}

async fn a_story_is_marked_replaced_and_removed_once_per_entry(db: Db) {
    let store = &db.store;
    let e = db.add(new(A, "Dr Field asked for a reading list review")).await;
    assert_eq!(store.impact_story(A, e.id).await.unwrap(), None);
    let first = story(A, e.id, "Module reading list rebuilt", "Research support", 20);
    assert!(store.mark_impact(&first).await.unwrap());
    assert_eq!(store.impact_story(A, e.id).await.unwrap(), Some(first.clone()));
    // Marking again replaces it: one story per entry.
    let second = ImpactStory {
        evidence: None,
        marked_by: UserId(u64::MAX),
        ..story(A, e.id, "Reading list rebuilt, 40% more loans", "Digital skills (JISC framework)", 21)
    };
    assert!(store.mark_impact(&second).await.unwrap());
    assert_eq!(store.impact_story(A, e.id).await.unwrap(), Some(second));
    assert!(store.remove_impact(A, e.id).await.unwrap());
    assert!(!store.remove_impact(A, e.id).await.unwrap(), "nothing left to remove");
    assert_eq!(store.impact_story(A, e.id).await.unwrap(), None);
}

async fn a_story_is_only_marked_on_an_entry_of_its_guild_and_goes_with_the_entry(db: Db) {
    let store = &db.store;
    let e = db.add(new(A, "heard at the desk")).await;
    assert!(!store.mark_impact(&story(B, e.id, "x", "y", 20)).await.unwrap(), "another guild's entry");
    assert!(!store.mark_impact(&story(A, EntryId(e.id.0 + 100), "x", "y", 20)).await.unwrap(), "no entry");
    assert_eq!(store.impact_story(B, e.id).await.unwrap(), None);
    assert!(store.mark_impact(&story(A, e.id, "x", "y", 20)).await.unwrap());
    assert_eq!(store.impact_story(B, e.id).await.unwrap(), None, "read in its own guild only");
    assert!(!store.remove_impact(B, e.id).await.unwrap());
    assert!(store.delete_entry(A, e.id).await.unwrap());
    assert_eq!(store.impact_story(A, e.id).await.unwrap(), None, "deleted with its entry");
    let ids: Vec<EntryId> = store
        .impact_stories_in(A, ImpactDate::Marked, t(1, 0), now())
        .await
        .unwrap()
        .iter()
        .map(|l| l.story.entry)
        .collect();
    assert!(ids.is_empty());
}

async fn stories_in_a_period_carry_their_entrys_departments_partners_and_date(db: Db) {
    let store = &db.store;
    let press = partner(&db, A, "University Press").await;
    let library = partner(&db, A, "The Wellcome Library").await;
    let early = db.add(on(3, new(A, "early talk"))).await;
    let linked = db
        .add(on(
            5,
            NewEntry {
                department: department("Physics"),
                also_departments: vec![department("Art")],
                partners: vec![press.link(), library.link()],
                ..new(A, "the press and the library")
            },
        ))
        .await;
    let elsewhere = db.add(on(5, new(B, "another server"))).await;
    // The early talk's outcome was known last: marked after the linked one.
    store.mark_impact(&story(A, early.id, "early outcome", "Open access", 25)).await.unwrap();
    store.mark_impact(&story(A, linked.id, "linked outcome", "Open access", 22)).await.unwrap();
    store.mark_impact(&story(B, elsewhere.id, "not this guild", "Open access", 22)).await.unwrap();

    let marked = store.impact_stories_in(A, ImpactDate::Marked, t(20, 0), t(30, 0)).await.unwrap();
    let outcomes =
        |lines: &[ImpactLine]| lines.iter().map(|l| l.story.outcome.as_str().to_string()).collect::<Vec<_>>();
    assert_eq!(outcomes(&marked), ["linked outcome", "early outcome"], "by when marked");
    let line = &marked[0];
    assert_eq!(
        line.departments.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
        [department("Physics").key().as_str(), department("Art").key().as_str()]
    );
    assert_eq!(line.partners, vec![press.link(), library.link()]);
    assert_eq!((line.occurred_at, line.author), (t(5, 10), ADA));
    assert_eq!(line.story.evidence.as_ref().map(|e| e.as_str()), Some("https://example.ac.uk/report"));
    assert_eq!(line.story.objective.as_str(), "Open access");

    let occurred = store.impact_stories_in(A, ImpactDate::Occurred, t(1, 0), t(30, 0)).await.unwrap();
    assert_eq!(outcomes(&occurred), ["early outcome", "linked outcome"], "by when it happened");
    let first_week = store.impact_stories_in(A, ImpactDate::Occurred, t(1, 0), t(5, 10)).await.unwrap();
    assert_eq!(outcomes(&first_week), ["early outcome"], "the end is excluded");
    assert!(store.impact_stories_in(A, ImpactDate::Marked, t(1, 0), t(22, 9)).await.unwrap().is_empty());
}

async fn objectives_are_added_once_per_name_listed_in_order_and_removed(db: Db) {
    let store = &db.store;
    let name = |n: &str| ObjectiveName::parse(n).unwrap();
    assert!(store.objectives(A).await.unwrap().is_empty());
    assert!(store.add_objective(A, &name("Research support"), t(1, 0)).await.unwrap());
    assert!(store.add_objective(A, &name("Digital skills (JISC framework)"), t(2, 0)).await.unwrap());
    assert!(!store.add_objective(A, &name("research SUPPORT"), t(3, 0)).await.unwrap(), "same key");
    assert!(store.add_objective(B, &name("Research support"), t(3, 0)).await.unwrap(), "per guild");
    assert_eq!(
        store.objectives(A).await.unwrap(),
        [name("Research support"), name("Digital skills (JISC framework)")]
    );
    assert!(store.remove_objective(A, &name("digital skills jisc framework")).await.unwrap());
    assert!(!store.remove_objective(A, &name("Open access")).await.unwrap());
    assert_eq!(store.objectives(A).await.unwrap(), [name("Research support")]);
    assert_eq!(store.objectives(B).await.unwrap(), [name("Research support")]);
}

async fn forgetting_a_guild_deletes_its_stories_objectives_and_choice(db: Db) {
    let store = &db.store;
    let a = db.add(new(A, "a")).await;
    let b = db.add(new(B, "b")).await;
    for (guild, entry) in [(A, &a), (B, &b)] {
        store.mark_impact(&story(guild, entry.id, "changed", "Open access", 20)).await.unwrap();
        store.add_objective(guild, &ObjectiveName::parse("Open access").unwrap(), t(1, 0)).await.unwrap();
        store.set_keeps_impact_past_retention(guild, false, t(1, 0)).await.unwrap();
    }
    store.forget_guild(A).await.unwrap();
    assert_eq!(store.impact_story(A, a.id).await.unwrap(), None);
    assert!(store.objectives(A).await.unwrap().is_empty());
    assert!(store.keeps_impact_past_retention(A).await.unwrap(), "back to the default");
    assert!(store.impact_story(B, b.id).await.unwrap().is_some());
    assert_eq!(store.objectives(B).await.unwrap().len(), 1);
    assert!(!store.keeps_impact_past_retention(B).await.unwrap());
}

async fn reread(db: &Db, e: &Entry) -> Entry {
    db.store.entry(e.guild, e.id).await.unwrap().expect("still there")
}

async fn retention_keeps_an_entry_with_a_story_unless_the_guild_says_otherwise(db: Db) {
    let store = &db.store;
    // Recorded on the 2nd; a 10-day period at the 30th clears both but for the story.
    let marked = db.add(new(A, "the talk that changed a module")).await;
    let plain = db.add(new(A, "an ordinary talk")).await;
    let b_marked = db.add(new(B, "another server's story")).await;
    store.mark_impact(&story(A, marked.id, "module changed", "Open access", 20)).await.unwrap();
    store.mark_impact(&story(B, b_marked.id, "module changed", "Open access", 20)).await.unwrap();
    assert!(store.keeps_impact_past_retention(A).await.unwrap(), "kept by default");
    for guild in [A, B] {
        let own = PrivacySettings { note_days: Some(10), ..PrivacySettings::defaults(guild) };
        store.save_privacy_settings(&own, t(1, 0)).await.unwrap();
    }
    store.set_keeps_impact_past_retention(B, false, t(1, 0)).await.unwrap();
    let config = Retention { note_days: 0, ..Retention::default() };

    retention::expire(store.as_ref(), &config, now(), false, "test").await.unwrap();
    assert_eq!(reread(&db, &marked).await.note.as_str(), "the talk that changed a module");
    assert!(store.impact_story(A, marked.id).await.unwrap().is_some());
    assert_eq!(reread(&db, &plain).await.note.as_str(), EXPIRED_TEXT);
    // The guild that does not keep them: the text goes, and the story with it.
    assert_eq!(reread(&db, &b_marked).await.note.as_str(), EXPIRED_TEXT);
    assert_eq!(store.impact_story(B, b_marked.id).await.unwrap(), None);

    // A story removed later: the next pass clears the entry.
    store.remove_impact(A, marked.id).await.unwrap();
    retention::expire(store.as_ref(), &config, now(), false, "test").await.unwrap();
    assert_eq!(reread(&db, &marked).await.note.as_str(), EXPIRED_TEXT);
}

async fn an_erasure_rewrites_a_storys_outcome(db: Db) {
    let field = Mention::new("Dr Field").unwrap();
    let e = db.add(new(A, "talk with a lecturer")).await;
    db.store.mark_impact(&story(A, e.id, "Dr Field changed the module", "Open access", 20)).await.unwrap();
    let dry = erase_text(db.store.as_ref(), A, &field, true, "admin", now()).await.unwrap();
    assert_eq!(dry, Erased { entries: 0, partners: 0, impact_stories: 1 });
    let unchanged = db.store.impact_story(A, e.id).await.unwrap().unwrap();
    assert_eq!(unchanged.outcome.as_str(), "Dr Field changed the module", "a dry run changes nothing");
    let done = erase_text(db.store.as_ref(), A, &field, false, "admin", now()).await.unwrap();
    assert_eq!(done.impact_stories, 1);
    let erased = db.store.impact_story(A, e.id).await.unwrap().unwrap();
    assert_eq!(erased.outcome.as_str(), format!("{ERASED} changed the module"));
    assert_eq!(erase_text(db.store.as_ref(), A, &field, false, "admin", now()).await.unwrap().total(), 0);
}

async fn the_store_rewrites_a_storys_outcome_in_its_guild_only(db: Db) {
    let store = &db.store;
    let e = db.add(new(A, "talk")).await;
    assert!(!store.rewrite_impact_outcome(A, e.id, &Outcome::parse("x").unwrap()).await.unwrap());
    store.mark_impact(&story(A, e.id, "Dr Field changed the module", "Open access", 20)).await.unwrap();
    let erased = Outcome::parse("[erased] changed the module").unwrap();
    assert!(store.rewrite_impact_outcome(A, e.id, &erased).await.unwrap());
    assert!(!store.rewrite_impact_outcome(B, e.id, &erased).await.unwrap(), "another guild's");
    assert_eq!(store.impact_story(A, e.id).await.unwrap().map(|s| s.outcome), Some(erased));
}
