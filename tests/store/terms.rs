//! The terms index (`TermStore`): which entries hold a term, newest first and capped, in a window
//! and a guild; only what others may see (team entries whose note is kept); exact after every
//! write path (insert, capture once, import, edit, erasure, retention, deletes); and entries
//! written before the index, or by an older version, indexed by `index_stale_terms`.

use liaison::domain::entry::{Author, Entry, EntryEdit, NewEntry};
use liaison::domain::ids::{EntryId, GuildId};
use liaison::domain::note::Note;
use liaison::domain::privacy::{Share, ERASED};
use liaison::domain::tag::Tag;
use liaison::domain::terms::{of_entry, Term};
use liaison::domain::time_range::TimeRange;
use liaison::store::{CaptureKey, Inserted, Rewrite};

use crate::harness::Db;
use crate::{new, t, tags, A, B, BEN};

crate::conformance!(
    a_saved_entry_is_found_by_its_words_and_tags_newest_first,
    the_cap_keeps_the_newest_and_says_there_are_more,
    the_window_includes_its_start_and_excludes_its_end,
    another_guilds_entries_are_never_found,
    a_private_entry_holds_no_terms_and_is_not_counted,
    an_edit_moves_the_entry_to_its_new_terms_and_date,
    retention_and_erasure_take_the_text_out_of_the_index,
    every_delete_takes_the_entry_out_of_the_index,
    an_import_and_a_capture_once_write_the_terms,
    indexed_entries_counts_the_window_up_to_the_cap,
    stale_entries_are_indexed_newest_first_until_none_is_left,
);

/// The term a word is stored under, as the domain makes it (never spelt out here: the stemmer
/// decides).
fn word(w: &str) -> Term {
    of_entry(w, &[]).into_iter().next().expect("a word worth comparing").term
}

fn tag(name: &str) -> Term {
    Term::tag(&Tag::parse(name).unwrap())
}

fn all_month() -> TimeRange {
    TimeRange::new(t(1, 0), t(30, 0))
}

fn at(day: u32, hour: u32, guild: GuildId, note: &str) -> NewEntry {
    NewEntry { occurred_at: t(day, hour), created_at: t(day, hour), ..new(guild, note) }
}

/// The entries holding each term, and whether there were more than `cap`.
async fn look(
    db: &Db,
    guild: GuildId,
    terms: &[Term],
    window: &TimeRange,
    cap: u32,
) -> Vec<(Vec<EntryId>, bool)> {
    let found = db.store.entries_with_terms(guild, terms, window, cap).await.expect("lookup");
    assert_eq!(found.iter().map(|p| p.term.clone()).collect::<Vec<_>>(), terms, "every term, in order");
    found.into_iter().map(|p| (p.entries, p.more)).collect()
}

async fn holding(db: &Db, guild: GuildId, term: Term) -> Vec<EntryId> {
    look(db, guild, &[term], &all_month(), 100).await.remove(0).0
}

async fn a_saved_entry_is_found_by_its_words_and_tags_newest_first(db: Db) {
    let early =
        db.add(NewEntry { tags: tags(&["eebo"]), ..at(3, 10, A, "EEBO training for the seminar") }).await;
    let late = db.add(at(5, 10, A, "They want EEBO workshops")).await;
    let middle = db.add(at(4, 10, A, "Training on EEBO again")).await;
    // The same time as `middle`: the later id comes first.
    let tie = db.add(at(4, 10, A, "eebo")).await;
    db.add(at(6, 10, A, "Nothing about it")).await;

    let terms = [word("EEBO"), tag("eebo"), word("training"), word("absent")];
    let found = look(&db, A, &terms, &all_month(), 10).await;
    assert_eq!(found[0], (vec![late.id, tie.id, middle.id, early.id], false));
    assert_eq!(found[1], (vec![early.id], false));
    // "training" and "Training" are one term.
    assert_eq!(found[2], (vec![middle.id, early.id], false));
    assert_eq!(found[3], (vec![], false));
    assert!(look(&db, A, &[], &all_month(), 10).await.is_empty());
}

async fn the_cap_keeps_the_newest_and_says_there_are_more(db: Db) {
    let mut ids = Vec::new();
    for day in 2..7 {
        ids.push(db.add(at(day, 9, A, "Archive visit")).await.id);
    }
    ids.reverse();
    let term = [word("archive")];
    assert_eq!(look(&db, A, &term, &all_month(), 2).await[0], (ids[..2].to_vec(), true));
    assert_eq!(look(&db, A, &term, &all_month(), 5).await[0], (ids.clone(), false));
    assert_eq!(look(&db, A, &term, &all_month(), 0).await[0], (vec![], true));
}

