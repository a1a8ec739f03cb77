//! The digest end to end without Discord: built from domain values, rendered as Discord messages
//! within every limit, as terminal text, as JSON and as a PNG chart.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;

use liaison::digest::{
    build, render_chart, render_messages, render_text, DepartmentNames, Digest, DigestInput, DigestPeriod,
    PreviousPeriod, Sharing, CHART_FILE,
};
use liaison::discord::markup::DiscordMarkup;
use liaison::discord::send::message_payload;
use liaison::domain::channel::{Channel, ChannelCatalogue, ChannelSpec};
use liaison::domain::entry::{Author, Entry, FollowUp, FollowUpStatus};
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::note::{Note, MAX_NOTE_CHARS};
use liaison::domain::stats::{DepartmentEntries, LastHeard};
use liaison::domain::tag::Tag;
use liaison::message::limits::violations;
use liaison::message::{Image, Markup, Message};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn channels() -> Vec<Channel> {
    let spec = |key: &str, name: &str, informal| ChannelSpec { key: key.into(), name: name.into(), informal };
    let specs = vec![
        spec("coffee", "Coffee", true),
        spec("corridor", "Corridor @everyone", true),
        spec("email", "Email", false),
        spec("meeting", "Meeting", false),
        spec("desk", "Enquiry desk", false),
    ];
    ChannelCatalogue::new(specs, "coffee").unwrap().iter().cloned().collect()
}

/// A 4000-character note full of markdown and mentions, different for each entry.
fn long_note(id: i64) -> Note {
    let unit = format!("**#{id}** @everyone <@123> _asked_ for `EEBO` ||training|| > [link](http://x) ");
    let text: String = unit.chars().cycle().take(MAX_NOTE_CHARS).collect();
    Note::parse(&text).unwrap()
}

fn entry(id: i64, department: &str, long: bool) -> Entry {
    let channel = &channels()[(id % 5) as usize];
    let author = UserId(1000 + (id % 37) as u64);
    let at = now() - Duration::hours(24 + id % 140);
    let note = if long {
        long_note(id)
    } else {
        Note::parse(&format!("Short note {id} about {department}")).unwrap()
    };
    let follow_up = match id % 9 {
        0 => Some(FollowUp::open(author, today() - Duration::days(id % 20 + 1))),
        1 => Some(FollowUp::open(author, today() + Duration::days(id % 10))),
        _ => None,
    };
    Entry {
        also_departments: Vec::new(),
        partners: Vec::new(),
        id: EntryId(id),
        guild: GuildId(1),
        author: Author { id: author, name: format!("**Librarian** @here {}", id % 37) },
        department: department.into(),
        channel: channel.key().clone(),
        informal: channel.informal(),
        note,
        tags: (0..(id % 4)).map(|t| Tag::parse(&format!("topic {}", (id + t) % 11)).unwrap()).collect(),
        occurred_at: at,
        created_at: at,
        updated_at: None,
        follow_up,
        source: None,
        redactions: 0,
        share: liaison::domain::privacy::Share::Team,
        expired_at: None,
    }
}

