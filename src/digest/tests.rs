//! Building a digest with fixed clocks.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;

use super::*;
use crate::domain::channel::{ChannelCatalogue, ChannelSpec};
use crate::domain::department::DepartmentKey;
use crate::domain::entry::{Author, Entry, FollowUp, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::privacy::Share;
use crate::domain::stats::{DepartmentEntries, LastHeard};
use crate::domain::tag::Tag;
use crate::message::{Markup, TimeStyle};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Markup that names what the renderer asked for, so a test can see a mention without any
/// chat's syntax.
struct Named;

impl Markup for Named {
    fn text(&self, s: &str) -> String {
        s.to_string()
    }

    fn bold(&self, s: &str) -> String {
        format!("[bold {s}]")
    }

    fn code(&self, s: &str) -> String {
        format!("[code {s}]")
    }

    fn time(&self, t: DateTime<Utc>, style: TimeStyle) -> String {
        format!("[{style:?} {t}]")
    }

    fn channel(&self, id: u64) -> String {
        format!("[channel {id}]")
    }

    fn user(&self, id: u64) -> String {
        format!("[user {id}]")
    }
}

fn entry(id: i64, department: &str, author: u64, informal: bool, note: &str) -> Entry {
    let at = now() - Duration::days(3);
    Entry {
        also_departments: Vec::new(),
        partners: Vec::new(),
        id: EntryId(id),
        guild: GuildId(1),
        author: Author { id: UserId(author), name: format!("Person {author}") },
        department: department.into(),
        channel: if informal { "coffee" } else { "email" }.into(),
        informal,
        note: Note::parse(note).unwrap(),
        tags: vec![],
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

fn with_follow_up(mut e: Entry, due: NaiveDate, status: FollowUpStatus) -> Entry {
    let done_at = (status == FollowUpStatus::Done).then(|| now() - Duration::days(1));
    e.follow_up = Some(FollowUp { owner: e.author.id, due, status, done_at });
    e
}

fn group(department: &str, entries: Vec<Entry>) -> DepartmentEntries {
    DepartmentEntries { department: department.into(), entries }
}

fn input(departments: Vec<DepartmentEntries>) -> DigestInput {
    DigestInput {
        guild: GuildId(1),
        period: DigestPeriod::week_before(now(), &London),
        now: now(),
        timezone: London,
        departments,
        previous: PreviousPeriod { entries: 2, contributors: 3, informal_share: Some(0.5) },
        open_follow_ups: vec![],
        done_follow_ups: vec![],
        last_heard: vec![],
        catalogue: vec![],
        not_served: vec![],
        // A server recording for a year: a department never heard from is quiet.
        first_heard: Some(now() - Duration::weeks(52)),
        names: DepartmentNames::default(),
        quiet_after_weeks: DEFAULT_QUIET_AFTER_WEEKS,
        dates: Default::default(),
        post_empty_weeks: true,
        channels: ChannelCatalogue::new(
            vec![
                ChannelSpec { key: "coffee".into(), name: "Coffee".into(), informal: true },
                ChannelSpec { key: "email".into(), name: "Email".into(), informal: false },
            ],
            "coffee",
        )
        .unwrap()
        .iter()
        .cloned()
        .collect(),
        sharing: Sharing::default(),
        hand_offs: Default::default(),
        partners: Default::default(),
        impact: Vec::new(),
        events: Default::default(),
        across: Vec::new(),
    }
}

#[test]
fn headline_counts_and_the_change_from_the_week_before() {
    let mut i = input(vec![
        group("History", vec![entry(1, "History", 10, true, "a"), entry(2, "History", 11, false, "b")]),
        group("Law", vec![entry(3, "Law", 10, true, "c"), entry(4, "Law", 12, true, "d")]),
    ]);
    i.catalogue = vec!["History".into(), "Law".into(), "Music".into()];
    let h = build(&i).unwrap().headline;
    assert_eq!((h.entries, h.contributors, h.departments, h.catalogue, h.informal), (4, 3, 2, 3, 3));
    assert_eq!(h.informal_share, Some(0.75));
    assert_eq!((h.change.entries, h.change.contributors), (2, 0));
    assert!((h.change.informal_points.unwrap() - 25.0).abs() < 1e-9);
}

#[test]
fn no_share_change_against_an_empty_week() {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "x")])]);
    i.previous = PreviousPeriod::default();
    let h = build(&i).unwrap().headline;
    assert_eq!(h.informal_share, Some(0.0));
    assert_eq!(h.change.informal_points, None);
    assert_eq!(h.change.entries, 1);
}

#[test]
fn departments_come_busiest_first_then_by_name() {
    let many = |d: &str, n: i64| group(d, (0..n).map(|k| entry(k, d, 1, false, "note")).collect());
    let i = input(vec![many("Law", 2), many("History", 5), many("Art", 2), group("Empty", vec![])]);
    let d = build(&i).unwrap();
    let names: Vec<&str> = d.departments.iter().map(|s| s.department.as_str()).collect();
    assert_eq!(names, ["History", "Art", "Law"]);
}

