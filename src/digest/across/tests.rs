//! Topics heard across teams from plain entries: no store, the weeks before given as counts.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::domain::entry::Author;
use crate::domain::ids::GuildId;
use crate::domain::note::Note;
use crate::domain::partner::{PartnerLink, PartnerName};
use crate::domain::tag::Tag;
use crate::domain::terms::of_entry;

fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap()
}

fn entry(id: i64, author: u64, note: &str, tags: &[&str]) -> Entry {
    let at = monday() + Duration::hours(id);
    Entry {
        also_departments: Vec::new(),
        partners: Vec::new(),
        id: EntryId(id),
        guild: GuildId(1),
        author: Author { id: UserId(author), name: format!("Person {author}") },
        department: "History".into(),
        channel: "coffee".into(),
        informal: true,
        note: Note::parse(note).unwrap(),
        tags: tags.iter().map(|t| Tag::parse(t).unwrap()).collect(),
        occurred_at: at,
        created_at: at,
        updated_at: None,
        follow_up: None,
        source: None,
        redactions: 0,
        share: Share::Team,
        expired_at: None,
    }
}

/// The week as the digest groups it: each entry under each department named beside it.
fn week_of(entries: &[(&[&str], Entry)]) -> Vec<DepartmentEntries> {
    let mut groups: Vec<DepartmentEntries> = Vec::new();
    for (departments, e) in entries {
        for d in *departments {
            match groups.iter_mut().find(|g| g.department.as_str() == *d) {
                Some(g) => g.entries.push(e.clone()),
                None => groups.push(DepartmentEntries { department: (*d).into(), entries: vec![e.clone()] }),
            }
        }
    }
    groups
}

fn week(entries: &[(&[&str], Entry)]) -> Week {
    Week::of(&week_of(entries), &HashSet::new(), Sharing::default())
}

/// The weeks before held none of the terms looked up, out of `entries`.
fn nothing_before(week: &Week, entries: u64) -> Before {
    Before { entries, held: week.lookup().into_iter().map(|t| (t, Held::default())).collect() }
}

fn shown(topics: &[AcrossTopic]) -> Vec<&str> {
    topics.iter().map(|t| t.shown.as_str()).collect()
}

fn ids(topic: &AcrossTopic) -> Vec<i64> {
    topic.entries.iter().map(|e| e.entry.0).collect()
}

#[test]
fn two_people_in_two_departments_make_a_topic_which_subsumes_its_words() {
    let w = week(&[
        (&["History"], entry(1, 10, "Asked about EEBO access for the MA", &[])),
        (&["Law"], entry(2, 11, "Trouble with EEBO access again", &[])),
    ]);
    let topics = w.topics(&nothing_before(&w, 50));
    assert_eq!(shown(&topics), ["EEBO access"], "the phrase, not its words as well");
    assert_eq!(topics[0].kind, TopicKind::Phrase);
    assert_eq!(ids(&topics[0]), [1, 2]);
    assert_eq!(topics[0].trend, Trend::New);
    let heard_in: Vec<&str> = topics[0].entries.iter().map(|e| e.departments[0].as_str()).collect();
    assert_eq!(heard_in, ["History", "Law"]);
}

#[test]
fn one_person_twice_makes_no_topic_even_in_two_departments() {
    let w = week(&[
        (&["History"], entry(1, 10, "EEBO access for the MA", &["eebo"])),
        (&["Law"], entry(2, 10, "EEBO access again", &["eebo"])),
    ]);
    assert!(w.lookup().is_empty());
    assert!(w.topics(&nothing_before(&w, 50)).is_empty());
}

#[test]
fn two_people_in_one_department_make_no_topic() {
    let w = week(&[
        (&["History"], entry(1, 10, "EEBO access for the MA", &["eebo"])),
        (&["History"], entry(2, 11, "EEBO access again", &["eebo"])),
    ]);
    assert!(w.topics(&nothing_before(&w, 50)).is_empty());
}

#[test]
fn a_cross_disciplinary_entry_brings_its_other_department() {
    let w = week(&[
        (&["History", "Law"], entry(1, 10, "EEBO access for the MA", &[])),
        (&["History"], entry(2, 11, "EEBO access again", &[])),
    ]);
    let topics = w.topics(&nothing_before(&w, 50));
    assert_eq!(shown(&topics), ["EEBO access"]);
    assert_eq!(topics[0].entries[0].departments.len(), 2);
}

#[test]
fn a_partner_of_kind_team_counts_as_a_team_and_is_named() {
    let skills = PartnerLink { id: PartnerId(7), name: PartnerName::parse("Study Skills").unwrap() };
    let mut first = entry(1, 10, "Referencing workshop clash", &[]);
    first.partners = vec![skills];
    let entries =
        week_of(&[(&["History"], first), (&["History"], entry(2, 11, "Referencing workshop", &[]))]);
    let teams: HashSet<PartnerId> = [PartnerId(7)].into();
    let w = Week::of(&entries, &teams, Sharing::default());
    let topics = w.topics(&nothing_before(&w, 50));
    assert_eq!(shown(&topics), ["Referencing workshop"]);
    assert_eq!(topics[0].entries[0].teams, ["Study Skills"]);
    // The same partner as a person or an organisation is who was heard, not a team.
    let w = Week::of(&entries, &HashSet::new(), Sharing::default());
    assert!(w.topics(&nothing_before(&w, 50)).is_empty());
}

