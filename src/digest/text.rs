//! The digest as plain text for a terminal: the same sections as in Discord, no markdown, and
//! no limits to fit, so every follow-up is listed.

use std::fmt::Write;

use super::model::{DepartmentSummary, Digest, FollowUpItem};
use super::render::{due, plural, signed, signed_f, trend_label};
use crate::domain::impact::MAX_OUTCOME_CHARS;
use crate::domain::words::count;

const EXCERPT: usize = 160;

// Writing to a `String` cannot fail, so the `fmt::Result`s below are dropped with `let _`.

pub fn render_text(d: &Digest) -> String {
    let mut out = String::new();
    let local = d.generated_at.with_timezone(&d.timezone);
    let _ = writeln!(out, "Liaison digest · {}", clean(&d.period.label));
    let _ = writeln!(out, "Generated {} ({})\n", local.format("%Y-%m-%d %H:%M"), d.timezone.name());
    impact(&mut out, d);
    headline(&mut out, d);
    across(&mut out, d);
    if !d.departments.is_empty() {
        let _ = writeln!(out, "\nBY DEPARTMENT ({})", d.departments.len());
        for dep in &d.departments {
            department(&mut out, dep, d.dates);
        }
    }
    follow_ups(&mut out, d);
    hand_offs(&mut out, d);
    quiet(&mut out, d);
    partners(&mut out, d);
    events(&mut out, d);
    out
}

/// Names come from Discord and config; a stray control character must not drive the terminal.
fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn headline(out: &mut String, d: &Digest) {
    let h = &d.headline;
    if d.is_quiet_week() {
        let _ = writeln!(
            out,
            "A quiet week: nobody recorded any intel in this period.\nThe week before had {} {}.",
            h.previous.entries,
            plural(h.previous.entries, "entry", "entries")
        );
        return;
    }
    let _ = writeln!(
        out,
        "{} {} ({} on the week before)",
        h.entries,
        plural(h.entries, "entry", "entries"),
        signed(h.change.entries)
    );
    let _ = writeln!(
        out,
        "{} {} ({})",
        h.contributors,
        plural(h.contributors, "contributor", "contributors"),
        signed(h.change.contributors)
    );
    if h.catalogue > 0 {
        let _ = writeln!(out, "{} of {} departments heard from", h.departments, h.catalogue);
    } else {
        let _ = writeln!(out, "{} heard from", count(h.departments, "department", "departments"));
    }
    if let Some(share) = h.informal_share {
        let change =
            h.change.informal_points.map_or_else(String::new, |p| format!(" ({} points)", signed_f(p)));
        let _ = writeln!(out, "{:.0}% through informal channels{change}", share * 100.0);
    }
}

fn department(out: &mut String, d: &DepartmentSummary, dates: crate::domain::date_style::DateStyle) {
    let _ = writeln!(
        out,
        "\n{} · {} {}, {} informal, {} {}",
        clean(&d.department),
        d.entries,
        plural(d.entries, "entry", "entries"),
        d.informal,
        d.contributors,
        plural(d.contributors, "contributor", "contributors")
    );
    let channels: Vec<String> = d
        .channels
        .iter()
        .map(|c| format!("{} {}{}", clean(&c.name), c.count, if c.informal { " (informal)" } else { "" }))
        .collect();
    let _ = writeln!(out, "  Channels: {}", channels.join(", "));
    if !d.top_tags.is_empty() {
        let tags: Vec<String> = d.top_tags.iter().map(|t| format!("#{} ×{}", t.tag, t.count)).collect();
        let _ = writeln!(out, "  Tags: {}", tags.join(", "));
    }
    for n in &d.notes {
        let follow_up =
            n.follow_up_due.map_or_else(String::new, |d| format!(" [follow-up by {}]", due(d, dates)));
        let author = n.author.as_deref().map_or_else(String::new, |a| format!(" {}", clean(a)));
        let _ = writeln!(
            out,
            "  #{}{author} ({}): {}{follow_up}",
            n.entry,
            clean(&n.channel),
            n.note.excerpt(EXCERPT)
        );
    }
    // Without a note to show (excerpts off, or every entry private) the count above says it all.
    if d.more > 0 && !d.notes.is_empty() {
        let _ = writeln!(out, "  +{} more {}", d.more, plural(d.more, "entry", "entries"));
    }
}