#[test]
fn a_busy_department_is_summarised_with_its_most_telling_notes() {
    let long = "The school wants a workshop on systematic reviews for its taught MSc students next term.";
    let mut entries: Vec<Entry> =
        (0..40).map(|k| entry(k, "History", (k % 4) as u64, k % 2 == 0, "ok")).collect();
    entries[7] =
        with_follow_up(entry(7, "History", 2, false, long), date(2026, 11, 27), FollowUpStatus::Open);
    entries[9] = entry(9, "History", 2, false, long);
    entries[9].tags = vec![Tag::parse("systematic reviews").unwrap(), Tag::parse("workshops").unwrap()];
    entries[11] = entry(11, "History", 3, false, long);
    entries[12].tags = vec![Tag::parse("workshops").unwrap()];
    let d = build(&input(vec![group("History", entries)])).unwrap();
    let h = &d.departments[0];
    assert_eq!((h.entries, h.informal, h.contributors), (40, 20, 4));
    let shown: Vec<i64> = h.notes.iter().map(|n| n.entry.0).collect();
    assert_eq!(shown, [7, 9, 11]);
    assert_eq!(h.notes[0].follow_up_due, Some(date(2026, 11, 27)));
    assert_eq!(h.more, 37);
    assert_eq!(h.top_tags[0].tag, "workshops");
    assert_eq!(h.top_tags[0].count, 2);
    assert_eq!(
        h.channels.iter().map(|c| (c.name.as_str(), c.count)).collect::<Vec<_>>(),
        [("Coffee", 20), ("Email", 20)]
    );
}

#[test]
fn follow_ups_are_classified_by_the_date_in_the_guilds_timezone() {
    // 23:30 UTC on 1 July is already 2 July in London (BST).
    let now = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).unwrap();
    let mut i = input(vec![]);
    i.now = now;
    i.open_follow_ups = vec![
        with_follow_up(
            entry(1, "Law", 1, false, "due yesterday in London"),
            date(2026, 7, 1),
            FollowUpStatus::Open,
        ),
        with_follow_up(
            entry(2, "Law", 1, false, "due today in London"),
            date(2026, 7, 2),
            FollowUpStatus::Open,
        ),
        with_follow_up(entry(3, "Law", 1, false, "due in six days"), date(2026, 7, 8), FollowUpStatus::Open),
        with_follow_up(entry(4, "Law", 1, false, "due in a week"), date(2026, 7, 9), FollowUpStatus::Open),
        with_follow_up(entry(5, "Law", 1, false, "already done"), date(2026, 6, 1), FollowUpStatus::Done),
    ];
    i.done_follow_ups =
        vec![with_follow_up(entry(6, "Law", 1, false, "done"), date(2026, 6, 30), FollowUpStatus::Done)];
    let d = build(&i).unwrap();
    assert_eq!(d.today, date(2026, 7, 2));
    let ids = |items: &[FollowUpItem]| items.iter().map(|f| f.entry.0).collect::<Vec<_>>();
    assert_eq!(ids(&d.follow_ups.overdue), [1]);
    assert_eq!(ids(&d.follow_ups.due_soon), [2, 3]);
    assert_eq!(d.follow_ups.later, 1);
    assert_eq!(ids(&d.follow_ups.done), [6]);
    assert_eq!(d.follow_ups.overdue[0].owner_name.as_deref(), Some("Person 1"));
}

/// Every line the digest would post, in Discord's messages and in the terminal's text.
fn everything_said(d: &Digest) -> String {
    let mut all = render_text(d);
    for message in render_messages(d, &Named, None) {
        for embed in message.embeds {
            all.push_str(&embed.title);
            all.push_str(&embed.description);
            for field in embed.fields {
                all.push_str(&field.name);
                all.push_str(&field.value);
            }
        }
    }
    all
}

/// A week with a quotable note, an open and a done follow-up, each by a named person.
fn sharing_week(sharing: Sharing) -> Digest {
    let mut tagged = entry(1, "Law", 1, false, "the moot court wants Westlaw training");
    tagged.tags = vec![Tag::parse("training").unwrap()];
    let mut i = input(vec![group("Law", vec![tagged, entry(2, "Law", 2, true, "coffee with the dean")])]);
    i.open_follow_ups = vec![with_follow_up(
        entry(3, "Law", 3, false, "send the reading list"),
        now().date_naive(),
        FollowUpStatus::Open,
    )];
    i.done_follow_ups = vec![with_follow_up(
        entry(4, "Law", 4, false, "booked the room"),
        date(2026, 11, 20),
        FollowUpStatus::Done,
    )];
    i.sharing = sharing;
    build(&i).unwrap()
}

