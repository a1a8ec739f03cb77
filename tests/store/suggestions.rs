//! What is suggested to a member as they type: their latest entry's channel and department, and
//! the guild's tags, most used first, kept in step with every write that adds, changes or removes
//! an entry's tags.

use chrono::Duration;
use liaison::domain::entry::{Author, NewEntry};
use liaison::domain::note::Note;
use liaison::domain::privacy::Share;
use liaison::store::{LastUsed, Rewrite};

use crate::harness::Db;
use crate::{channel, department, new, t, tags, A, ADA, B, BEN};

crate::conformance!(
    the_last_used_channel_and_department_are_those_of_the_latest_recorded_entry,
    tags_are_offered_most_used_first_by_prefix_and_follow_every_change,
    private_entries_tags_are_never_offered,
);

fn last(channel_key: &str, department_name: &str) -> Option<LastUsed> {
    Some(LastUsed {
        channel: channel(channel_key).key().clone(),
        department: department(department_name).key().clone(),
    })
}

async fn the_last_used_channel_and_department_are_those_of_the_latest_recorded_entry(db: Db) {
    let store = &db.store;
    assert_eq!(store.last_used(A, ADA).await.unwrap(), None, "before any entry");
    db.add(NewEntry { channel: channel("coffee"), department: department("Physics"), ..new(A, "one") }).await;
    // Recorded later, though it happened earlier: recorded time decides.
    db.add(NewEntry {
        channel: channel("email"),
        department: department("Art"),
        occurred_at: t(1, 9),
        created_at: t(3, 9),
        ..new(A, "two")
    })
    .await;
    // Recorded at the same moment: the later entry wins.
    db.add(NewEntry {
        channel: channel("desk"),
        department: department("History"),
        occurred_at: t(1, 9),
        created_at: t(3, 9),
        ..new(A, "three")
    })
    .await;
    // Happened last, recorded first.
    db.add(NewEntry {
        channel: channel("coffee"),
        occurred_at: t(20, 9),
        created_at: t(2, 11),
        ..new(A, "four")
    })
    .await;
    assert_eq!(store.last_used(A, ADA).await.unwrap(), last("desk", "History"));
    // Another member's entries and another guild's are theirs.
    db.add(NewEntry {
        author: Author { id: BEN, name: "Ben".into() },
        channel: channel("email"),
        created_at: t(9, 9),
        ..new(A, "ben's")
    })
    .await;
    db.add(NewEntry { channel: channel("coffee"), created_at: t(9, 9), ..new(B, "elsewhere") }).await;
    assert_eq!(store.last_used(A, ADA).await.unwrap(), last("desk", "History"));
    assert_eq!(store.last_used(A, BEN).await.unwrap(), last("email", "History"));
    assert_eq!(store.last_used(B, ADA).await.unwrap(), last("coffee", "History"));
    assert_eq!(store.last_used(B, BEN).await.unwrap(), None);
}

async fn tagged(
    db: &Db,
    guild: liaison::domain::ids::GuildId,
    list: &[&str],
) -> liaison::domain::entry::Entry {
    db.add(NewEntry { tags: tags(list), ..new(guild, "tagged") }).await
}

async fn offered(db: &Db, prefix: &str) -> Vec<(String, u64)> {
    let found = db.store.top_tags(A, prefix, 25).await.unwrap();
    found.into_iter().map(|u| (u.tag.as_str().to_string(), u.uses)).collect()
}

fn pairs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(t, n)| (t.to_string(), *n)).collect()
}

async fn tags_are_offered_most_used_first_by_prefix_and_follow_every_change(db: Db) {
    let store = &db.store;
    assert!(offered(&db, "").await.is_empty());
    tagged(&db, A, &["eebo", "training"]).await;
    let second = tagged(&db, A, &["training", "open-access"]).await;
    tagged(&db, A, &["training", "eebo"]).await;
    tagged(&db, A, &["ebooks"]).await;
    tagged(&db, B, &["zotero", "zotero-groups"]).await;
    assert_eq!(
        offered(&db, "").await,
        pairs(&[("training", 3), ("eebo", 2), ("ebooks", 1), ("open-access", 1)])
    );
    assert_eq!(offered(&db, "e").await, pairs(&[("eebo", 2), ("ebooks", 1)]));
    assert_eq!(offered(&db, "eb").await, pairs(&[("ebooks", 1)]));
    assert!(offered(&db, "zotero").await.is_empty(), "another guild's");
    assert!(offered(&db, "%").await.is_empty(), "no pattern characters");
    assert!(offered(&db, "_").await.is_empty(), "no pattern characters");
    let limited = store.top_tags(A, "", 2).await.unwrap();
    assert_eq!(limited.len(), 2);

    // A rewrite (an erasure) that changes the tags moves the counts.
    let rewrite = Rewrite {
        note: Note::parse("tagged").unwrap(),
        tags: tags(&["ebooks"]),
        author_name: "Ada".into(),
        source: None,
    };
    assert!(store.rewrite_entry(A, second.id, &rewrite).await.unwrap());
    assert_eq!(offered(&db, "").await, pairs(&[("ebooks", 2), ("eebo", 2), ("training", 2)]));

    // A deletion takes its tags away; a tag nobody carries any more is not offered.
    assert!(store.delete_entry(A, second.id).await.unwrap());
    assert_eq!(offered(&db, "").await, pairs(&[("eebo", 2), ("training", 2), ("ebooks", 1)]));

    // An import counts as a capture does.
    let imported: Vec<_> = (0..3)
        .map(|n| {
            let mut e = db_entry(&second, 1000 + n);
            e.tags = tags(&["ebooks"]);
            e
        })
        .collect();
    store.import_entries(&imported).await.unwrap();
    assert_eq!(offered(&db, "").await, pairs(&[("ebooks", 4), ("eebo", 2), ("training", 2)]));

    // Forgetting a guild forgets its tags.
    store.forget_guild(A).await.unwrap();
    assert!(offered(&db, "").await.is_empty());
    assert_eq!(store.top_tags(B, "z", 25).await.unwrap().len(), 2, "the other guild's stay");
}

/// A copy of a stored entry under another id, as an import brings one.
fn db_entry(entry: &liaison::domain::entry::Entry, id: i64) -> liaison::domain::entry::Entry {
    let mut e = entry.clone();
    e.id = liaison::domain::ids::EntryId(id);
    e.created_at = entry.created_at + Duration::minutes(id);
    e
}

async fn private_entries_tags_are_never_offered(db: Db) {
    db.add(NewEntry { tags: tags(&["secret-plan", "training"]), share: Share::Private, ..new(A, "mine") })
        .await;
    tagged(&db, A, &["training"]).await;
    assert_eq!(offered(&db, "").await, pairs(&[("training", 1)]));
}