async fn the_window_includes_its_start_and_excludes_its_end(db: Db) {
    let before = db.add(at(3, 23, A, "Journal cancellations")).await;
    let first = db.add(at(4, 0, A, "Journal cancellations")).await;
    let last = db.add(at(5, 23, A, "Journal cancellations")).await;
    let after = db.add(at(6, 0, A, "Journal cancellations")).await;
    let window = TimeRange::new(t(4, 0), t(6, 0));
    assert_eq!(look(&db, A, &[word("journal")], &window, 10).await[0], (vec![last.id, first.id], false));
    let everything = holding(&db, A, word("journal")).await;
    assert_eq!(everything, vec![after.id, last.id, first.id, before.id]);
}

async fn another_guilds_entries_are_never_found(db: Db) {
    let ours = db.add(NewEntry { tags: tags(&["oa"]), ..at(3, 10, A, "Open access fund") }).await;
    db.add(NewEntry { tags: tags(&["oa"]), ..at(4, 10, B, "Open access fund") }).await;
    assert_eq!(holding(&db, A, word("fund")).await, vec![ours.id]);
    assert_eq!(holding(&db, A, tag("oa")).await, vec![ours.id]);
    assert_eq!(db.store.indexed_entries(A, &all_month(), 100).await.unwrap(), 1);
}

async fn a_private_entry_holds_no_terms_and_is_not_counted(db: Db) {
    let team = db.add(at(3, 10, A, "Dataset deposit question")).await;
    db.add(NewEntry {
        share: Share::Private,
        tags: tags(&["data"]),
        ..at(4, 10, A, "Dataset deposit question")
    })
    .await;
    assert_eq!(holding(&db, A, word("dataset")).await, vec![team.id]);
    assert_eq!(holding(&db, A, tag("data")).await, vec![]);
    assert_eq!(db.store.indexed_entries(A, &all_month(), 100).await.unwrap(), 1);
    // Nothing is stale either: the private entry is current, with no terms.
    assert_eq!(db.store.index_stale_terms(100).await.unwrap(), 0);
}

async fn an_edit_moves_the_entry_to_its_new_terms_and_date(db: Db) {
    let e = db.add(NewEntry { tags: tags(&["eebo"]), ..at(3, 10, A, "EEBO training") }).await;
    let other = db.add(at(10, 10, A, "Zotero training")).await;
    let edit = EntryEdit {
        occurred_at: t(20, 10),
        ..EntryEdit::of_text(&e, Note::parse("Zotero workshop").unwrap(), tags(&["zotero"]), 0, t(21, 9))
    };
    db.store.edit_entry(A, e.id, &edit).await.unwrap().expect("edited");

    assert_eq!(holding(&db, A, word("EEBO")).await, vec![]);
    assert_eq!(holding(&db, A, tag("eebo")).await, vec![]);
    assert_eq!(holding(&db, A, word("training")).await, vec![other.id]);
    assert_eq!(holding(&db, A, tag("zotero")).await, vec![e.id]);
    // Newest first by its new date; gone from a window holding only the old one.
    assert_eq!(holding(&db, A, word("zotero")).await, vec![e.id, other.id]);
    let old_days = TimeRange::new(t(1, 0), t(5, 0));
    assert_eq!(look(&db, A, &[word("zotero")], &old_days, 10).await[0], (vec![], false));
    assert_eq!(db.store.indexed_entries(A, &old_days, 10).await.unwrap(), 0);
    // An edit of another guild's entry changes nothing.
    assert!(db.store.edit_entry(B, e.id, &edit).await.unwrap().is_none());
    assert_eq!(holding(&db, A, tag("zotero")).await, vec![e.id]);
}

async fn retention_and_erasure_take_the_text_out_of_the_index(db: Db) {
    db.add(at(2, 10, A, "Microfilm reader broken")).await;
    let kept = db
        .add(NewEntry {
            created_at: t(20, 10),
            ..at(20, 10, A, "Microfilm reader fixed, thanks Bartholomew")
        })
        .await;
    assert_eq!(db.store.expire_entries(A, t(10, 0), t(30, 12), false, true).await.unwrap(), 1);
    assert_eq!(holding(&db, A, word("microfilm")).await, vec![kept.id]);
    assert_eq!(db.store.indexed_entries(A, &all_month(), 100).await.unwrap(), 1);
    assert_eq!(db.store.index_stale_terms(100).await.unwrap(), 0, "an expired entry is current");

    let rewrite = Rewrite {
        note: Note::parse(&format!("Microfilm reader fixed, thanks {ERASED}")).unwrap(),
        tags: Vec::new(),
        author_name: "Ada".to_string(),
        source: None,
    };
    assert!(db.store.rewrite_entry(A, kept.id, &rewrite).await.unwrap());
    assert_eq!(holding(&db, A, word("Bartholomew")).await, vec![]);
    assert_eq!(holding(&db, A, word("fixed")).await, vec![kept.id]);
    assert!(!db.store.rewrite_entry(B, kept.id, &rewrite).await.unwrap());
}