#[test]
fn with_everything_shared_notes_and_names_show() {
    let all = everything_said(&sharing_week(Sharing::default()));
    for said in ["Westlaw training", "Person 1", "send the reading list", "booked the room", "[user 3]"] {
        assert!(all.contains(said), "{said} missing: {all}");
    }
}

#[test]
fn excerpts_off_leaves_counts_and_tags_and_no_note_text() {
    let d = sharing_week(Sharing { excerpts: false, names: true });
    assert!(d.departments[0].notes.is_empty());
    assert_eq!(d.departments[0].entries, 2);
    assert!(d.follow_ups.due_soon.iter().chain(&d.follow_ups.done).all(|f| f.note.is_none()));
    let all = everything_said(&d);
    for note in ["Westlaw", "coffee with the dean", "reading list", "booked the room"] {
        assert!(!all.contains(note), "{note} shown: {all}");
    }
    assert!(all.contains("#training ×1") && all.contains("Law · 2 entries"), "{all}");
    assert!(all.contains("#3") && all.contains("#4"), "follow-ups still listed: {all}");
    assert!(!all.contains("more entries"), "no \"+N more\" with nothing shown: {all}");
}

#[test]
fn names_off_names_nobody_and_mentions_nobody() {
    let d = sharing_week(Sharing { excerpts: true, names: false });
    let all = everything_said(&d);
    assert!(!all.contains("Person "), "a name shown: {all}");
    assert!(!all.contains("[user "), "a mention: {all}");
    assert!(!all.contains("user 3") && !all.contains("user 4"), "an owner id: {all}");
    assert!(all.contains("Westlaw training") && all.contains("send the reading list"), "{all}");
    assert_eq!(d.headline.contributors, 2, "still counted");
}

#[test]
fn a_private_entry_is_counted_but_its_text_never_shown() {
    let mut secret = entry(1, "Law", 1, false, "a student's confidential complaint");
    secret.share = Share::Private;
    let mut follow_up = with_follow_up(
        entry(2, "Law", 2, false, "private follow-up text"),
        now().date_naive(),
        FollowUpStatus::Open,
    );
    follow_up.share = Share::Private;
    let mut i = input(vec![group("Law", vec![secret, entry(3, "Law", 3, false, "a team note")])]);
    i.open_follow_ups = vec![follow_up];
    let d = build(&i).unwrap();
    assert_eq!((d.headline.entries, d.departments[0].entries), (2, 2));
    assert_eq!(d.departments[0].notes.iter().map(|n| n.entry.0).collect::<Vec<_>>(), [3]);
    assert_eq!(d.follow_ups.due_soon.len(), 1, "its follow-up is still listed");
    let all = everything_said(&d);
    assert!(!all.contains("confidential") && !all.contains("private follow-up"), "{all}");
    assert!(all.contains("a team note") && all.contains("+1 more entry"), "{all}");
}

#[test]
fn quiet_departments_include_the_long_silent_and_the_never_heard() {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "x")])]);
    i.catalogue = ["Law", "History", "Music", "Classics", "Music"].map(DepartmentKey::from).to_vec();
    i.last_heard = vec![
        LastHeard { department: "Law".into(), at: now() - Duration::weeks(20) },
        LastHeard { department: "History".into(), at: now() - Duration::weeks(7) },
        LastHeard { department: "Music".into(), at: now() - Duration::weeks(5) },
        LastHeard { department: "Gone".into(), at: now() - Duration::weeks(50) },
    ];
    let q = build(&i).unwrap().quiet;
    assert_eq!(q.after_weeks, 6);
    let listed: Vec<(&str, Option<i64>)> =
        q.departments.iter().map(|d| (d.department.as_str(), d.weeks)).collect();
    assert_eq!(listed, [("Classics", None), ("History", Some(7))]);
}

/// The quiet departments listed, with whole weeks since they were last heard (`None`: never).
fn quiet_listed(d: &Digest) -> Vec<(&str, Option<i64>)> {
    d.quiet.departments.iter().map(|q| (q.department.as_str(), q.weeks)).collect()
}

fn heard(department: &str, weeks_ago: i64) -> LastHeard {
    LastHeard { department: department.into(), at: now() - Duration::weeks(weeks_ago) }
}

