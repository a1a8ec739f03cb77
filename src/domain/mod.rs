//! Pure types and rules: no I/O, no serenity, no SQL.

pub mod academic;
pub mod channel;
pub mod date_phrase;
pub mod date_style;
pub mod department;
pub mod digest_settings;
pub mod entry;
pub mod event;
pub mod fast_map;
pub mod ids;
pub mod impact;
pub mod mention;
pub mod note;
pub mod partner;
pub mod period;
pub mod privacy;
pub mod redaction;
pub mod rules;
pub mod search;
pub mod stats;
pub mod tag;
pub mod terms;
pub mod text;
pub mod time_range;
pub mod web_link;
pub mod words;
