//! How partners look in Discord: a profile, a timeline page, a listing page. Names and notes are
//! people's own text, escaped; owners are mentions, which render as names and never ping (every
//! message goes out with `allowed_mentions` empty).

use chrono::NaiveDate;

use super::{channel_name, summary, when, BLUE, GREEN};
use crate::discord::custom_id::{Action, PartnerListState};
use crate::discord::markup::DiscordMarkup;
use crate::domain::date_style::DateStyle;
use crate::domain::ids::UserId;
use crate::domain::partner::Partner;
use crate::domain::rules::Rules;
use crate::domain::words::count;
use crate::message::{Button, ButtonStyle, Embed, Field, Markup, Message};
use crate::service::partners::{PartnerList, Timeline};
use crate::store::LastContact;

/// The widest bar in the activity chart, in blocks.
const BAR_MAX: u64 = 12;

fn owners(owners: &[UserId]) -> String {
    match owners.split_first() {
        None => "nobody yet".to_string(),
        Some((owner, [])) => DiscordMarkup.user(owner.0),
        Some((owner, co)) => format!(
            "{} (co-owners: {})",
            DiscordMarkup.user(owner.0),
            co.iter().map(|u| DiscordMarkup.user(u.0)).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn last_contact(last: Option<&LastContact>, rules: &Rules) -> String {
    match last {
        Some(l) => format!(
            "{} via {} (entry #{})",
            when(l.at),
            DiscordMarkup.text(channel_name(rules, &l.channel)),
            l.entry
        ),
        None => "never".to_string(),
    }
}

/// The profile's fields: kind, status, owners, departments, notes, link.
fn profile_fields(partner: &Partner, rules: &Rules) -> Vec<Field> {
    let p = &partner.profile;
    let mut fields = vec![
        Field::inline("Kind", p.kind.as_str()),
        Field::inline("Status", p.status.as_str()),
        Field::inline("Owners", owners(&p.owners)),
    ];
    if !p.departments.is_empty() {
        let names: Vec<String> =
            p.departments.iter().map(|k| DiscordMarkup.text(rules.departments.display_name(k))).collect();
        fields.push(Field::inline("Departments", names.join(", ")));
    }
    if !p.notes.trim().is_empty() {
        fields.push(Field::new("They want / we offer", DiscordMarkup.text(&p.notes)));
    }
    if let Some(link) = &p.link {
        // As text, not a link: a typed link may say one thing and go to another.
        fields.push(Field::new("Link", DiscordMarkup.text(link)));
    }
    fields
}

pub fn profile(partner: &Partner, rules: &Rules) -> Embed {
    Embed {
        title: DiscordMarkup.text(partner.profile.name.as_str()),
        fields: profile_fields(partner, rules),
        colour: Some(BLUE),
        ..Embed::default()
    }
}

pub fn profile_message(partner: &Partner, rules: &Rules) -> Message {
    Message { embeds: vec![profile(partner, rules)], ephemeral: true, ..Message::default() }
}

/// The answer to `/partner add` (and "Add anyway").
pub fn added(partner: &Partner, rules: &Rules) -> Message {
    Message {
        content: format!(
            "Added **{}**. Name it in `/intel partner:` to link what you hear.",
            DiscordMarkup.text(partner.profile.name.as_str())
        ),
        embeds: vec![Embed { colour: Some(GREEN), ..profile(partner, rules) }],
        ephemeral: true,
        ..Message::default()
    }
}

/// Twelve months as a text bar chart, oldest first, each bar scaled to the busiest month.
pub fn months(months: &[(NaiveDate, u64)]) -> String {
    let most = months.iter().map(|(_, n)| *n).max().unwrap_or(0);
    months
        .iter()
        .map(|(month, n)| {
            let blocks = if most == 0 { 0 } else { (n * BAR_MAX).div_ceil(most) };
            format!("`{}` {} {n}", month.format("%b %Y"), "█".repeat(blocks as usize))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `/partner show`: the profile, then a page of entries with Previous/Next buttons.
pub fn timeline(t: &Timeline, rules: &Rules, dates: DateStyle) -> Message {
    let mut profile = profile(&t.partner, rules);
    profile.fields.push(Field::new("Last contact", last_contact(t.last_contact.as_ref(), rules)));
    if !t.follow_ups.is_empty() {
        let lines: Vec<String> = t
            .follow_ups
            .iter()
            .filter_map(|e| {
                let f = e.follow_up.as_ref()?;
                Some(format!(
                    "#{} · due {} · {}",
                    e.id,
                    super::due(f.due, dates),
                    DiscordMarkup.text(&e.note.excerpt(80))
                ))
            })
            .collect();
        profile.fields.push(Field::new("Open follow-ups", lines.join("\n")));
    }
    profile.fields.push(Field::new("Entries by month", months(&t.months)));
    let pages = t.total.div_ceil(u64::from(t.per_page.max(1))).max(1);
    let description = if t.total == 0 {
        "No entries about them yet.".to_string()
    } else {
        format!("{} · page {} of {pages}", count(t.total, "entry", "entries"), t.page + 1)
    };
    let entries = Embed {
        title: "Entries, newest first".into(),
        description,
        fields: t
            .entries
            .iter()
            .map(|e| Field::new(format!("#{}", e.id), summary(e, rules, 200)))
            .chain(t.unreadable.iter().map(|id| {
                Field::new(
                    format!("#{id}"),
                    format!("Entry #{id} could not be read; `/entry delete` removes it."),
                )
            }))
            .collect(),
        colour: Some(BLUE),
        ..Embed::default()
    };
    let has_next = u64::from(t.page + 1) < pages;
    let mut buttons = Vec::new();
    if t.page > 0 || has_next {
        let page = |n: u32| Action::PartnerPage { partner: t.partner.id, page: n }.to_custom_id();
        buttons.push(vec![
            Button::new(page(t.page.saturating_sub(1)), "Previous", ButtonStyle::Secondary)
                .disabled(t.page == 0),
            Button::new(page(t.page + 1), "Next", ButtonStyle::Secondary).disabled(!has_next),
        ]);
    }
    Message { embeds: vec![profile, entries], buttons, ephemeral: true, ..Message::default() }
}

/// `/partner list`: a page of partners with Previous/Next buttons carrying the filter.
pub fn list(list: &PartnerList, state: &PartnerListState, rules: &Rules) -> Message {
    let pages = list.total.div_ceil(u64::from(list.per_page.max(1))).max(1);
    let description = match list.total {
        0 => "No partners match.".to_string(),
        1 => "1 partner".to_string(),
        n => format!("{n} partners · page {} of {pages}", list.page + 1),
    };
    let fields = list
        .partners
        .iter()
        .map(|s| {
            let p = &s.partner.profile;
            Field::new(
                format!("{} · {}", DiscordMarkup.text(p.name.as_str()), p.kind.as_str()),
                format!(
                    "{} · {} · {} · last contact {}",
                    owners(&p.owners),
                    p.status.as_str(),
                    count(s.entries, "entry", "entries"),
                    last_contact(s.last_contact.as_ref(), rules)
                ),
            )
        })
        .collect();
    let has_next = u64::from(list.page + 1) < pages;
    let mut buttons = Vec::new();
    if list.page > 0 || has_next {
        let page = |n: u32| Action::PartnerList(PartnerListState { page: n, ..state.clone() }).to_custom_id();
        buttons.push(vec![
            Button::new(page(list.page.saturating_sub(1)), "Previous", ButtonStyle::Secondary)
                .disabled(list.page == 0),
            Button::new(page(list.page + 1), "Next", ButtonStyle::Secondary).disabled(!has_next),
        ]);
    }
    Message {
        embeds: vec![Embed {
            title: "Partners".into(),
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