#[test]
fn on_a_new_server_no_department_is_quiet_until_its_first_entry_is_old_enough() {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "x")])]);
    i.catalogue = ["Law", "History", "Music"].map(DepartmentKey::from).to_vec();
    i.last_heard = vec![heard("Law", 0)];
    i.first_heard = Some(now() - Duration::days(3));
    let d = build(&i).unwrap();
    assert_eq!(quiet_listed(&d), [], "recording for three days: nobody has gone quiet");
    assert!(!render_text(&d).contains("NOT HEARD FROM"), "{}", render_text(&d));
    i.first_heard = Some(now() - Duration::weeks(5));
    assert_eq!(quiet_listed(&build(&i).unwrap()), [], "five weeks is not six");
    i.first_heard = Some(now() - Duration::weeks(6) - Duration::days(1));
    assert_eq!(quiet_listed(&build(&i).unwrap()), [("History", None), ("Music", None)]);
    i.first_heard = None;
    i.last_heard = vec![];
    i.departments = vec![];
    assert_eq!(quiet_listed(&build(&i).unwrap()), [], "no entries at all");
}

#[test]
fn a_department_not_served_is_never_listed_as_quiet() {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "x")])]);
    i.catalogue = ["Law", "History", "Music", "Classics"].map(DepartmentKey::from).to_vec();
    i.not_served = ["Music", "Classics"].map(DepartmentKey::from).to_vec();
    i.last_heard = vec![heard("Law", 0), heard("History", 10), heard("Music", 30)];
    let d = build(&i).unwrap();
    assert_eq!(quiet_listed(&d), [("History", Some(10))], "Music long silent and Classics never heard");
    // Not served, yet still counted when heard from.
    i.departments.push(group("Music", vec![entry(2, "Music", 1, false, "y")]));
    let d = build(&i).unwrap();
    assert_eq!(d.headline.departments, 2);
    assert!(d.departments.iter().any(|s| s.department == "Music"));
}

#[test]
fn the_longest_quiet_come_first_the_never_heard_as_quiet_since_the_first_entry() {
    let mut i = input(vec![group("Music", vec![entry(1, "Music", 1, false, "x")])]);
    i.catalogue = ["History", "Zoology", "Law", "Art", "Music"].map(DepartmentKey::from).to_vec();
    i.first_heard = Some(now() - Duration::weeks(20));
    // Law's was the server's first entry; Zoology has none, so has been quiet exactly as long.
    i.last_heard = vec![heard("History", 7), heard("Law", 20), heard("Art", 15), heard("Music", 0)];
    let d = build(&i).unwrap();
    assert_eq!(
        quiet_listed(&d),
        [("Law", Some(20)), ("Zoology", None), ("Art", Some(15)), ("History", Some(7))]
    );
    let text = render_text(&d);
    let at = |name: &str| text.find(&format!("  {name}:")).unwrap_or_else(|| panic!("{name}: {text}"));
    assert!(at("Law") < at("Zoology") && at("Zoology") < at("Art") && at("Art") < at("History"), "{text}");
    assert!(text.contains("  Zoology: never heard from\n"), "{text}");
}

