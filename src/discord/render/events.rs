//! How events look in Discord: an event added, an event's page (details, organisers, what was
//! heard there and the follow-ups decided), a listing. Names and places are people's own text,
//! escaped; organisers are mentions, which render as names and never ping.

use super::{due, summary, BLUE, GREEN};
use crate::discord::markup::DiscordMarkup;
use crate::domain::date_style::DateStyle;
use crate::domain::event::Event;
use crate::domain::rules::Rules;
use crate::message::{Embed, Field, Markup, Message};
use crate::service::events::{EventView, Which};

/// An entry's excerpt on an event's page.
const EXCERPT: usize = 120;

fn details(event: &Event, rules: &Rules, dates: DateStyle) -> Vec<Field> {
    let mut fields = vec![
        Field::inline("When", DiscordMarkup.text(&event.dates.describe_in(dates))),
        Field::inline(
            "Organisers",
            event.organisers.iter().map(|u| DiscordMarkup.user(u.0)).collect::<Vec<_>>().join(", "),
        ),
    ];
    if let Some(place) = &event.place {
        fields.push(Field::inline("Place", DiscordMarkup.text(place.as_str())));
    }
    if !event.partners.is_empty() {
        let names: Vec<String> = event.partners.iter().map(|p| DiscordMarkup.text(p.name.as_str())).collect();
        fields.push(Field::inline("Partners", names.join(", ")));
    }
    if !event.departments.is_empty() {
        let names: Vec<String> =
            event.departments.iter().map(|k| DiscordMarkup.text(rules.departments.display_name(k))).collect();
        fields.push(Field::inline("Departments", names.join(", ")));
    }
    fields
}

/// The confirmation after `/event add`.
pub fn added(event: &Event, rules: &Rules, dates: DateStyle) -> Message {
    Message {
        content: format!(
            "Event added. Log what you hear there with `/intel event:{}`.",
            DiscordMarkup.text(event.name.as_str())
        ),
        embeds: vec![Embed {
            title: DiscordMarkup.text(event.name.as_str()),
            fields: details(event, rules, dates),
            footer: format!("Event {}", event.id),
            colour: Some(GREEN),
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}

/// `/event show`: the event, then what was heard there and the follow-ups decided.
pub fn page(view: &EventView, rules: &Rules, dates: DateStyle) -> Message {
    let mut fields = details(&view.event, rules, dates);
    let heard: Vec<String> = view.entries.iter().map(|e| summary(e, rules, EXCERPT)).collect();
    fields.push(Field::new(
        format!("Heard there ({})", view.entries.len()),
        if heard.is_empty() { "nothing logged yet".to_string() } else { heard.join("\n") },
    ));
    let decided: Vec<String> = view
        .follow_ups()
        .filter_map(|e| {
            let f = e.follow_up.as_ref()?;
            Some(format!(
                "#{} · {} by {} ({}) · {}",
                e.id,
                DiscordMarkup.user(f.owner.0),
                due(f.due, dates),
                f.status.as_str(),
                DiscordMarkup.text(&e.note.excerpt(80))
            ))
        })
        .collect();
    fields.push(Field::new(
        "Follow-ups decided",
        if decided.is_empty() { "none yet".to_string() } else { decided.join("\n") },
    ));
    let upcoming = view.event.dates.is_upcoming(view.today);
    Message {
        embeds: vec![Embed {
            title: DiscordMarkup.text(view.event.name.as_str()),
            fields,
            footer: format!("Event {}{}", view.event.id, if upcoming { " · upcoming" } else { "" }),
            colour: Some(BLUE),
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}

/// `/event list`: one line an event.
pub fn list(events: &[Event], which: Which, dates: DateStyle) -> Message {
    let heading = match which {
        Which::Upcoming => "Upcoming events",
        Which::Past => "Past events",
    };
    let lines: Vec<String> = events
        .iter()
        .map(|e| {
            let place = e
                .place
                .as_ref()
                .map(|p| format!(" · {}", DiscordMarkup.text(p.as_str())))
                .unwrap_or_default();
            format!(
                "**{}** · {}{}",
                DiscordMarkup.text(e.name.as_str()),
                DiscordMarkup.text(&e.dates.describe_in(dates)),
                place
            )
        })
        .collect();
    let description = if lines.is_empty() {
        match which {
            Which::Upcoming => "No upcoming events. Add one with `/event add`.".to_string(),
            Which::Past => "No past events.".to_string(),
        }
    } else {
        lines.join("\n")
    };
    Message {
        embeds: vec![Embed {
            title: heading.to_string(),
            description,
            colour: Some(BLUE),
            ..Embed::default()
        }],
        ephemeral: true,
        ..Message::default()
    }
}
