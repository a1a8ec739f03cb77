//! Laying sections out as messages: fields are never cut or dropped here; a section that
//! does not fit goes on in a "continued" embed, in the next message if need be.

use std::mem;

use crate::message::limits::{
    self, embed_len, len, EMBEDS_MAX, EMBED_FIELDS_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX,
};
use crate::message::{Embed, Field, Message};

/// What one message's embeds may hold, below Discord's 6000. `limits::fit_message` starts
/// dropping fields above 5960, so a digest message stays under that and passes through a later
/// `fitted()` unchanged; the footer added afterwards has its own room.
const MESSAGE_BUDGET: usize = 5900 - FOOTER_ROOM;
const FOOTER_ROOM: usize = 160;
const FOOTER_LABEL_MAX: usize = 100;

/// A part of the digest: one embed, or several in a row when it is long.
pub(crate) struct Section {
    pub title: String,
    pub description: String,
    pub colour: u32,
    pub fields: Vec<Field>,
}

/// The sections in order, as few messages as the limits allow, each footer naming the period
/// and the part.
pub(crate) fn pack(sections: Vec<Section>, label: &str) -> Vec<Message> {
    let mut packer = Packer::default();
    for section in sections {
        packer.section(section);
    }
    packer.flush();
    let parts = packer.done.len();
    let label = limits::truncate(label, FOOTER_LABEL_MAX);
    packer
        .done
        .into_iter()
        .enumerate()
        .map(|(i, mut embeds)| {
            if let Some(last) = embeds.last_mut() {
                last.footer = if parts > 1 {
                    format!("Liaison digest · {label} · part {} of {parts}", i + 1)
                } else {
                    format!("Liaison digest · {label}")
                };
            }
            let m = Message { embeds, ..Message::default() };
            debug_assert!(limits::violations(&m).is_empty(), "{:?}", limits::violations(&m));
            m
        })
        .collect()
}

#[derive(Default)]
struct Packer {
    done: Vec<Vec<Embed>>,
    current: Vec<Embed>,
    used: usize,
}

fn field_len(f: &Field) -> usize {
    len(&f.name) + len(&f.value)
}

/// Every field is within its own limits before it is placed, so one always fits an empty message.
fn within_limits(f: Field) -> Field {
    Field {
        name: limits::truncate(&f.name, FIELD_NAME_MAX),
        value: limits::truncate(&f.value, FIELD_VALUE_MAX),
        inline: f.inline,
    }
}

impl Packer {
    fn section(&mut self, s: Section) {
        let mut fields = s.fields.into_iter().map(within_limits);
        let first = fields.next();
        let head = Embed {
            title: limits::truncate(&s.title, limits::EMBED_TITLE_MAX),
            description: limits::truncate(&s.description, limits::EMBED_DESCRIPTION_MAX),
            colour: Some(s.colour),
            ..Embed::default()
        };
        // The heading travels with its first field, so no message ends on a bare heading.
        self.open(head, first.as_ref().map_or(0, field_len));
        let continued = limits::truncate(&format!("{} (continued)", s.title), limits::EMBED_TITLE_MAX);
        for field in first.into_iter().chain(fields) {
            self.add(field, &continued, s.colour);
        }
    }

    fn open(&mut self, embed: Embed, then: usize) {
        let n = embed_len(&embed);
        if self.current.len() >= EMBEDS_MAX || self.used + n + then > MESSAGE_BUDGET {
            self.flush();
        }
        self.used += n;
        self.current.push(embed);
    }

    fn add(&mut self, field: Field, continued: &str, colour: u32) {
        let n = field_len(&field);
        let full = self.current.last().is_none_or(|e| e.fields.len() >= EMBED_FIELDS_MAX);
        if full || self.used + n > MESSAGE_BUDGET {
            let next = Embed { title: continued.to_string(), colour: Some(colour), ..Embed::default() };
            self.open(next, n);
        }
        self.used += n;
        if let Some(e) = self.current.last_mut() {
            e.fields.push(field);
        }
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            self.done.push(mem::take(&mut self.current));
            self.used = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(title: &str, fields: usize, value_len: usize) -> Section {
        Section {
            title: title.into(),
            description: "d".repeat(100),
            colour: 0,
            fields: (0..fields).map(|i| Field::new(format!("f{i}"), "v".repeat(value_len))).collect(),
        }
    }

    #[test]
    fn long_sections_continue_in_later_messages_without_losing_a_field() {
        let messages = pack(vec![section("a", 60, 1024), section("b", 30, 10)], "Week 1");
        for m in &messages {
            assert_eq!(limits::violations(m), Vec::<String>::new());
        }
        let fields: usize = messages.iter().flat_map(|m| &m.embeds).map(|e| e.fields.len()).sum();
        assert_eq!(fields, 90);
        assert!(messages.len() > 10, "{}", messages.len());
        assert!(messages[1].embeds[0].title.ends_with("(continued)"));
        assert!(messages.last().unwrap().embeds.last().unwrap().footer.contains("part"));
    }

    #[test]
    fn many_small_fields_split_at_twenty_five_per_embed() {
        let messages = pack(vec![section("a", 60, 5)], "Week 1");
        assert_eq!(messages.len(), 1);
        let counts: Vec<usize> = messages[0].embeds.iter().map(|e| e.fields.len()).collect();
        assert_eq!(counts, vec![25, 25, 10]);
        assert_eq!(messages[0].embeds[2].footer, "Liaison digest · Week 1");
    }

    #[test]
    fn a_heading_is_not_left_alone_at_the_end_of_a_message() {
        let messages = pack(vec![section("a", 5, 1000), section("b", 1, 1000)], "Week 1");
        for m in &messages {
            assert!(m.embeds.iter().all(|e| !e.fields.is_empty()));
        }
    }
}