fn follow_ups(out: &mut String, d: &Digest) {
    let f = &d.follow_ups;
    if f.overdue.is_empty() && f.due_soon.is_empty() && f.done.is_empty() && f.later == 0 {
        return;
    }
    let _ = writeln!(out, "\nFOLLOW-UPS");
    let lists = [
        ("Overdue", &f.overdue, false),
        ("Due in the next 7 days", &f.due_soon, false),
        ("Done this week", &f.done, true),
    ];
    for (title, items, done) in lists {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {title} ({})", items.len());
        for item in items {
            let _ = writeln!(out, "    {}", follow_up(item, d, done));
        }
    }
    if f.later > 0 {
        let _ = writeln!(out, "  {} more open, due later", f.later);
    }
}

fn follow_up(f: &FollowUpItem, d: &Digest, done: bool) -> String {
    // No owner at all where the guild does not name people.
    let owner = match (&f.owner_name, f.owner) {
        (Some(name), _) => format!(" · {}", clean(name)),
        (None, Some(id)) => format!(" · user {id}"),
        (None, None) => String::new(),
    };
    let state = match (done, f.done_at) {
        (true, Some(t)) => format!("done {}", t.with_timezone(&d.timezone).format("%Y-%m-%d")),
        (true, None) => "done".to_string(),
        (false, _) if f.due < d.today => {
            let late = (d.today - f.due).num_days();
            format!(
                "due {} ({late} {} late)",
                due(f.due, d.dates),
                plural(late.unsigned_abs(), "day", "days")
            )
        }
        (false, _) => format!("due {}", due(f.due, d.dates)),
    };
    let note = f.note.as_ref().map_or_else(String::new, |n| format!(": {}", n.excerpt(80)));
    format!("#{} {}{owner} · {state}{note}", f.entry, clean(&f.department))
}

fn quiet(out: &mut String, d: &Digest) {
    if d.quiet.departments.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nNOT HEARD FROM IN {} OR MORE ({})",
        count(d.quiet.after_weeks, "WEEK", "WEEKS"),
        d.quiet.total()
    );
    for q in &d.quiet.departments {
        let _ = match (q.last_heard, q.weeks) {
            (Some(at), Some(w)) => writeln!(
                out,
                "  {}: last heard {} ({w} {} ago)",
                clean(&q.department),
                at.with_timezone(&d.timezone).format("%Y-%m-%d"),
                plural(w.unsigned_abs(), "week", "weeks")
            ),
            _ => writeln!(out, "  {}: never heard from", clean(&q.department)),
        };
    }
    if d.quiet.more > 0 {
        let _ = writeln!(out, "  +{} more", d.quiet.more);
    }
}

fn hand_offs(out: &mut String, d: &Digest) {
    let h = &d.hand_offs;
    if h.made == 0 && h.waiting.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nFROM THE DESK\n  From the desk: {}, taken up: {}", h.made, h.taken);
    if !h.waiting.is_empty() {
        let _ = writeln!(out, "  Hand-offs nobody took within 3 days ({})", h.waiting.len());
    }
    for w in &h.waiting {
        let why = if w.unreached { "nobody could be reached by DM" } else { "nobody took it" };
        let _ = writeln!(
            out,
            "    #{} {} · handed off {} · {why}",
            w.entry,
            clean(&w.department),
            w.made_at.with_timezone(&d.timezone).format("%Y-%m-%d")
        );
    }
}