#[test]
fn private_entries_and_expired_notes_make_no_topic() {
    let mut private = entry(2, 11, "EEBO access again", &["eebo"]);
    private.share = Share::Private;
    let w = week(&[(&["History"], entry(1, 10, "EEBO access for the MA", &["eebo"])), (&["Law"], private)]);
    assert!(w.topics(&nothing_before(&w, 50)).is_empty());

    let mut expired = entry(2, 11, "EEBO access again", &["eebo"]);
    expired.expired_at = Some(monday());
    let w = week(&[(&["History"], entry(1, 10, "EEBO access for the MA", &["eebo"])), (&["Law"], expired)]);
    assert!(w.topics(&nothing_before(&w, 50)).is_empty());
}

#[test]
fn where_the_guild_shares_no_excerpts_only_tags_make_topics() {
    let entries = week_of(&[
        (&["History"], entry(1, 10, "EEBO access for the MA", &["eebo"])),
        (&["Law"], entry(2, 11, "EEBO access again", &["eebo"])),
    ]);
    let closed = Sharing { excerpts: false, names: true };
    let w = Week::of(&entries, &HashSet::new(), closed);
    let topics = w.topics(&nothing_before(&w, 50));
    assert_eq!(shown(&topics), ["#eebo"]);
    assert_eq!(topics[0].kind, TopicKind::Tag);
    let untagged = week_of(&[
        (&["History"], entry(1, 10, "EEBO access for the MA", &[])),
        (&["Law"], entry(2, 11, "EEBO access again", &[])),
    ]);
    let w = Week::of(&untagged, &HashSet::new(), closed);
    assert!(w.topics(&nothing_before(&w, 50)).is_empty());
}

/// Four entries tagged #eebo by two people in two departments, whose notes share nothing else.
fn eebo_week() -> Week {
    week(&[
        (&["History"], entry(1, 10, "Walrus", &["eebo"])),
        (&["Law"], entry(2, 11, "Ivory", &["eebo"])),
        (&["Law"], entry(3, 11, "Narwhal", &["eebo"])),
        (&["History"], entry(4, 10, "Tusk", &["eebo"])),
    ])
}

fn eebo_before(held: usize, more: bool) -> Before {
    let entries = (100..100 + held as i64).map(EntryId).collect();
    Before { entries: 1_000, held: [(Term::from_stored("#eebo".into()), Held { entries, more })].into() }
}

#[test]
fn a_topic_is_new_rising_or_neither_against_the_four_weeks_before() {
    let w = eebo_week();
    assert_eq!(w.lookup(), [Term::from_stored("#eebo".into())]);
    let trend = |held, more| {
        let topics = w.topics(&eebo_before(held, more));
        assert_eq!(shown(&topics), ["#eebo"]);
        (topics[0].trend, topics[0].weekly_before)
    };
    assert_eq!(trend(0, false), (Trend::New, Some(0.0)));
    // 0.5 a week before, 4 now: twice that and two more.
    assert_eq!(trend(2, false), (Trend::Rising, Some(0.5)));
    assert_eq!(trend(4, false), (Trend::Rising, Some(1.0)));
    // 1.5 a week before: 4 is still twice that and 2.5 more.
    assert_eq!(trend(6, false), (Trend::Rising, Some(1.5)));
    // 2.25 and 3 a week: 4 is not twice that.
    assert_eq!(trend(9, false), (Trend::Steady, Some(2.25)));
    assert_eq!(trend(12, false), (Trend::Steady, Some(3.0)));
    // Held by more than were counted: nothing can be said.
    assert_eq!(trend(2, true), (Trend::Steady, None));
}

#[test]
fn rising_needs_two_entries_more_than_the_weekly_average() {
    // Two entries this week against one in the four weeks before: twice the average of 0.25,
    // but a single entry's difference is not "clearly more".
    let w = week(&[
        (&["History"], entry(1, 10, "Walrus", &["eebo"])),
        (&["Law"], entry(2, 11, "Ivory", &["eebo"])),
    ]);
    let before = Before {
        entries: 100,
        held: [(Term::from_stored("#eebo".into()), Held { entries: vec![EntryId(9)], more: false })].into(),
    };
    let topics = w.topics(&before);
    assert_eq!(topics[0].trend, Trend::Steady);
}

