//! The digest as chat messages: every piece of user text made inert and every piece of
//! formatting written through the poster's [`Markup`], every limit respected by splitting (see
//! `pack`), and a busy department summarised rather than cut off.

use chrono::{DateTime, NaiveDate, Utc};

use super::across::Trend;
use super::model::{AcrossItem, Events};
use super::model::{
    DepartmentSummary, Digest, FollowUpItem, HandOffs, Headline, ImpactItem, NoteItem, Partners,
    QuietDepartments,
};
use super::pack::{pack, Section};
use crate::domain::date_style::DateStyle;
use crate::domain::words::count;
use crate::message::limits::{len, truncate, FIELD_VALUE_MAX};
use crate::message::{Field, Image, Markup, Message, TimeStyle};

/// The file name the chart PNG is attached under.
pub const CHART_FILE: &str = "chart.png";

const BLUE: u32 = 0x1565c0;
const AMBER: u32 = 0xef6c00;
const GREY: u32 = 0x607d8b;
/// Per follow-up list; the rest are counted and `/followups` lists them all.
const FOLLOW_UPS_SHOWN: usize = 15;
const CHANNELS_SHOWN: usize = 4;
/// Excerpt lengths tried in turn until a department's notes fit one field.
const EXCERPTS: [usize; 4] = [120, 90, 60, 40];
/// People's and channels' names; departments are catalogue names and get more room.
const NAME_MAX: usize = 48;
const DEPARTMENT_MAX: usize = 160;
const LINE_MAX: usize = 400;

/// The digest as messages to post in order, none ephemeral, none with content, written in `m`'s
/// markup. `chart` is the name of the file the chart is attached under (usually [`CHART_FILE`])
/// when the sender attaches one to the first message: when [`Digest::has_chart`], the first embed
/// then shows it.
pub fn render_messages(d: &Digest, m: &dyn Markup, chart: Option<&str>) -> Vec<Message> {
    // The digest opens with its impact stories when there are any.
    let mut sections: Vec<Section> = impact(&d.impact, m).into_iter().collect();
    sections.push(headline(d, m));
    sections.extend(across(&d.across, m));
    if !d.departments.is_empty() {
        sections.push(Section {
            title: format!("By department ({})", d.departments.len()),
            description: String::new(),
            colour: BLUE,
            fields: d.departments.iter().map(|dep| department(dep, d.dates, m)).collect(),
        });
    }
    sections.extend(follow_ups(d, m));
    sections.extend(hand_offs(&d.hand_offs, m));
    sections.extend(quiet(&d.quiet, m));
    sections.extend(partners(&d.partners, m));
    sections.extend(events(&d.events, d.dates, m));
    let mut messages = pack(sections, &d.period.label);
    if let Some(chart) = chart.filter(|_| d.has_chart()) {
        // The chart goes with the numbers: the headline's embed, after any impact stories'.
        let headline = usize::from(!d.impact.is_empty());
        if let Some(first) = messages.first_mut().and_then(|message| message.embeds.get_mut(headline)) {
            first.image = Some(Image::Attachment(chart.to_string()));
        }
    }
    messages
}

fn headline(d: &Digest, m: &dyn Markup) -> Section {
    let h = &d.headline;
    let description = if d.is_quiet_week() {
        let mut s = format!(
            "A quiet week: nobody recorded any intel in this period. The week before had {} {}.",
            bold(m, h.previous.entries),
            plural(h.previous.entries, "entry", "entries")
        );
        if !d.follow_ups.overdue.is_empty() || !d.quiet.departments.is_empty() {
            s.push_str("\nFollow-ups and departments gone quiet are below.");
        }
        s
    } else {
        numbers(h, m)
    };
    Section {
        title: format!("Liaison digest · {}", d.period.label),
        description,
        colour: BLUE,
        fields: vec![],
    }
}

fn numbers(h: &Headline, m: &dyn Markup) -> String {
    let departments = if h.catalogue > 0 {
        format!("{} of {} departments heard from", bold(m, h.departments), h.catalogue)
    } else {
        format!(
            "{} {} heard from",
            bold(m, h.departments),
            plural(h.departments, "department", "departments")
        )
    };
    let share = |s: f64| bold(m, format_args!("{:.0}%", s * 100.0));
    let informal = match (h.informal_share, h.change.informal_points) {
        (Some(s), Some(p)) => {
            format!("\n{} through informal channels · {} points", share(s), signed_f(p))
        }
        (Some(s), None) => format!("\n{} through informal channels", share(s)),
        _ => String::new(),
    };
    format!(
        "{} {} · {} on the week before\n{} {} · {}\n{departments}{informal}",
        bold(m, h.entries),
        plural(h.entries, "entry", "entries"),
        signed(h.change.entries),
        bold(m, h.contributors),
        plural(h.contributors, "contributor", "contributors"),
        signed(h.change.contributors),
    )
}

