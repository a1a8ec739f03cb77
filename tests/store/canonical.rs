//! Whatever the parsers accept reads back from the store as it was written: stored values are
//! canonical, and decoding a row parses them again (issue 12: a tag of `ℝB` did not survive that).

use liaison::domain::entry::NewEntry;
use liaison::domain::note::Note;
use liaison::domain::redaction::{RedactionSpec, Redactor};
use liaison::domain::search::SearchQuery;
use liaison::domain::tag::{hashtags, merge_tags, parse_tag_list};

use crate::harness::Db;
use crate::{ids, new, q, A};

crate::conformance!(accepted_notes_and_tags_read_back_as_written);

/// Notes and tags as typed or pasted: capitals without a lower case, title case, decomposed
/// accents, `İ`, invisible and bidi characters, Unicode spaces, emoji sequences, a full-length note.
fn samples() -> Vec<(String, String)> {
    let tricky = "ℝBǅİß\u{301}a\u{200B}\u{202E}\u{A0}👩\u{200D}💻Σ\u{94D}\u{200D}क";
    vec![
        ("x".to_string(), "ℝB".repeat(20)),
        ("Cafe\u{301} ǅemal met İlker\u{A0}re #OpenAccess".to_string(), "Cafe\u{301}Culture, ǅemal".to_string()),
        ("\u{202E}jo\u{7}@x.ac.uk\u{200B} 👩\u{200D}💻 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}".to_string(), "𝐀Book ℂData".to_string()),
        (tricky.repeat(4000 / tricky.chars().count()), "ẞtraße, ΟΔΟΣ".to_string()),
    ]
}

async fn accepted_notes_and_tags_read_back_as_written(db: Db) {
    let redactor = Redactor::new(&RedactionSpec::default()).expect("the built-ins compile");
    for (typed_note, typed_tags) in samples() {
        let clean = Note::clean(&typed_note, &redactor).expect("an acceptable note");
        let given = parse_tag_list(&typed_tags).expect("acceptable tags");
        let tags = merge_tags(given, hashtags(clean.note.as_str())).expect("at most ten tags");
        let saved = db.add(NewEntry { note: clean.note.clone(), tags: tags.clone(), ..new(A, "x") }).await;
        let read = db.store.entry(A, saved.id).await.expect("the entry reads back").expect("it is there");
        assert_eq!(read.note, clean.note, "{typed_note:?}");
        assert_eq!(read.tags, tags, "{typed_tags:?}");
        assert_eq!(read, saved);
        for tag in &tags {
            let found = db.search(A, &SearchQuery { tag: Some(tag.clone()), ..q("") }).await;
            assert!(ids(&found).contains(&saved.id), "tag {tag}");
        }
    }
}