#[test]
fn words_common_in_the_guild_make_no_topic_on_their_own() {
    // Students come up everywhere: in every entry this week and in most of the weeks before.
    let notes = ["Students want walrus", "Students need ivory", "Students ask narwhal", "Students tusk"];
    let entries: Vec<(&[&str], Entry)> = notes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let department: &[&str] = if i % 2 == 0 { &["History"] } else { &["Law"] };
            (department, entry(i as i64 + 1, 10 + i as u64, n, &[]))
        })
        .collect();
    let w = week(&entries);
    let student = Term::from_stored("student".into());
    assert!(w.lookup().contains(&student));
    let held = Held { entries: (100..130).map(EntryId).collect(), more: false };
    let before = Before { entries: 40, held: [(student.clone(), held)].into() };
    assert!(w.topics(&before).is_empty(), "{:?}", w.topics(&before));
    // In a guild where it is rare, it is a topic.
    let before = Before { entries: 4_000, held: [(student, Held::default())].into() };
    assert_eq!(shown(&w.topics(&before)), ["Students"]);
}

#[test]
fn a_phrase_is_new_only_when_its_words_never_met_before() {
    let w = week(&[
        (&["History"], entry(1, 10, "Research data plans", &[])),
        (&["Law"], entry(2, 11, "Their research data", &[])),
    ]);
    let (research, data) = (Term::from_stored("research".into()), Term::from_stored("data".into()));
    let held = |ids: &[i64]| Held { entries: ids.iter().copied().map(EntryId).collect(), more: false };
    let apart = Before {
        entries: 500,
        held: [(research.clone(), held(&[101, 102])), (data.clone(), held(&[103]))].into(),
    };
    let topics = w.topics(&apart);
    assert_eq!(shown(&topics), ["Research data"]);
    assert_eq!(topics[0].trend, Trend::New);
    let together =
        Before { entries: 500, held: [(research, held(&[101, 102])), (data, held(&[102]))].into() };
    let topics = w.topics(&together);
    assert_eq!((topics[0].trend, topics[0].weekly_before), (Trend::Steady, Some(0.25)));
}

#[test]
fn at_most_five_topics_best_first_phrases_and_tags_before_words() {
    // Seven unrelated topics, each heard by two people in two departments; the first has a tag.
    let topics = ["walrus", "ivory", "narwhal", "tusk", "beluga", "orca", "krill"];
    let mut entries: Vec<(&[&str], Entry)> = Vec::new();
    for (i, t) in topics.iter().enumerate() {
        let tags: &[&str] = if i == 0 { &["whales"] } else { &[] };
        let id = i as i64 * 2;
        entries.push((&["History"], entry(id + 1, 10, t, tags)));
        entries.push((&["Law"], entry(id + 2, 11, t, tags)));
    }
    let w = week(&entries);
    let listed = w.topics(&nothing_before(&w, 1_000));
    assert_eq!(listed.len(), TOPICS_LISTED);
    assert_eq!(listed[0].shown, "#whales", "a tag before a word of the same spread");
}

#[test]
fn phrases_in_the_same_entries_join_and_their_words_are_not_listed_beside_them() {
    let w = week(&[
        (&["History"], entry(1, 10, "Research data management for the ESRC bid", &[])),
        (&["Law"], entry(2, 11, "The law school wants research data management", &[])),
    ]);
    let topics = w.topics(&nothing_before(&w, 50));
    assert_eq!(shown(&topics), ["Research data management"]);
    assert_eq!(ids(&topics[0]), [1, 2]);

    // Where the words also come up apart from the phrase, the word is its own topic.
    let w = week(&[
        (&["History"], entry(1, 10, "Data management plans", &[])),
        (&["Law"], entry(2, 11, "Data management again", &[])),
        (&["Music"], entry(3, 12, "Management of the archive", &[])),
    ]);
    let topics = w.topics(&nothing_before(&w, 50));
    assert_eq!(shown(&topics), ["Data management"], "one stem is one topic: the phrase ranks first");
    assert!(w.lookup().contains(&Term::from_stored("management".into())), "the word was weighed");
}

#[test]
fn a_department_name_is_no_topic_on_its_own_but_a_phrase_holding_it_is() {
    let names: HashSet<Term> = of_entry("English", &[]).into_iter().map(|w| w.term).collect();
    let apart: [(&[&str], Entry); 2] = [
        (&["History"], entry(1, 10, "Early English Books Online for the MA", &[])),
        (&["English"], entry(2, 11, "A lecturer in English wants a reading list", &[])),
    ];
    let all = week(&apart);
    assert_eq!(shown(&all.topics(&nothing_before(&all, 50))), ["English"], "without the names");
    let without = week(&apart).leaving_out(&names);
    assert!(without.topics(&nothing_before(&without, 50)).is_empty());

    let phrase: [(&[&str], Entry); 2] = [
        (&["History"], entry(3, 12, "English literature journals cancelled", &[])),
        (&["Law"], entry(4, 13, "English literature databases for a moot", &[])),
    ];
    let without = week(&phrase).leaving_out(&names);
    assert_eq!(shown(&without.topics(&nothing_before(&without, 50))), ["English literature"]);
}