/// A number or other value of ours in bold.
fn bold(m: &dyn Markup, value: impl std::fmt::Display) -> String {
    m.bold(&value.to_string())
}

/// The one plural rule every message uses.
pub(crate) use crate::domain::words::noun as plural;

pub(crate) fn signed(n: i64) -> String {
    match n {
        0 => "±0".to_string(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", n.unsigned_abs()),
    }
}

pub(crate) fn signed_f(points: f64) -> String {
    let rounded = points.round();
    // Rounding -0.4 gives -0, which reads as a change that is not there.
    if rounded == 0.0 {
        "±0".to_string()
    } else if rounded > 0.0 {
        format!("+{rounded:.0}")
    } else {
        format!("−{:.0}", -rounded)
    }
}

pub(crate) fn due(d: NaiveDate, dates: DateStyle) -> String {
    dates.weekday(d)
}

fn when(t: DateTime<Utc>, m: &dyn Markup) -> String {
    m.time(t, TimeStyle::Date)
}

fn name(s: &str, m: &dyn Markup) -> String {
    truncate(&m.text(s), NAME_MAX)
}

fn department_name(s: &str, m: &dyn Markup) -> String {
    truncate(&m.text(s), DEPARTMENT_MAX)
}

fn department(d: &DepartmentSummary, dates: DateStyle, m: &dyn Markup) -> Field {
    let title = format!(
        "{} · {} {} · {} informal",
        department_name(&d.department, m),
        d.entries,
        plural(d.entries, "entry", "entries"),
        d.informal
    );
    let mut head: Vec<String> = Vec::new();
    let mut channels: Vec<String> =
        d.channels.iter().take(CHANNELS_SHOWN).map(|c| format!("{} {}", name(&c.name, m), c.count)).collect();
    if d.channels.len() > CHANNELS_SHOWN {
        channels.push(format!("+{} more", d.channels.len() - CHANNELS_SHOWN));
    }
    head.push(truncate(&format!("Channels: {}", channels.join(" · ")), LINE_MAX));
    if !d.top_tags.is_empty() {
        let tags: Vec<String> =
            d.top_tags.iter().map(|t| format!("#{} ×{}", m.text(&t.tag), t.count)).collect();
        head.push(truncate(&format!("Tags: {}", tags.join(" · ")), LINE_MAX));
    }
    Field::new(title, fit_notes(&head, &d.notes, d.more, dates, m))
}

/// The head lines and as many notes, as long, as fit one field: shorter excerpts first, then
/// fewer notes (counted in "+N more"), never a note cut mid-escape.
fn fit_notes(head: &[String], notes: &[NoteItem], more: u64, dates: DateStyle, m: &dyn Markup) -> String {
    let value = |shown: usize, excerpt: usize| {
        let mut lines = head.to_vec();
        lines.extend(notes.iter().take(shown).map(|n| note_line(n, excerpt, dates, m)));
        let hidden = more + (notes.len() - shown) as u64;
        // Without a note to show (excerpts off, or every entry private) the title's count says
        // it all.
        if hidden > 0 && !notes.is_empty() {
            lines.push(format!("+{hidden} more {}", plural(hidden, "entry", "entries")));
        }
        lines.join("\n")
    };
    let tries =
        EXCERPTS.iter().map(|&e| (notes.len(), e)).chain((0..notes.len()).rev().map(|n| (n, EXCERPTS[3])));
    for (shown, excerpt) in tries {
        let v = value(shown, excerpt);
        if len(&v) <= FIELD_VALUE_MAX {
            return v;
        }
    }
    truncate(&value(0, 0), FIELD_VALUE_MAX)
}

fn note_line(n: &NoteItem, excerpt: usize, dates: DateStyle, m: &dyn Markup) -> String {
    let follow_up =
        n.follow_up_due.map_or_else(String::new, |d| format!(" · follow-up by {}", due(d, dates)));
    let author = n.author.as_deref().map_or_else(String::new, |a| format!(" {}", name(a, m)));
    let line = format!(
        "• {}{author}: {}{follow_up}",
        bold(m, format_args!("#{}", n.entry)),
        m.text(&n.note.excerpt(excerpt))
    );
    truncate(&line, LINE_MAX + 100)
}

fn follow_up_line(
    f: &FollowUpItem,
    today: NaiveDate,
    done: bool,
    dates: DateStyle,
    m: &dyn Markup,
) -> String {
    let state = if done {
        f.done_at.map_or_else(|| "done".to_string(), |t| format!("done {}", when(t, m)))
    } else if f.due < today {
        let late = (today - f.due).num_days();
        format!("due {} ({late} {} late)", due(f.due, dates), plural(late.unsigned_abs(), "day", "days"))
    } else {
        format!("due {}", due(f.due, dates))
    };
    // A mention only where the guild names people; it pings nobody (mentions are suppressed).
    let owner = f.owner.map_or_else(String::new, |o| format!("{} · ", m.user(o.0)));
    let note = f.note.as_ref().map_or_else(String::new, |n| format!(": {}", m.text(&n.excerpt(80))));
    let line = format!(
        "• {owner}{state} · {} {}{note}",
        bold(m, format_args!("#{}", f.entry)),
        department_name(&f.department, m),
    );
    truncate(&line, LINE_MAX)
}

/// Lines joined into as few fields as fit: the first named `title` and `count`, the rest
/// "`title` (continued)".
fn line_fields(title: &str, count: usize, lines: Vec<String>) -> Vec<Field> {
    let mut values: Vec<String> = Vec::new();
    let mut value = String::new();
    for line in lines {
        if !value.is_empty() && len(&value) + 1 + len(&line) > FIELD_VALUE_MAX {
            values.push(std::mem::take(&mut value));
        }
        if !value.is_empty() {
            value.push('\n');
        }
        value.push_str(&line);
    }
    if !value.is_empty() {
        values.push(value);
    }
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let name = if i == 0 { format!("{title} ({count})") } else { format!("{title} (continued)") };
            Field::new(name, v)
        })
        .collect()
}

