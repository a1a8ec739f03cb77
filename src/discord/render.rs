//! How entries, results, follow-ups and statistics look in Discord. Every piece of user text goes
//! through [`DiscordMarkup`]; every message is fitted to the limits when it is sent.

use chrono::{DateTime, NaiveDate, Utc};

use super::custom_id::{Action, DepartmentRef};
use super::markup::DiscordMarkup;
use crate::domain::channel::ChannelKey;
use crate::domain::date_style::DateStyle;
use crate::domain::department::Department;
use crate::domain::entry::{Entry, FollowUpStatus};
use crate::domain::ids::EntryId;
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::domain::search::SearchPage;
use crate::domain::words::{count, noun, shown_noun};
use crate::message::{Button, ButtonStyle, Embed, Field, Markup, Message, TimeStyle};
use crate::service::entries::{visible_to, Actor};
use crate::service::related::Related;
use crate::service::stats::Stats;

pub mod events;
pub mod partners;
pub mod related_notices;

const GREEN: u32 = 0x2e7d32;
/// What stands for a private entry's text where another member sees the entry listed.
const PRIVATE_TEXT: &str = "(private: only its author and admins see its text)";
const BLUE: u32 = 0x1565c0;
const AMBER: u32 = 0xef6c00;

/// A date every reader sees in their own timezone.
fn when(t: DateTime<Utc>) -> String {
    DiscordMarkup.time(t, TimeStyle::Date)
}

/// A follow-up's due day, as the server's locale writes it.
fn due(d: NaiveDate, dates: DateStyle) -> String {
    dates.weekday(d)
}

/// A moment in a footer, where Discord shows no timestamps: the day as the server writes it, UTC.
fn at_utc(t: DateTime<Utc>, dates: DateStyle) -> String {
    format!("{} {} UTC", dates.day(t.date_naive()), t.format("%H:%M"))
}

fn channel_name<'a>(rules: &'a Rules, key: &'a ChannelKey) -> &'a str {
    rules.channels.display_name(key)
}

fn tags(entry: &Entry) -> String {
    entry.tags.iter().map(|t| format!("#{}", DiscordMarkup.text(t.as_str()))).collect::<Vec<_>>().join(" ")
}

