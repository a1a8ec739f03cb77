//! Discord's size limits (../shared/discord-limits.md), enforced on every reply before it is sent:
//! a long note is cut with an ellipsis, never rejected by Discord with a 400. These numbers are the
//! message model's contract: a front end for another chat sends what fits them.
//!
//! Lengths are counted in UTF-16 code units, which is never less than the characters Discord
//! counts, so a fitted message is within the limit however Discord counts.

use super::{Embed, Field, Message, Modal};

pub const CONTENT_MAX: usize = 2000;
pub const EMBEDS_MAX: usize = 10;
pub const EMBED_TITLE_MAX: usize = 256;
pub const EMBED_DESCRIPTION_MAX: usize = 4096;
pub const EMBED_FIELDS_MAX: usize = 25;
pub const FIELD_NAME_MAX: usize = 256;
pub const FIELD_VALUE_MAX: usize = 1024;
pub const FOOTER_MAX: usize = 2048;
/// All embeds of one message together.
pub const EMBEDS_TOTAL_MAX: usize = 6000;
pub const BUTTON_ROWS_MAX: usize = 5;
pub const BUTTONS_PER_ROW_MAX: usize = 5;
pub const BUTTON_LABEL_MAX: usize = 80;
pub const CUSTOM_ID_MAX: usize = 100;
pub const MODAL_TITLE_MAX: usize = 45;
pub const MODAL_INPUTS_MAX: usize = 5;
pub const INPUT_LABEL_MAX: usize = 45;
pub const INPUT_PLACEHOLDER_MAX: usize = 100;
pub const TEXT_INPUT_MAX: u16 = 4000;
pub const CHOICES_MAX: usize = 25;
pub const CHOICE_MAX: usize = 100;

/// Length as Discord may count it.
pub fn len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// At most `max` units, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if len(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.len_utf16();
        if used + w > max.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += w;
    }
    // A cut in the middle of an escape (a trailing backslash) would escape the ellipsis.
    while out.ends_with('\\') {
        out.pop();
    }
    out.push('…');
    out
}

/// Discord refuses empty field names and values.
fn non_empty(s: String) -> String {
    if s.trim().is_empty() {
        "\u{200b}".to_string()
    } else {
        s
    }
}

fn fit_embed(e: Embed) -> Embed {
    Embed {
        title: truncate(&e.title, EMBED_TITLE_MAX),
        description: truncate(&e.description, EMBED_DESCRIPTION_MAX),
        fields: e
            .fields
            .into_iter()
            .take(EMBED_FIELDS_MAX)
            .map(|f| Field {
                name: non_empty(truncate(&f.name, FIELD_NAME_MAX)),
                value: non_empty(truncate(&f.value, FIELD_VALUE_MAX)),
                inline: f.inline,
            })
            .collect(),
        footer: truncate(&e.footer, FOOTER_MAX),
        colour: e.colour,
        image: e.image,
    }
}

pub fn embed_len(e: &Embed) -> usize {
    len(&e.title)
        + len(&e.description)
        + len(&e.footer)
        + e.fields.iter().map(|f| len(&f.name) + len(&f.value)).sum::<usize>()
}

/// Brings all embeds of a message within the shared 6000 budget, leaving room for a "N more not
/// shown" note. Fields go first, from the end (results and list items, least important last),
/// then descriptions are shortened, then footers and titles. Returns how many fields were dropped.
fn fit_total(embeds: &mut [Embed]) -> usize {
    const NOTE_ROOM: usize = 40;
    let budget = EMBEDS_TOTAL_MAX - NOTE_ROOM;
    let total = |embeds: &[Embed]| embeds.iter().map(embed_len).sum::<usize>();
    let mut dropped = 0;
    while total(embeds) > budget {
        let Some(e) = embeds.iter_mut().rev().find(|e| !e.fields.is_empty()) else { break };
        e.fields.pop();
        dropped += 1;
    }
    // Each pass shortens the longest remaining text of one kind; every step strictly shrinks
    // the total or moves on, so this ends.
    for part in [Part::Description, Part::Footer, Part::Title] {
        while total(embeds) > budget {
            let excess = total(embeds) - budget;
            let Some(e) =
                embeds.iter_mut().filter(|e| !part.get(e).is_empty()).max_by_key(|e| len(part.get(e)))
            else {
                break;
            };
            let keep = len(part.get(e)).saturating_sub(excess);
            let shorter = if keep < 2 { String::new() } else { truncate(part.get(e), keep) };
            part.set(e, shorter);
        }
    }
    dropped
}

#[derive(Clone, Copy)]
enum Part {
    Description,
    Footer,
    Title,
}

impl Part {
    fn get(self, e: &Embed) -> &str {
        match self {
            Part::Description => &e.description,
            Part::Footer => &e.footer,
            Part::Title => &e.title,
        }
    }

    fn set(self, e: &mut Embed, value: String) {
        match self {
            Part::Description => e.description = value,
            Part::Footer => e.footer = value,
            Part::Title => e.title = value,
        }
    }
}