/// `n` departments sharing `total` entries unevenly (the first busiest), plus as many catalogue
/// departments never heard from.
fn big_input(n: usize, total: usize, long: bool) -> DigestInput {
    let names: Vec<String> =
        (0..n).map(|i| format!("School of *Studies* _{i}_ and the Department of Long Names {i}")).collect();
    let weights: Vec<usize> = (0..n).map(|i| n - i).collect();
    let sum: usize = weights.iter().sum();
    let mut next = 1i64;
    let mut departments = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let count = if i == 0 {
            total - (1..n).map(|j| total * weights[j] / sum).sum::<usize>()
        } else {
            total * weights[i] / sum
        };
        let entries = (0..count)
            .map(|_| {
                next += 1;
                entry(next, name, long)
            })
            .collect();
        departments.push(DepartmentEntries { department: name.as_str().into(), entries });
    }
    let all: Vec<Entry> = departments.iter().flat_map(|d| d.entries.clone()).collect();
    let open = all.iter().filter(|e| e.follow_up.is_some()).cloned().collect();
    let mut done: Vec<Entry> = all.iter().filter(|e| e.id.0 % 9 == 2).take(60).cloned().collect();
    for e in &mut done {
        e.follow_up = Some(FollowUp {
            owner: UserId(7),
            due: today(),
            status: FollowUpStatus::Done,
            done_at: Some(now() - Duration::days(2)),
        });
    }
    let never: Vec<String> = (0..n).map(|i| format!("Never heard @everyone {i}")).collect();
    let silent: Vec<LastHeard> = never
        .iter()
        .take(n / 2)
        .map(|d| LastHeard { department: d.as_str().into(), at: now() - Duration::weeks(9) })
        .collect();
    DigestInput {
        guild: GuildId(1),
        period: DigestPeriod::week_before(now(), &London),
        now: now(),
        timezone: London,
        departments,
        previous: PreviousPeriod { entries: 1500, contributors: 30, informal_share: Some(0.3) },
        open_follow_ups: open,
        done_follow_ups: done,
        last_heard: silent,
        catalogue: names.iter().chain(&never).map(|n| n.as_str().into()).collect(),
        not_served: Vec::new(),
        // Recording for long enough that a department never heard from is quiet.
        first_heard: Some(now() - Duration::weeks(30)),
        names: DepartmentNames::default(),
        quiet_after_weeks: 6,
        dates: Default::default(),
        post_empty_weeks: true,
        channels: channels(),
        sharing: Sharing::default(),
        hand_offs: Default::default(),
        partners: Default::default(),
        impact: Vec::new(),
        events: Default::default(),
        across: Vec::new(),
    }
}

fn digest(n: usize, total: usize, long: bool) -> Digest {
    build(&big_input(n, total, long)).expect("a week with entries has a digest")
}

/// The digest as the bot posts it: in Discord's markup, the chart attached to the first message.
fn as_posted(d: &Digest) -> Vec<Message> {
    render_messages(d, &DiscordMarkup, Some(CHART_FILE))
}

#[test]
fn forty_departments_and_two_thousand_long_notes_fit_every_limit() {
    let d = digest(40, 2000, true);
    assert_eq!(d.headline.entries, 2000);
    assert_eq!(d.departments.len(), 40);
    let messages = as_posted(&d);
    assert!(messages.len() > 1, "a digest this size needs several messages");
    for (i, m) in messages.iter().enumerate() {
        assert_eq!(violations(m), Vec::<String>::new(), "message {i}");
        // The transport fits every message again before sending; a digest must come through whole.
        assert_eq!(&m.clone().fitted(), m, "message {i} would lose something to fitting");
        assert!(!m.ephemeral && m.content.is_empty());
    }
    let fields: Vec<&str> =
        messages.iter().flat_map(|m| &m.embeds).flat_map(|e| &e.fields).map(|f| f.name.as_str()).collect();
    // Every department, in order, busiest first, across the messages.
    let mut at = 0;
    for dep in &d.departments {
        let wanted = DiscordMarkup.text(&dep.department);
        let found = fields[at..]
            .iter()
            .position(|f| f.starts_with(&wanted))
            .unwrap_or_else(|| panic!("{} missing", dep.department));
        at += found + 1;
    }
    let all: String = messages
        .iter()
        .flat_map(|m| &m.embeds)
        .flat_map(|e| e.fields.iter().map(|f| format!("{}\n{}\n", f.name, f.value)))
        .collect();
    for q in &d.quiet.departments {
        assert!(all.contains(&DiscordMarkup.text(&q.department)), "{} missing", q.department);
    }
    for section in ["Overdue (", "Due in the next 7 days (", "Done this week ("] {
        assert!(fields.iter().any(|f| f.starts_with(section)), "{section} missing");
    }
    assert!(!all.contains("@everyone") && !all.contains("@here"), "mentions must be broken");
    assert!(all.contains('…'), "long notes are cut with an ellipsis");
    let first = &messages[0].embeds[0];
    assert!(first.title.contains("Week 47, 16–22 Nov 2026"));
    assert!(
        first.description.contains("**2000** entries · +500 on the week before"),
        "{}",
        first.description
    );
}