fn partners(out: &mut String, d: &Digest) {
    let p = &d.partners;
    if p.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nPARTNERS");
    if !p.heard.is_empty() {
        let _ = writeln!(out, "  Heard from this week ({})", p.heard.len());
        for c in &p.heard {
            let _ = writeln!(
                out,
                "    {} · {} {}",
                clean(&c.name),
                c.entries,
                plural(c.entries, "entry", "entries")
            );
        }
    }
    if !p.new.is_empty() {
        let _ = writeln!(out, "  New partners ({})", p.new.len());
        for n in &p.new {
            let _ = writeln!(out, "    {}", clean(n));
        }
    }
    if !p.quiet.is_empty() {
        let all = p.quiet.len() as u64 + p.quiet_more;
        let weeks = count(p.quiet_after_weeks, "week", "weeks");
        let _ = writeln!(out, "  Gone quiet (no entry in {weeks}) ({all})");
        for q in &p.quiet {
            let last = q.last_contact.map_or_else(
                || "never heard from".to_string(),
                |t| format!("last heard {}", t.with_timezone(&d.timezone).format("%Y-%m-%d")),
            );
            let owner = q.owner.map_or_else(String::new, |o| format!(" · user {o}"));
            let _ = writeln!(out, "    {}: {last}{owner}", clean(&q.name));
        }
        if p.quiet_more > 0 {
            let _ = writeln!(out, "    …and {} more", p.quiet_more);
        }
    }
}

/// What the digest opens with when there is any: each story, in full.
fn impact(out: &mut String, d: &Digest) {
    if d.impact.is_empty() {
        return;
    }
    let _ = writeln!(out, "IMPACT THIS WEEK ({})", d.impact.len());
    for i in &d.impact {
        let departments: Vec<String> = i.departments.iter().map(|d| clean(d)).collect();
        let outcome =
            i.outcome.as_ref().map_or_else(String::new, |o| format!(": {}", o.excerpt(MAX_OUTCOME_CHARS)));
        let _ = writeln!(out, "  #{} {} · {}{outcome}", i.entry, departments.join(", "), clean(&i.objective));
        if let Some(evidence) = &i.evidence {
            let _ = writeln!(out, "    Evidence: {}", clean(evidence));
        }
        if let Some(by) = i.marked_by {
            let _ = writeln!(out, "    Marked by user {by}");
        }
    }
    out.push('\n');
}

fn events(out: &mut String, d: &Digest) {
    let e = &d.events;
    if e.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nEVENTS");
    if !e.held.is_empty() {
        let _ = writeln!(out, "  Held this week ({})", e.held.len());
        for h in &e.held {
            let _ = writeln!(
                out,
                "    {} · {} · logged {}, follow-ups {}",
                clean(&h.name),
                h.ends_on.format("%Y-%m-%d"),
                h.logged,
                h.decided
            );
        }
    }
    if !e.undecided.is_empty() {
        let _ = writeln!(out, "  Nothing decided after ({})", e.undecided.len());
        for u in &e.undecided {
            let _ = writeln!(out, "    {} · ended {}", clean(&u.name), u.ends_on.format("%Y-%m-%d"));
        }
    }
}

/// "Heard across teams": each topic, then the entries behind it (which, who, where).
fn across(out: &mut String, d: &Digest) {
    if d.across.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nHEARD ACROSS TEAMS ({})", d.across.len());
    for t in &d.across {
        let trend = trend_label(t.trend, t.weekly_before).map_or_else(String::new, |l| format!(" · {l}"));
        let _ = writeln!(out, "  {}{trend} · {}", clean(&t.topic), count(t.count, "entry", "entries"));
        for e in &t.entries {
            let author = e.author.as_deref().map_or_else(String::new, |a| format!(" {}", clean(a)));
            let _ = writeln!(out, "    #{}{author} · {}", e.entry, clean(&e.heard_in.join(", ")));
        }
        if t.more > 0 {
            let _ = writeln!(out, "    +{} more {}", t.more, plural(t.more, "entry", "entries"));
        }
    }
}