async fn every_delete_takes_the_entry_out_of_the_index(db: Db) {
    let one = db.add(at(3, 10, A, "Printing credits")).await;
    let bens = db
        .add(NewEntry {
            author: Author { id: BEN, name: "Ben".to_string() },
            ..at(4, 10, A, "Printing credits")
        })
        .await;
    let adas = db.add(at(5, 10, A, "Printing credits")).await;
    db.add(at(5, 10, B, "Printing credits")).await;

    assert!(db.store.delete_entry(A, one.id).await.unwrap());
    assert_eq!(holding(&db, A, word("printing")).await, vec![adas.id, bens.id]);
    assert_eq!(db.store.delete_author_entries(A, BEN).await.unwrap(), 1);
    assert_eq!(holding(&db, A, word("printing")).await, vec![adas.id]);
    assert_eq!(db.store.forget_guild(A).await.unwrap(), 1);
    assert_eq!(holding(&db, A, word("printing")).await, vec![]);
    assert_eq!(db.store.indexed_entries(A, &all_month(), 100).await.unwrap(), 0);
    assert_eq!(holding(&db, B, word("printing")).await.len(), 1);
}

async fn an_import_and_a_capture_once_write_the_terms(db: Db) {
    let imported = |id: i64, new: NewEntry| Entry::from_new(EntryId(id), new);
    let expired = Entry {
        expired_at: Some(t(9, 0)),
        ..imported(103, NewEntry { created_at: t(1, 0), ..at(2, 10, A, "Thesis binding") })
    };
    let entries = vec![
        imported(101, NewEntry { tags: tags(&["theses"]), ..at(3, 10, A, "Thesis binding") }),
        imported(102, NewEntry { share: Share::Private, ..at(4, 10, A, "Thesis binding") }),
        expired,
        imported(104, at(5, 10, B, "Thesis binding")),
    ];
    assert_eq!(db.store.import_entries(&entries).await.unwrap(), 4);
    assert_eq!(holding(&db, A, word("thesis")).await, vec![EntryId(101)]);
    assert_eq!(holding(&db, A, tag("theses")).await, vec![EntryId(101)]);
    assert_eq!(holding(&db, B, word("binding")).await, vec![EntryId(104)]);
    assert_eq!(db.store.index_stale_terms(100).await.unwrap(), 0);

    let Inserted::New(once) =
        db.store.insert_entry_once(&at(6, 10, A, "Thesis binding"), CaptureKey::new(1)).await.unwrap()
    else {
        panic!("a new key stores the entry");
    };
    assert_eq!(holding(&db, A, word("thesis")).await, vec![once.id, EntryId(101)]);
}

async fn indexed_entries_counts_the_window_up_to_the_cap(db: Db) {
    for day in 2..8 {
        db.add(at(day, 10, A, "Reading list request")).await;
    }
    // No word worth comparing: nothing to count it under.
    db.add(at(3, 11, A, "the and of")).await;
    let window = TimeRange::new(t(3, 0), t(6, 0));
    assert_eq!(db.store.indexed_entries(A, &window, 100).await.unwrap(), 3);
    assert_eq!(db.store.indexed_entries(A, &window, 2).await.unwrap(), 2);
    assert_eq!(db.store.indexed_entries(A, &all_month(), 100).await.unwrap(), 6);
    assert_eq!(db.store.indexed_entries(B, &all_month(), 100).await.unwrap(), 0);
}

async fn stale_entries_are_indexed_newest_first_until_none_is_left(db: Db) {
    let first = db.add(NewEntry { tags: tags(&["ill"]), ..at(3, 10, A, "Interlibrary loan delays") }).await;
    let second = db.add(at(4, 10, B, "Interlibrary loan delays")).await;
    let private =
        db.add(NewEntry { share: Share::Private, ..at(5, 10, A, "Interlibrary loan delays") }).await;
    let third = db.add(at(6, 10, A, "Interlibrary loan delays")).await;
    // As an entry written before the index existed is: no terms, version 0.
    db.write_behind("UPDATE entries SET terms = NULL, terms_version = 0").await;
    assert_eq!(holding(&db, A, word("interlibrary")).await, vec![]);
    assert_eq!(db.store.indexed_entries(A, &all_month(), 100).await.unwrap(), 0);

    // Newest first, whatever the guild: the newest is the latest written.
    assert_eq!(db.store.index_stale_terms(1).await.unwrap(), 1);
    assert_eq!(holding(&db, A, word("interlibrary")).await, vec![third.id]);
    assert_eq!(db.store.index_stale_terms(2).await.unwrap(), 2);
    assert_eq!(holding(&db, B, word("interlibrary")).await, vec![second.id]);
    assert_eq!(holding(&db, A, word("interlibrary")).await, vec![third.id]);
    assert_eq!(db.store.index_stale_terms(10).await.unwrap(), 1);
    assert_eq!(db.store.index_stale_terms(10).await.unwrap(), 0);
    assert_eq!(holding(&db, A, word("interlibrary")).await, vec![third.id, first.id]);
    assert_eq!(holding(&db, A, tag("ill")).await, vec![first.id]);
    // The private entry was indexed too (to no terms): nothing is left stale.
    assert_eq!(holding(&db, A, word("delays")).await, vec![third.id, first.id]);
    assert!(db.store.entry(A, private.id).await.unwrap().is_some());
}