#[test]
fn past_eight_quiet_departments_the_rest_are_folded_into_a_count() {
    let names: Vec<String> = (1..=11).map(|n| format!("Department {n:02}")).collect();
    let mut i = input(vec![]);
    i.catalogue = names.iter().map(|n| n.as_str().into()).collect();
    // Department 01 the longest quiet, 11 the least.
    i.last_heard = names.iter().zip(0..).map(|(n, w)| heard(n, 30 - w)).collect();
    let d = build(&i).unwrap();
    let listed: Vec<&str> = quiet_listed(&d).into_iter().map(|(n, _)| n).collect();
    assert_eq!(listed, names[..8].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!((d.quiet.more, d.quiet.total()), (3, 11));
    let text = render_text(&d);
    assert!(text.contains("NOT HEARD FROM IN 6 WEEKS OR MORE (11)"), "{text}");
    assert!(text.contains("  Department 08: last heard") && text.contains("\n  +3 more\n"), "{text}");
    assert!(!text.contains("Department 09"), "{text}");
    let fields: Vec<(String, String)> = render_messages(&d, &Named, None)
        .iter()
        .flat_map(|m| &m.embeds)
        .flat_map(|e| &e.fields)
        .map(|f| (f.name.clone(), f.value.clone()))
        .collect();
    let (_, value) = fields.iter().find(|(name, _)| name == "Departments (11)").expect("the quiet list");
    assert_eq!(value.lines().count(), 9, "eight departments and the rest: {value}");
    assert!(value.ends_with("\n+3 more") && !value.contains("Department 09"), "{value}");

    // One past eight: "+1 more".
    i.catalogue.truncate(9);
    i.last_heard.truncate(9);
    let d = build(&i).unwrap();
    assert_eq!((d.quiet.departments.len(), d.quiet.more), (8, 1));
    assert!(render_text(&d).contains("\n  +1 more\n"), "{}", render_text(&d));
    // Exactly eight: nothing folded.
    i.catalogue.truncate(8);
    i.last_heard.truncate(8);
    let d = build(&i).unwrap();
    assert_eq!(d.quiet.more, 0);
    assert!(!render_text(&d).contains("more\n"), "{}", render_text(&d));
}

#[test]
fn a_quiet_week_still_gets_a_short_digest() {
    let d = build(&input(vec![group("Law", vec![])])).unwrap();
    assert!(d.is_quiet_week() && !d.has_chart());
    assert!(d.departments.is_empty());
    assert_eq!(d.headline.informal_share, None);
    let messages = render_messages(&d, &Named, None);
    assert_eq!(messages.len(), 1);
    assert!(messages[0].embeds[0].description.contains("A quiet week"), "{:?}", messages[0]);
    assert!(render_text(&d).contains("A quiet week"));
}

#[test]
fn a_quiet_week_is_skipped_when_the_guild_says_so() {
    let mut i = input(vec![]);
    i.post_empty_weeks = false;
    assert!(build(&i).is_none());
    i.departments = vec![group("Law", vec![entry(1, "Law", 1, false, "x")])];
    assert!(build(&i).is_some());
}

#[test]
fn changes_read_with_a_sign_and_no_negative_zero() {
    use super::render::{signed, signed_f};
    assert_eq!([signed(3), signed(0), signed(-2)], ["+3", "±0", "−2"]);
    assert_eq!([signed_f(4.6), signed_f(-0.4), signed_f(-12.5)], ["+5", "±0", "−13"]);
}

#[test]
fn departments_are_shown_by_their_names_whatever_key_they_are_filed_under() {
    let mut i = input(vec![group("hist", vec![entry(1, "hist", 1, false, "x")])]);
    let old =
        with_follow_up(entry(2, "History (old)", 2, false, "y"), date(2026, 11, 2), FollowUpStatus::Open);
    i.open_follow_ups = vec![old];
    i.catalogue = ["hist", "law"].map(DepartmentKey::from).to_vec();
    for (key, name) in [("hist", "History"), ("History (old)", "History"), ("law", "Law")] {
        i.names.insert(key.into(), name);
    }
    let d = build(&i).unwrap();
    assert_eq!(d.departments[0].department, "History");
    assert_eq!(d.follow_ups.overdue[0].department, "History");
    let quiet: Vec<&str> = d.quiet.departments.iter().map(|q| q.department.as_str()).collect();
    assert_eq!(quiet, ["Law"]);
    // A key without a name (a department no longer configured) shows as itself.
    assert_eq!(DepartmentNames::default().of(&"Gone".into()), "Gone");
}

fn link(id: i64, name: &str) -> crate::domain::partner::PartnerLink {
    crate::domain::partner::PartnerLink {
        id: crate::domain::partner::PartnerId(id),
        name: crate::domain::partner::PartnerName::parse(name).unwrap(),
    }
}

/// A week with two hand-offs from the desk (one taken up), one waiting past three days and one
/// that reached nobody; partners heard from, new and gone quiet.
fn desk_and_partners_week(sharing: Sharing) -> Digest {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "asked at the desk")])]);
    i.names.insert("Law".into(), "Law School");
    i.hand_offs = HandOffInput {
        made: 2,
        taken: 1,
        waiting: vec![
            WaitingHandOffInput {
                entry: EntryId(7),
                department: "Law".into(),
                made_at: now() - Duration::days(5),
                unreached: false,
            },
            WaitingHandOffInput {
                entry: EntryId(8),
                department: "Law".into(),
                made_at: now() - Duration::days(1),
                unreached: true,
            },
        ],
    };
    i.partners = PartnerInput {
        heard: vec![(link(1, "Dr A. Field"), 1), (link(2, "Elsevier"), 3)],
        created: vec![link(3, "Research Office")],
        quiet: vec![
            QuietPartnerInput {
                partner: link(4, "Quiet Lab"),
                owner: Some(UserId(44)),
                last_contact: Some(now() - Duration::weeks(10)),
            },
            QuietPartnerInput {
                partner: link(5, "Never Network"),
                owner: Some(UserId(55)),
                last_contact: None,
            },
        ],
        quiet_total: 3,
        quiet_after_weeks: 8,
    };
    i.sharing = sharing;
    build(&i).unwrap()
}

#[test]
fn the_desk_section_counts_hand_offs_and_lists_those_nobody_took() {
    let d = desk_and_partners_week(Sharing::default());
    assert_eq!((d.hand_offs.made, d.hand_offs.taken), (2, 1));
    assert_eq!(d.hand_offs.waiting.iter().map(|w| w.entry.0).collect::<Vec<_>>(), [7, 8]);
    assert_eq!(d.hand_offs.waiting[0].department, "Law School", "named as the catalogue names it");
    let all = everything_said(&d);
    assert!(all.contains("From the desk: [bold 2], taken up: [bold 1]"), "{all}");
    assert!(all.contains("From the desk: 2, taken up: 1"), "the terminal's too: {all}");
    assert!(all.contains("Hand-offs nobody took within 3 days (2)"), "{all}");
    assert!(all.contains("#7]") && all.contains("nobody took it"), "{all}");
    assert!(all.contains("nobody could be reached by DM"), "{all}");
}