/// An entry's own department and the others it names, as one line.
fn departments(entry: &Entry, rules: &Rules) -> String {
    entry
        .departments()
        .map(|k| DiscordMarkup.text(rules.departments.display_name(k)))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The partners an entry names, by name.
fn partner_names(entry: &Entry) -> String {
    entry.partners.iter().map(|p| DiscordMarkup.text(p.name.as_str())).collect::<Vec<_>>().join(", ")
}

/// The fields for what an entry concerns besides its department: others, and partners.
fn link_fields(entry: &Entry, rules: &Rules) -> Vec<Field> {
    let mut fields = Vec::new();
    if !entry.also_departments.is_empty() {
        let names: Vec<String> = entry
            .also_departments
            .iter()
            .map(|k| DiscordMarkup.text(rules.departments.display_name(k)))
            .collect();
        fields.push(Field::inline("Also", names.join(", ")));
    }
    if !entry.partners.is_empty() {
        fields.push(Field::inline("Partners", partner_names(entry)));
    }
    fields
}

/// A note as a block quote, escaped.
pub fn quoted(note: &str) -> String {
    note.lines().map(|l| format!("> {}", DiscordMarkup.text(l))).collect::<Vec<_>>().join("\n")
}

/// One line about an entry: who, when, where from, and the start of the note.
fn summary(entry: &Entry, rules: &Rules, excerpt: usize) -> String {
    format!(
        "#{} · {} · {} · {}\n{}",
        entry.id,
        DiscordMarkup.text(&entry.author.name),
        when(entry.occurred_at),
        DiscordMarkup.text(channel_name(rules, &entry.channel)),
        DiscordMarkup.text(&entry.note.excerpt(excerpt)),
    )
}

/// A colleague's entry about the same thing: who heard it, when (the day in the guild's timezone,
/// as its locale writes it), through which channel, the start of its note, and why it matched.
fn heard(related: &Related, rules: &Rules, dates: DateStyle, excerpt: usize) -> String {
    let e = &related.entry;
    format!("#{} · {}", e.id, heard_from(related, rules, dates, excerpt))
}

/// [`heard`] without the entry's number, for a field whose name carries it.
fn heard_from(related: &Related, rules: &Rules, dates: DateStyle, excerpt: usize) -> String {
    let e = &related.entry;
    let day = e.occurred_at.with_timezone(&rules.timezone).date_naive();
    let shared: Vec<String> = related.shared.iter().map(|s| DiscordMarkup.text(s)).collect();
    format!(
        "{} · {} · {}\n> {}\nshared: {}",
        DiscordMarkup.text(&e.author.name),
        dates.day(day),
        DiscordMarkup.text(channel_name(rules, &e.channel)),
        DiscordMarkup.text(&e.note.excerpt(excerpt)),
        shared.join(", "),
    )
}

/// `/search similar:`: the entries most like `entry`, best first, each as "who else heard this"
/// lists them; or that nothing is close enough.
pub fn similar(entry: &Entry, related: &[Related], rules: &Rules, dates: DateStyle) -> Message {
    let description = if related.is_empty() {
        "No colleague's entry from the six months before it is close enough.".to_string()
    } else {
        format!("{} by colleagues, best first.", count(related.len(), "entry", "entries"))
    };
    let fields = related
        .iter()
        .map(|r| {
            Field::new(
                format!(
                    "#{} · {}",
                    r.entry.id,
                    DiscordMarkup.text(rules.departments.display_name(&r.entry.department))
                ),
                heard_from(r, rules, dates, 200),
            )
        })
        .collect();
    Message {
        embeds: vec![Embed {
            title: format!("Like entry #{}: {}", entry.id, DiscordMarkup.text(&entry.note.excerpt(80))),
            description,
            fields,
            colour: Some(BLUE),
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}

/// The confirmation after `/intel` or "Save as intel". `related`: `None` when who else heard this
/// could not be looked up; the entry is saved all the same, and the reply says so.
pub fn saved(entry: &Entry, related: Option<&[Related]>, rules: &Rules, dates: DateStyle) -> Message {
    let mut fields = vec![
        Field::inline("Department", DiscordMarkup.text(rules.departments.display_name(&entry.department))),
        Field::inline("Channel", DiscordMarkup.text(channel_name(rules, &entry.channel))),
        Field::inline("When", when(entry.occurred_at)),
    ];
    fields.extend(link_fields(entry, rules));
    if !entry.tags.is_empty() {
        fields.push(Field::inline("Tags", tags(entry)));
    }
    if let Some(f) = &entry.follow_up {
        fields.push(Field::inline("Follow-up", format!("you, by {}", due(f.due, dates))));
    }
    if entry.redactions > 0 {
        fields.push(Field::inline(
            "Redacted",
            format!(
                "{} of personal data {} replaced before saving",
                count(entry.redactions, "item", "items"),
                noun(entry.redactions, "was", "were")
            ),
        ));
    }
    match related {
        Some(related) if !related.is_empty() => {
            let lines: Vec<String> = related.iter().map(|r| heard(r, rules, dates, 100)).collect();
            fields.push(Field::new("Who else heard this", lines.join("\n")));
        }
        Some(_) => {}
        None => fields.push(Field::new(
            "Who else heard this",
            "Could not be looked up just now. Your entry is saved: no need to submit it again.",
        )),
    }
    Message {
        embeds: vec![Embed {
            title: match entry.share {
                Share::Team => format!("Saved entry #{}", entry.id),
                Share::Private => {
                    format!("Saved entry #{} (private: only you and admins see its text)", entry.id)
                }
            },
            description: quoted(entry.note.as_str()),
            fields,
            colour: Some(GREEN),
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}

/// The answer to a form submitted again (a double click, a client retry): its first submit saved
/// it, and nothing more was saved.
pub fn already_saved(id: EntryId) -> Message {
    Message {
        embeds: vec![Embed {
            title: format!("Already saved as entry #{id}"),
            description: "This form was submitted more than once; it was saved once.".into(),
            colour: Some(GREEN),
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}

/// One entry in full.
pub fn entry(entry: &Entry, rules: &Rules, dates: DateStyle) -> Embed {
    let mut fields = vec![
        Field::inline("Department", DiscordMarkup.text(rules.departments.display_name(&entry.department))),
        Field::inline(
            "Channel",
            format!(
                "{} ({})",
                DiscordMarkup.text(channel_name(rules, &entry.channel)),
                if entry.informal { "informal" } else { "formal" }
            ),
        ),
        Field::inline("Author", DiscordMarkup.text(&entry.author.name)),
        Field::inline("When", when(entry.occurred_at)),
    ];
    fields.extend(link_fields(entry, rules));
    if !entry.tags.is_empty() {
        fields.push(Field::inline("Tags", tags(entry)));
    }
    if let Some(f) = &entry.follow_up {
        let state = match f.status {
            FollowUpStatus::Open => format!("open, due {}", due(f.due, dates)),
            FollowUpStatus::Done => format!("done (was due {})", due(f.due, dates)),
        };
        fields.push(Field::inline("Follow-up", state));
    }
    if let Some(source) = &entry.source {
        fields.push(Field::inline("Source", format!("[message]({source})")));
    }
    let mut footer = format!("Recorded {}", at_utc(entry.created_at, dates));
    if let Some(edited) = entry.updated_at {
        footer.push_str(&format!(" · edited {}", at_utc(edited, dates)));
    }
    if entry.redactions > 0 {
        footer.push_str(&format!(" · {} redacted", count(entry.redactions, "item", "items")));
    }
    Embed {
        title: format!("Entry #{}", entry.id),
        description: quoted(entry.note.as_str()),
        fields,
        footer,
        colour: Some(BLUE),
        image: None,
    }
}

/// How many of a guild's entries there are listed in `/privacy find`; the CLI's
/// `liaison privacy find` gives them all, with every field.
const MENTIONS_LISTED: usize = 10;

/// The answer to an access request: how many entries mention `text`, and the first few.
pub fn mentions(found: &[Entry], text: &str, rules: &Rules) -> Message {
    let asked = DiscordMarkup.text(text.trim());
    let description = match found.len() {
        0 => format!("No entries mention \"{asked}\"."),
        n => {
            let said = format!("{} {}", count(n, "entry", "entries"), noun(n, "mentions", "mention"));
            let more = if n > MENTIONS_LISTED {
                format!(" The first {MENTIONS_LISTED} are below; `liaison privacy find` lists them all, every field.")
            } else {
                String::new()
            };
            format!("{said} \"{asked}\".{more}")
        }
    };
    let fields = found
        .iter()
        .take(MENTIONS_LISTED)
        .map(|e| {
            Field::new(
                format!("#{} · {}", e.id, DiscordMarkup.text(rules.departments.display_name(&e.department))),
                summary(e, rules, 200),
            )
        })
        .collect();
    Message {
        embeds: vec![Embed {
            title: "Access request".to_string(),
            description,
            fields,
            colour: Some(BLUE),
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}

/// A page of search results with Previous/Next buttons that page through the saved search.
pub fn search_page(page: &SearchPage, saved: i64, heading: &str, rules: &Rules) -> Message {
    let more = if page.total_is_capped { "+" } else { "" };
    let fields = page
        .hits
        .iter()
        .map(|hit| {
            let e = &hit.entry;
            Field::new(
                format!(
                    "#{} · {} · {}",
                    e.id,
                    departments(e, rules),
                    DiscordMarkup.text(channel_name(rules, &e.channel))
                ),
                format!(
                    "{} · {}{}\n{}",
                    DiscordMarkup.text(&e.author.name),
                    when(e.occurred_at),
                    if e.partners.is_empty() {
                        String::new()
                    } else {
                        format!(" · with {}", partner_names(e))
                    },
                    DiscordMarkup.snippet(&hit.snippet)
                ),
            )
        })
        .chain(page.unreadable.iter().map(|id| {
            Field::new(
                format!("#{id}"),
                format!("Entry #{id} could not be read; `/entry delete` removes it."),
            )
        }))
        .collect();
    let description = if page.hits.is_empty() && page.unreadable.is_empty() {
        if page.total == 0 {
            "No entries match.".to_string()
        } else {
            "No more results.".to_string()
        }
    } else {
        format!("{} · page {} of {}{more}", page.results_label(), page.page + 1, page.page_count())
    };
    let mut buttons = Vec::new();
    if page.page > 0 || page.has_next() {
        buttons.push(vec![
            Button::new(
                Action::SearchPage { search: saved, page: page.page.saturating_sub(1) }.to_custom_id(),
                "Previous",
                ButtonStyle::Secondary,
            )
            .disabled(page.page == 0),
            Button::new(
                Action::SearchPage { search: saved, page: page.page + 1 }.to_custom_id(),
                "Next",
                ButtonStyle::Secondary,
            )
            .disabled(!page.has_next()),
        ]);
    }
    Message {
        embeds: vec![Embed {
            title: heading.to_string(),
            description,
            fields,
            colour: Some(BLUE),
            ..Embed::default()
        }],
        buttons,
        ephemeral: true,
        ..Message::default()
    }
}

/// A follow-up reminder, sent by DM on the due date. The Done button names the guild, since a
/// press in a DM carries none. `department`: what the entry's department is called now.
pub fn reminder(e: &Entry, department: &str, dates: DateStyle) -> Message {
    let due_on = e
        .follow_up
        .as_ref()
        .map_or_else(String::new, |f| format!(" It is due today, {}.", due(f.due, dates)));
    Message {
        content: format!(
            "Reminder: your follow-up on entry #{} ({}).{due_on}",
            e.id,
            DiscordMarkup.text(department)
        ),
        embeds: vec![Embed {
            title: format!("#{} · {}", e.id, DiscordMarkup.text(department)),
            description: format!(
                "{}: {}",
                DiscordMarkup.text(&e.author.name),
                DiscordMarkup.text(&e.note.excerpt(1000))
            ),
            colour: Some(AMBER),
            ..Embed::default()
        }],
        buttons: vec![vec![Button::new(
            Action::ReminderDone { guild: e.guild, entry: e.id }.to_custom_id(),
            "Done",
            ButtonStyle::Success,
        )]],
        ..Message::default()
    }
}

/// Open follow-ups, overdue first, each with a Done button (as many as fit).
/// `viewer`: who asked; another member's private entry is listed (it is counted everywhere) but
/// its text is not shown to anyone but its author and admins.
pub fn follow_ups(
    entries: &[Entry],
    rules: &Rules,
    today: NaiveDate,
    all: bool,
    department: Option<&Department>,
    viewer: Actor,
    dates: DateStyle,
) -> Message {
    const SHOWN: usize = 20;
    let fields: Vec<Field> = entries
        .iter()
        .take(SHOWN)
        .filter_map(|e| {
            let f = e.follow_up.as_ref()?;
            let state = if f.is_overdue(today) { "**overdue**" } else { "due" };
            Some(Field::new(
                format!(
                    "#{} · {} · {state} {}",
                    e.id,
                    DiscordMarkup.text(rules.departments.display_name(&e.department)),
                    due(f.due, dates)
                ),
                format!(
                    "{}: {}",
                    DiscordMarkup.text(&e.author.name),
                    if visible_to(e, viewer) {
                        DiscordMarkup.text(&e.note.excerpt(200))
                    } else {
                        PRIVATE_TEXT.to_string()
                    }
                ),
            ))
        })
        .collect();
    let buttons: Vec<Vec<Button>> = entries
        .iter()
        .take(SHOWN)
        .map(|e| {
            Button::new(
                Action::FollowUpDone { entry: e.id, all, department: department.map(DepartmentRef::of) }
                    .to_custom_id(),
                format!("Done #{}", e.id),
                ButtonStyle::Success,
            )
        })
        .collect::<Vec<_>>()
        .chunks(5)
        .map(<[Button]>::to_vec)
        .collect();
    let overdue =
        entries.iter().filter(|e| e.follow_up.as_ref().is_some_and(|f| f.is_overdue(today))).count();
    let mut description = match entries.len() {
        0 => "Nothing open. Well done.".to_string(),
        n => format!("{n} open, {overdue} overdue."),
    };
    if entries.len() > SHOWN {
        description.push_str(&format!(" Showing the first {SHOWN}."));
    }
    Message {
        embeds: vec![Embed {
            title: if all { "Open follow-ups".into() } else { "Your open follow-ups".into() },
            description,
            fields,
            colour: Some(if overdue > 0 { AMBER } else { GREEN }),
            ..Embed::default()
        }],
        buttons,
        ephemeral: true,
        ..Message::default()
    }
}

/// Statistics for a period.
pub fn stats(s: &Stats, dates: DateStyle) -> Message {
    let list = |counts: &[crate::domain::stats::Count]| {
        if counts.is_empty() {
            return "none".to_string();
        }
        counts
            .iter()
            .take(15)
            .map(|c| format!("{} · {}", DiscordMarkup.text(&c.label), s.count(c.count)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut fields = vec![
        Field::inline("By department", list(&s.by_department)),
        Field::inline("By channel", list(&s.by_channel)),
        Field::inline("Formal / informal", list(&s.by_formality)),
    ];
    if s.contributor_counts {
        fields.push(Field::inline("Contributors", list(&s.by_author)));
    }
    // A share of a hidden total would tell it.
    let informal = if s.is_hidden(s.total) {
        String::new()
    } else {
        format!(" · **{:.0}%** through informal channels", s.informal_share() * 100.0)
    };
    let span = s.period.describe_in(dates, |name| DiscordMarkup.text(name));
    let scope = s.department.as_deref().map(|d| format!(" · {}", DiscordMarkup.text(d))).unwrap_or_default();
    Message {
        embeds: vec![Embed {
            title: format!("Statistics: {span}{scope}"),
            description: format!(
                "**{}** {}{informal}",
                s.count(s.total),
                shown_noun(s.hide_small_counts, s.total, "entry", "entries")
            ),
            fields,
            colour: Some(BLUE),
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}