fn listed(
    items: &[FollowUpItem],
    today: NaiveDate,
    done: bool,
    dates: DateStyle,
    m: &dyn Markup,
) -> Vec<String> {
    let mut lines: Vec<String> =
        items.iter().take(FOLLOW_UPS_SHOWN).map(|f| follow_up_line(f, today, done, dates, m)).collect();
    if items.len() > FOLLOW_UPS_SHOWN {
        let more = items.len() - FOLLOW_UPS_SHOWN;
        lines.push(format!("…and {more} more: {} lists them", m.code("/followups scope:all")));
    }
    lines
}

fn follow_ups(d: &Digest, m: &dyn Markup) -> Option<Section> {
    let f = &d.follow_ups;
    let mut fields = Vec::new();
    fields.extend(line_fields("Overdue", f.overdue.len(), listed(&f.overdue, d.today, false, d.dates, m)));
    fields.extend(line_fields(
        "Due in the next 7 days",
        f.due_soon.len(),
        listed(&f.due_soon, d.today, false, d.dates, m),
    ));
    fields.extend(line_fields("Done this week", f.done.len(), listed(&f.done, d.today, true, d.dates, m)));
    if fields.is_empty() && f.later == 0 {
        return None;
    }
    let description = if f.later > 0 { format!("{} more open, due later.", f.later) } else { String::new() };
    Some(Section { title: "Follow-ups".to_string(), description, colour: AMBER, fields })
}

fn quiet(q: &QuietDepartments, m: &dyn Markup) -> Option<Section> {
    if q.departments.is_empty() {
        return None;
    }
    let mut lines: Vec<String> = q
        .departments
        .iter()
        .map(|d| match (d.last_heard, d.weeks) {
            (Some(at), Some(w)) => format!(
                "• {}: last heard {} ({w} {} ago)",
                department_name(&d.department, m),
                when(at, m),
                plural(w.unsigned_abs(), "week", "weeks")
            ),
            _ => format!("• {}: never heard from", department_name(&d.department, m)),
        })
        .collect();
    if q.more > 0 {
        lines.push(format!("+{} more", q.more));
    }
    Some(Section {
        title: format!("Not heard from in {} or more", count(q.after_weeks, "week", "weeks")),
        description: String::new(),
        colour: GREY,
        fields: line_fields("Departments", q.total() as usize, lines),
    })
}

/// Per list of partners or hand-offs; the rest are counted.
const LISTED: usize = 15;