#[test]
fn the_partners_section_lists_heard_new_and_quiet_with_owners_mentioned() {
    let d = desk_and_partners_week(Sharing::default());
    let heard: Vec<(&str, u64)> = d.partners.heard.iter().map(|c| (c.name.as_str(), c.entries)).collect();
    assert_eq!(heard, [("Elsevier", 3), ("Dr A. Field", 1)], "most entries first");
    assert_eq!(d.partners.new, ["Research Office"]);
    let quiet: Vec<&str> = d.partners.quiet.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(quiet, ["Never Network", "Quiet Lab"], "never heard from first");
    assert_eq!(d.partners.quiet_more, 1);
    let all = everything_said(&d);
    for said in [
        "Heard from this week (2)",
        "Elsevier · 3 entries",
        "New partners (1)",
        "Research Office",
        "Gone quiet (no entry in 8 weeks) (3)",
        "Quiet Lab: last heard",
        "[user 44]",
        "Never Network: never heard from · [user 55]",
        "…and 1 more",
    ] {
        assert!(all.contains(said), "{said} missing: {all}");
    }
}

#[test]
fn names_off_leaves_quiet_partners_without_their_owners() {
    let d = desk_and_partners_week(Sharing { excerpts: true, names: false });
    assert!(d.partners.quiet.iter().all(|q| q.owner.is_none()));
    let all = everything_said(&d);
    assert!(!all.contains("[user 44]") && !all.contains("user 55"), "{all}");
    assert!(all.contains("Quiet Lab"), "the partner is still listed: {all}");
}

#[test]
fn many_partners_still_fit_discords_limits() {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "x")])]);
    let long = |n: i64| link(n, &format!("{} {n}", "A very long partner name of a consortium".repeat(2)));
    i.partners = PartnerInput {
        heard: (0..300).map(|n| (long(n), 1)).collect(),
        created: (300..600).map(long).collect(),
        quiet: (600..800)
            .map(|n| QuietPartnerInput {
                partner: long(n),
                owner: Some(UserId(n as u64)),
                last_contact: None,
            })
            .collect(),
        quiet_total: 900,
        quiet_after_weeks: 8,
    };
    let d = build(&i).unwrap();
    for message in render_messages(&d, &Named, None) {
        assert!(crate::message::limits::violations(&message).is_empty(), "{message:?}");
    }
}

#[test]
fn a_cross_disciplinary_entry_counts_once_in_the_headline_and_under_each_department() {
    let mut shared = entry(1, "History", 10, true, "a joint seminar on archives");
    shared.also_departments = vec!["Law".into()];
    let i = input(vec![
        group("History", vec![shared.clone(), entry(2, "History", 11, false, "b")]),
        group("Law", vec![shared]),
    ]);
    let digest = build(&i).unwrap();
    let h = &digest.headline;
    assert_eq!((h.entries, h.contributors, h.departments, h.informal), (2, 2, 2, 1));
    assert_eq!(h.informal_share, Some(0.5));
    let per: Vec<(&str, u64)> =
        digest.departments.iter().map(|d| (d.department.as_str(), d.entries)).collect();
    assert_eq!(per, [("History", 2), ("Law", 1)]);
}

fn story(entry: i64, departments: &[&str], outcome: &str, share: Share) -> crate::domain::impact::ImpactLine {
    use crate::domain::impact::{Evidence, ImpactLine, ImpactStory, ObjectiveName, Outcome};
    ImpactLine {
        story: ImpactStory {
            guild: GuildId(1),
            entry: EntryId(entry),
            outcome: Outcome::parse(outcome).unwrap(),
            evidence: Some(Evidence::parse("https://example.ac.uk/evidence").unwrap()),
            objective: ObjectiveName::parse("Digital skills (JISC framework)").unwrap(),
            marked_by: UserId(77),
            marked_at: now() - Duration::days(2),
        },
        departments: departments.iter().map(|d| DepartmentKey::from(*d)).collect(),
        partners: Vec::new(),
        occurred_at: now() - Duration::days(30),
        author: UserId(10),
        share,
    }
}

fn impact_week(sharing: Sharing) -> Digest {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "x")])]);
    i.names.insert("hist".into(), "History");
    i.impact = vec![
        story(5, &["hist", "Law"], "Forty PhD students trained; the module now books us", Share::Team),
        story(6, &["Law"], "a private entry's outcome", Share::Private),
    ];
    i.sharing = sharing;
    build(&i).unwrap()
}