pub fn fit_message(m: Message) -> Message {
    let mut embeds: Vec<Embed> = m.embeds.into_iter().take(EMBEDS_MAX).map(fit_embed).collect();
    let dropped = fit_total(&mut embeds);
    if dropped > 0 {
        if let Some(e) = embeds.last_mut() {
            let note = format!("{dropped} more not shown");
            let footer = if e.footer.is_empty() { note } else { format!("{} · {note}", e.footer) };
            e.footer = truncate(&footer, FOOTER_MAX);
        }
    }
    let buttons = m
        .buttons
        .into_iter()
        .filter(|row| !row.is_empty())
        .take(BUTTON_ROWS_MAX)
        .map(|row| {
            row.into_iter()
                .take(BUTTONS_PER_ROW_MAX)
                .map(|mut b| {
                    b.label = truncate(&b.label, BUTTON_LABEL_MAX);
                    debug_assert!(len(&b.custom_id) <= CUSTOM_ID_MAX, "custom_id too long: {}", b.custom_id);
                    b
                })
                .collect()
        })
        .collect();
    Message {
        content: truncate(&m.content, CONTENT_MAX),
        embeds,
        buttons,
        ephemeral: m.ephemeral,
        attachments: m.attachments,
    }
}

pub fn fit_modal(m: Modal) -> Modal {
    Modal {
        custom_id: m.custom_id,
        title: truncate(&m.title, MODAL_TITLE_MAX),
        inputs: m
            .inputs
            .into_iter()
            .take(MODAL_INPUTS_MAX)
            .map(|mut i| {
                i.max_length = i.max_length.clamp(1, TEXT_INPUT_MAX);
                i.label = truncate(&i.label, INPUT_LABEL_MAX);
                i.placeholder = truncate(&i.placeholder, INPUT_PLACEHOLDER_MAX);
                // Cut by characters: Discord checks a pre-filled value against max_length.
                i.value = i.value.chars().take(usize::from(i.max_length)).collect();
                i
            })
            .collect(),
    }
}

pub fn fit_choices(choices: Vec<(String, String)>) -> Vec<(String, String)> {
    choices
        .into_iter()
        .filter(|(_, value)| len(value) <= CHOICE_MAX && !value.is_empty())
        .take(CHOICES_MAX)
        .map(|(name, value)| (non_empty(truncate(&name, CHOICE_MAX)), value))
        .collect()
}

/// Checks a message against every limit; tests use it on whatever a handler produced.
pub fn violations(m: &Message) -> Vec<String> {
    let mut v = Vec::new();
    let mut check = |what: &str, n: usize, max: usize| {
        if n > max {
            v.push(format!("{what}: {n} > {max}"));
        }
    };
    check("content", len(&m.content), CONTENT_MAX);
    check("embeds", m.embeds.len(), EMBEDS_MAX);
    check("embeds total", m.embeds.iter().map(embed_len).sum(), EMBEDS_TOTAL_MAX);
    for e in &m.embeds {
        check("title", len(&e.title), EMBED_TITLE_MAX);
        check("description", len(&e.description), EMBED_DESCRIPTION_MAX);
        check("fields", e.fields.len(), EMBED_FIELDS_MAX);
        check("footer", len(&e.footer), FOOTER_MAX);
        for f in &e.fields {
            check("field name", len(&f.name), FIELD_NAME_MAX);
            check("field value", len(&f.value), FIELD_VALUE_MAX);
        }
    }
    check("button rows", m.buttons.len(), BUTTON_ROWS_MAX);
    for row in &m.buttons {
        check("buttons in a row", row.len(), BUTTONS_PER_ROW_MAX);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_utf16_and_ends_with_an_ellipsis() {
        assert_eq!(truncate("short", 10), "short");
        let cut = truncate(&"é".repeat(50), 10);
        assert_eq!(len(&cut), 10);
        assert!(cut.ends_with('…'));
        let emoji = truncate(&"😀".repeat(10), 7);
        assert!(len(&emoji) <= 7, "{emoji}");
        assert_eq!(truncate("ab\\*cd", 4), "ab…");
    }

    #[test]
    fn twenty_five_long_fields_fit_the_6000_budget() {
        let embed = Embed {
            title: "t".repeat(300),
            description: "d".repeat(5000),
            fields: (0..30).map(|i| Field::new(format!("n{i}").repeat(100), "v".repeat(2000))).collect(),
            footer: "f".repeat(3000),
            colour: None,
            image: None,
        };
        let m =
            fit_message(Message { embeds: vec![embed; 12], content: "c".repeat(3000), ..Message::default() });
        assert_eq!(violations(&m), Vec::<String>::new());
        assert_eq!(m.embeds.len(), EMBEDS_MAX);
        assert!(m.embeds.last().unwrap().footer.contains("more not shown"));
    }

    #[test]
    fn empty_field_values_become_a_zero_width_space() {
        let m = fit_message(Message {
            embeds: vec![Embed { fields: vec![Field::new("", " ")], ..Embed::default() }],
            ..Message::default()
        });
        assert_eq!(m.embeds[0].fields[0].value, "\u{200b}");
    }
}