/// "From the desk: N, taken up: M", and the hand-offs nobody took within three days (or whose
/// DMs reached nobody, without saying whose DMs are closed).
fn hand_offs(h: &HandOffs, m: &dyn Markup) -> Option<Section> {
    if h.made == 0 && h.waiting.is_empty() {
        return None;
    }
    let mut lines: Vec<String> = h
        .waiting
        .iter()
        .take(LISTED)
        .map(|w| {
            let why = if w.unreached { "nobody could be reached by DM" } else { "nobody took it" };
            truncate(
                &format!(
                    "• {} {} · handed off {} · {why}",
                    bold(m, format_args!("#{}", w.entry)),
                    department_name(&w.department, m),
                    when(w.made_at, m)
                ),
                LINE_MAX,
            )
        })
        .collect();
    if h.waiting.len() > LISTED {
        lines.push(format!("…and {} more", h.waiting.len() - LISTED));
    }
    Some(Section {
        title: "From the desk".to_string(),
        description: format!("From the desk: {}, taken up: {}", bold(m, h.made), bold(m, h.taken)),
        colour: AMBER,
        fields: line_fields("Hand-offs nobody took within 3 days", h.waiting.len(), lines),
    })
}

/// Partners heard from this week, new partners, and partners gone quiet with their owner named
/// by a mention that pings nobody (the digest goes out with mentions suppressed).
fn partners(p: &Partners, m: &dyn Markup) -> Option<Section> {
    if p.is_empty() {
        return None;
    }
    let more = |shown: usize, all: usize, lines: &mut Vec<String>| {
        if all > shown {
            lines.push(format!("…and {} more", all - shown));
        }
    };
    let mut heard: Vec<String> = p
        .heard
        .iter()
        .take(LISTED)
        .map(|c| {
            truncate(
                &format!("• {} · {} {}", name(&c.name, m), c.entries, plural(c.entries, "entry", "entries")),
                LINE_MAX,
            )
        })
        .collect();
    more(heard.len(), p.heard.len(), &mut heard);
    let mut new: Vec<String> = p.new.iter().take(LISTED).map(|n| format!("• {}", name(n, m))).collect();
    more(new.len(), p.new.len(), &mut new);
    let mut quiet: Vec<String> = p
        .quiet
        .iter()
        .take(LISTED)
        .map(|q| {
            let last = q
                .last_contact
                .map_or_else(|| "never heard from".to_string(), |t| format!("last heard {}", when(t, m)));
            let owner = q.owner.map_or_else(String::new, |o| format!(" · {}", m.user(o.0)));
            truncate(&format!("• {}: {last}{owner}", name(&q.name, m)), LINE_MAX)
        })
        .collect();
    let quiet_all = p.quiet.len() + p.quiet_more as usize;
    more(quiet.len(), quiet_all, &mut quiet);
    let mut fields = Vec::new();
    fields.extend(line_fields("Heard from this week", p.heard.len(), heard));
    fields.extend(line_fields("New partners", p.new.len(), new));
    fields.extend(line_fields(
        &format!("Gone quiet (no entry in {})", count(p.quiet_after_weeks, "week", "weeks")),
        quiet_all,
        quiet,
    ));
    Some(Section { title: "Partners".to_string(), description: String::new(), colour: BLUE, fields })
}

/// An outcome's excerpt in the digest: room for a sentence or two, several stories to a field.
const OUTCOME_EXCERPT: usize = 300;
const PURPLE: u32 = 0x6a1b9a;

/// "Impact this week": each story's objective, departments, outcome, evidence (as text: a typed
/// link may say one thing and go to another) and, where the guild names people, who marked it.
fn impact(items: &[ImpactItem], m: &dyn Markup) -> Option<Section> {
    if items.is_empty() {
        return None;
    }
    let lines = items
        .iter()
        .map(|i| {
            let departments: Vec<String> = i.departments.iter().map(|d| department_name(d, m)).collect();
            let outcome = i
                .outcome
                .as_ref()
                .map_or_else(String::new, |o| format!(": {}", m.text(&o.excerpt(OUTCOME_EXCERPT))));
            let evidence = i
                .evidence
                .as_ref()
                .map_or_else(String::new, |e| format!(" · evidence: {}", truncate(&m.text(e), 200)));
            let by = i.marked_by.map_or_else(String::new, |u| format!(" · {}", m.user(u.0)));
            truncate(
                &format!(
                    "• {} {} · {}{outcome}{evidence}{by}",
                    bold(m, format_args!("#{}", i.entry)),
                    departments.join(", "),
                    name_long(&i.objective, m),
                ),
                FIELD_VALUE_MAX,
            )
        })
        .collect();
    Some(Section {
        title: "Impact this week".to_string(),
        description: String::new(),
        colour: PURPLE,
        fields: line_fields("Stories", items.len(), lines),
    })
}