#[test]
fn the_digest_opens_with_impact_this_week() {
    let d = impact_week(Sharing::default());
    let messages = render_messages(&d, &Named, Some(CHART_FILE));
    let embeds = &messages[0].embeds;
    assert_eq!(embeds[0].title, "Impact this week");
    let stories = &embeds[0].fields[0];
    assert_eq!(stories.name, "Stories (2)");
    let lines: Vec<&str> = stories.value.lines().collect();
    assert_eq!(
        lines[0],
        "• [bold #5] History, Law · Digital skills (JISC framework): Forty PhD students trained; \
         the module now books us · evidence: https://example.ac.uk/evidence · [user 77]"
    );
    assert!(
        !stories.value.contains("private entry"),
        "a private entry's outcome is not told: {}",
        stories.value
    );
    assert!(
        lines[1].starts_with("• [bold #6] Law · Digital skills (JISC framework) · evidence"),
        "{}",
        lines[1]
    );
    // The chart stays with the numbers.
    assert!(embeds[0].image.is_none());
    assert!(embeds[1].title.starts_with("Liaison digest"));
    assert_eq!(embeds[1].image, Some(crate::message::Image::Attachment(CHART_FILE.into())));

    let text = render_text(&d);
    let opening: Vec<&str> = text.lines().skip(3).take(4).collect();
    assert_eq!(
        opening,
        [
            "IMPACT THIS WEEK (2)",
            "  #5 History, Law · Digital skills (JISC framework): Forty PhD students trained; the module now books us",
            "    Evidence: https://example.ac.uk/evidence",
            "    Marked by user 77",
        ]
    );
}

#[test]
fn impact_stories_tell_only_what_the_guild_shares() {
    let d = impact_week(Sharing { excerpts: false, names: false });
    assert!(d.impact.iter().all(|i| i.outcome.is_none() && i.marked_by.is_none()));
    let all = everything_said(&d);
    assert!(!all.contains("Forty PhD") && !all.contains("[user 77]") && !all.contains("user 77"), "{all}");
    assert!(all.contains("Digital skills (JISC framework)"), "the objective still shows: {all}");
}

#[test]
fn without_impact_stories_the_digest_opens_with_its_numbers_and_a_quiet_week_with_some_is_posted() {
    let plain = build(&input(vec![group("Law", vec![entry(1, "Law", 1, false, "x")])])).unwrap();
    let messages = render_messages(&plain, &Named, Some(CHART_FILE));
    assert!(messages[0].embeds[0].title.starts_with("Liaison digest"));
    assert!(messages[0].embeds[0].image.is_some());
    assert!(!render_text(&plain).contains("IMPACT"));

    let mut quiet = input(vec![]);
    quiet.post_empty_weeks = false;
    assert!(build(&quiet).is_none(), "nothing to say");
    quiet.impact = vec![story(5, &["Law"], "a module changed", Share::Team)];
    let d = build(&quiet).expect("impact is worth a digest");
    assert_eq!(render_messages(&d, &Named, None)[0].embeds[0].title, "Impact this week");
}

#[test]
fn many_long_impact_stories_still_fit_discords_limits() {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "x")])]);
    i.impact = (0..60)
        .map(|n| story(n, &["Law"], &"A long outcome, told in full. ".repeat(33), Share::Team))
        .collect();
    let d = build(&i).unwrap();
    let messages = render_messages(&d, &Named, None);
    for message in &messages {
        assert!(crate::message::limits::violations(message).is_empty(), "{message:?}");
    }
    let listed = messages
        .iter()
        .flat_map(|m| &m.embeds)
        .flat_map(|e| &e.fields)
        .filter(|f| f.name.starts_with("Stories"));
    let lines: usize = listed.map(|f| f.value.lines().count()).sum();
    assert_eq!(lines, 60, "every story listed, none dropped");
}

#[test]
fn the_events_section_lists_events_held_with_what_was_logged_and_those_nothing_was_decided_after() {
    let mut i = input(vec![group("Law", vec![entry(1, "Law", 1, false, "asked at the fair")])]);
    assert!(!everything_said(&build(&i).unwrap()).contains("Events"), "no events: no section");
    i.events = Events {
        held: vec![
            HeldEvent {
                name: "Research showcase".into(),
                ends_on: date(2026, 11, 19),
                logged: 3,
                decided: 1,
            },
            HeldEvent { name: "Quiet stand".into(), ends_on: date(2026, 11, 20), logged: 0, decided: 0 },
        ],
        undecided: vec![
            UndecidedEvent { name: "Quiet stand".into(), ends_on: date(2026, 11, 20) },
            UndecidedEvent { name: "Autumn fair".into(), ends_on: date(2026, 11, 2) },
        ],
    };
    let d = build(&i).unwrap();
    let all = everything_said(&d);
    assert!(all.contains("Held this week (2)"), "{all}");
    assert!(all.contains("[bold Research showcase] · 19 Nov · logged 3, follow-ups 1"), "{all}");
    assert!(all.contains("Nothing decided after (2)"), "{all}");
    assert!(all.contains("• Autumn fair · ended 2 Nov"), "{all}");
    assert!(
        all.contains("EVENTS") && all.contains("Research showcase · 2026-11-19 · logged 3, follow-ups 1"),
        "the terminal's too: {all}"
    );
    assert!(all.contains("Autumn fair · ended 2026-11-02"), "{all}");
}