#[test]
fn a_department_shows_at_most_three_notes_and_counts_the_rest() {
    let d = digest(3, 300, false);
    let busiest = &d.departments[0];
    assert_eq!(busiest.notes.len(), 3);
    assert_eq!(busiest.more, busiest.entries - 3);
    let messages = as_posted(&d);
    let field = messages[0]
        .embeds
        .iter()
        .flat_map(|e| &e.fields)
        .find(|f| f.name.starts_with(&DiscordMarkup.text(&busiest.department)))
        .unwrap();
    assert!(field.value.contains(&format!("+{} more entries", busiest.more)), "{}", field.value);
    assert_eq!(field.value.matches("• ").count(), 3);
}

#[test]
fn plain_text_has_every_section_without_markdown_escapes() {
    let d = digest(5, 60, false);
    let text = render_text(&d);
    for part in [
        "Liaison digest · Week 47, 16–22 Nov 2026",
        "BY DEPARTMENT (5)",
        "FOLLOW-UPS",
        "Overdue",
        "NOT HEARD FROM IN 6 WEEKS",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    for dep in &d.departments {
        assert!(text.contains(&dep.department), "{}", dep.department);
    }
    assert!(!text.contains("\\*"), "no Discord escaping in the terminal");
}

#[test]
fn the_digest_serialises_for_json_output() {
    let d = digest(2, 10, false);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["timezone"], "Europe/London");
    assert_eq!(json["period"]["label"], "Week 47, 16–22 Nov 2026");
    assert_eq!(json["headline"]["entries"], 10);
    assert_eq!(json["guild"], "1");
    assert!(json["departments"][0]["notes"][0]["note"].is_string());
}

/// Width, height and RGB pixels of a PNG.
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn colours(rgb: &[u8]) -> HashSet<[u8; 3]> {
    rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect()
}

#[test]
fn only_the_first_embed_of_a_week_with_entries_shows_the_chart() {
    let messages = as_posted(&digest(5, 60, false));
    let images: Vec<_> = messages.iter().flat_map(|m| &m.embeds).filter_map(|e| e.image.as_ref()).collect();
    assert_eq!(images, [&Image::Attachment(CHART_FILE.into())]);
    assert_eq!(message_payload(&messages[0])["embeds"][0]["image"]["url"], "attachment://chart.png");
    let quiet = as_posted(&digest(0, 0, false));
    assert!(quiet.iter().flat_map(|m| &m.embeds).all(|e| e.image.is_none()));
    // Without the file, no embed points at it.
    let unattached = render_messages(&digest(5, 60, false), &DiscordMarkup, None);
    assert!(unattached.iter().flat_map(|m| &m.embeds).all(|e| e.image.is_none()));
}

#[test]
fn the_chart_is_a_png_with_both_bar_colours() {
    for n in [1, 40] {
        let d = digest(n, n * 50, false);
        assert_eq!(d.departments.len(), n);
        let (w, h, rgb) = decode(&render_chart(&d).unwrap());
        assert_eq!(w, 960);
        assert_eq!(h, 78 + 22 * n.max(4) as u32 + 44, "{n} departments");
        let seen = colours(&rgb);
        assert!(seen.len() > 10, "text is anti-aliased, so a real chart has many shades");
        assert!(
            seen.contains(&[0x15, 0x65, 0xc0]) && seen.contains(&[0xef, 0x6c, 0x00]),
            "formal and informal bars"
        );
    }
}

#[test]
fn a_chart_of_an_empty_week_says_so_and_many_departments_share_a_last_bar() {
    let mut empty = big_input(0, 0, false);
    empty.departments.clear();
    let d = build(&empty).unwrap();
    let (w, h, rgb) = decode(&render_chart(&d).unwrap());
    assert_eq!((w, h), (960, 78 + 4 * 22 + 44));
    assert!(colours(&rgb).len() > 2, "the title and message are drawn");
    let (_, h, _) = decode(&render_chart(&digest(90, 900, false)).unwrap());
    assert_eq!(h, 78 + 60 * 22 + 44);
}