/// An objective's name: up to 100 characters, so more room than a person's.
fn name_long(s: &str, m: &dyn Markup) -> String {
    truncate(&m.text(s), DEPARTMENT_MAX)
}

/// Last week's events with what was logged and decided there, and recent events after which
/// nothing was decided.
fn events(e: &Events, dates: DateStyle, m: &dyn Markup) -> Option<Section> {
    if e.is_empty() {
        return None;
    }
    let day = |d: NaiveDate| dates.short(d);
    let mut fields = Vec::new();
    if !e.held.is_empty() {
        let mut lines: Vec<String> = e
            .held
            .iter()
            .take(LISTED)
            .map(|h| {
                truncate(
                    &format!(
                        "• {} · {} · logged {}, follow-ups {}",
                        bold(m, m.text(&truncate(&h.name, NAME_MAX))),
                        day(h.ends_on),
                        h.logged,
                        h.decided
                    ),
                    LINE_MAX,
                )
            })
            .collect();
        if e.held.len() > LISTED {
            lines.push(format!("…and {} more", e.held.len() - LISTED));
        }
        fields.extend(line_fields("Held this week", e.held.len(), lines));
    }
    if !e.undecided.is_empty() {
        let mut lines: Vec<String> = e
            .undecided
            .iter()
            .take(LISTED)
            .map(|u| {
                truncate(
                    &format!("• {} · ended {}", m.text(&truncate(&u.name, NAME_MAX)), day(u.ends_on)),
                    LINE_MAX,
                )
            })
            .collect();
        if e.undecided.len() > LISTED {
            lines.push(format!("…and {} more", e.undecided.len() - LISTED));
        }
        fields.extend(line_fields("Nothing decided after", e.undecided.len(), lines));
    }
    Some(Section { title: "Events".to_string(), description: String::new(), colour: BLUE, fields })
}

const TEAL: u32 = 0x00897b;
/// An entry line under a topic: six of them and a count fit one field.
const ACROSS_LINE_MAX: usize = 160;

/// "Heard across teams": one field per topic, its trend and count in the field's name, the
/// entries behind it (which, who, where) as its lines.
fn across(items: &[AcrossItem], m: &dyn Markup) -> Option<Section> {
    if items.is_empty() {
        return None;
    }
    let fields = items
        .iter()
        .map(|t| {
            let mut lines: Vec<String> = t
                .entries
                .iter()
                .map(|e| {
                    let author = e.author.as_deref().map_or_else(String::new, |a| format!(" {}", name(a, m)));
                    let line = format!(
                        "• {}{author} · {}",
                        bold(m, format_args!("#{}", e.entry)),
                        m.text(&e.heard_in.join(", "))
                    );
                    truncate(&line, ACROSS_LINE_MAX)
                })
                .collect();
            if t.more > 0 {
                lines.push(format!("+{} more {}", t.more, plural(t.more, "entry", "entries")));
            }
            Field::new(topic_title(t, m), lines.join("\n"))
        })
        .collect();
    Some(Section {
        title: "Heard across teams".to_string(),
        description:
            "Topics that came up this week from at least two people in at least two departments or teams."
                .to_string(),
        colour: TEAL,
        fields,
    })
}

/// "data management · new · 3 entries".
fn topic_title(t: &AcrossItem, m: &dyn Markup) -> String {
    let trend = trend_label(t.trend, t.weekly_before).map_or_else(String::new, |l| format!(" · {l}"));
    format!("{}{trend} · {} {}", name(&t.topic, m), t.count, plural(t.count, "entry", "entries"))
}

/// How a topic compares with the four weeks before, in words; nothing for a steady one.
pub(crate) fn trend_label(trend: Trend, weekly_before: Option<f64>) -> Option<String> {
    match (trend, weekly_before) {
        (Trend::New, _) => Some("new".to_string()),
        (Trend::Rising, Some(w)) => Some(format!("rising (about {w:.1} a week before)")),
        (Trend::Rising, None) => Some("rising".to_string()),
        (Trend::Steady, _) => None,
    }
}