/// A week in which Person 1 in History and Person 2 in Law both heard about EEBO access, with
/// the section worked out as the service does it, the weeks before holding nothing.
fn across_week(sharing: Sharing) -> DigestInput {
    let mut i = input(vec![
        group("History", vec![entry(1, "History", 1, false, "Asked about EEBO access for the MA")]),
        group("Law", vec![entry(2, "Law", 2, true, "Trouble with EEBO access again")]),
    ]);
    i.names.insert("History".into(), "History and Classics");
    i.sharing = sharing;
    let week = Week::of(&i.departments, &Default::default(), sharing);
    let before =
        Before { entries: 40, held: week.lookup().into_iter().map(|t| (t, Held::default())).collect() };
    i.across = week.topics(&before);
    i
}

#[test]
fn heard_across_teams_follows_the_headline_with_the_entries_behind_each_topic() {
    let d = build(&across_week(Sharing::default())).unwrap();
    let messages = render_messages(&d, &Named, Some(CHART_FILE));
    let embeds = &messages[0].embeds;
    assert!(embeds[0].title.starts_with("Liaison digest"));
    assert_eq!(embeds[0].image, Some(crate::message::Image::Attachment(CHART_FILE.into())));
    assert_eq!(embeds[1].title, "Heard across teams");
    assert_eq!(embeds[1].fields[0].name, "EEBO access · new · 2 entries");
    assert_eq!(
        embeds[1].fields[0].value,
        "• [bold #1] Person 1 · History and Classics\n• [bold #2] Person 2 · Law"
    );
    assert!(embeds[2].title.starts_with("By department"));

    let text = render_text(&d);
    let at = text.find("HEARD ACROSS TEAMS (1)").expect("the section in the text");
    assert!(at > text.find("contributors").unwrap() && at < text.find("BY DEPARTMENT").unwrap(), "{text}");
    assert!(
        text.contains("  EEBO access · new · 2 entries\n    #1 Person 1 · History and Classics\n    #2 Person 2 · Law\n"),
        "{text}"
    );
}

#[test]
fn heard_across_teams_names_nobody_where_the_guild_names_nobody_and_is_absent_without_topics() {
    let d = build(&across_week(Sharing { excerpts: true, names: false })).unwrap();
    assert!(d.across[0].entries.iter().all(|e| e.author.is_none()));
    let all = everything_said(&d);
    assert!(all.contains("Heard across teams") && !all.contains("Person"), "{all}");

    let mut quiet = across_week(Sharing::default());
    quiet.across.clear();
    let all = everything_said(&build(&quiet).unwrap());
    assert!(!all.contains("Heard across teams") && !all.contains("HEARD ACROSS"), "{all}");
}

#[test]
fn after_impact_stories_the_headline_then_heard_across_teams() {
    let mut i = across_week(Sharing::default());
    i.impact = vec![story(5, &["History"], "Forty PhD students trained", Share::Team)];
    let messages = render_messages(&build(&i).unwrap(), &Named, Some(CHART_FILE));
    let titles: Vec<&str> = messages[0].embeds.iter().map(|e| e.title.as_str()).take(3).collect();
    assert_eq!(titles[0], "Impact this week");
    assert!(titles[1].starts_with("Liaison digest"));
    assert_eq!(titles[2], "Heard across teams");
}

#[test]
fn a_topic_with_many_entries_lists_the_first_and_counts_the_rest_within_discords_limits() {
    let mut i = across_week(Sharing::default());
    let long = "x".repeat(200);
    let mut topic = i.across[0].clone();
    topic.entries = (0..40)
        .map(|n| TopicEntry {
            entry: EntryId(n),
            departments: vec![DepartmentKey::from(long.as_str()), "Law".into()],
            teams: vec![long.clone()],
        })
        .collect();
    i.across = vec![topic.clone(), topic.clone(), topic.clone(), topic.clone(), topic];
    let d = build(&i).unwrap();
    assert_eq!((d.across[0].entries.len(), d.across[0].more), (ACROSS_ENTRIES_LISTED, 34));
    let messages = render_messages(&d, &Named, Some(CHART_FILE));
    for m in &messages {
        assert_eq!(crate::message::limits::violations(m), Vec::<String>::new());
    }
    let section = &messages[0].embeds[1];
    assert_eq!(section.fields.len(), 5);
    assert!(section.fields[0].value.ends_with("+34 more entries"), "{}", section.fields[0].value);
}
