//! liaison: capture, search and share what an academic library's liaison and enquiry-desk staff hear.
//!
//! Layers, top to bottom; nothing points upward, and `tests/architecture.rs` checks it on the source:
//! - `discord` and `cli`, the front ends: they parse input into typed requests (values resolved once,
//!   here, with the catalogues of `domain`), call a service, and render what comes back. Only
//!   `discord` names serenity or writes Discord markup.
//! - `service`: the use cases (capture, search, follow-ups, statistics, digest runs, reminders,
//!   export, import). No serenity, no SQL; they take the store's traits, the rules, and `now`.
//! - `digest`: the weekly digest, pure: built from what a service gathered, rendered into `message`.
//! - `message`: the chat-neutral message model (replies, embeds, buttons, forms, the platform's
//!   limits) and the `Markup` a front end supplies for timestamps, mentions and escaping.
//! - `store`: persistence, one trait per concern, `store::Store` their union; `store::sqlite` and
//!   `store::postgres` implement each concern in a file of its own.
//! - `domain`: pure types and rules (entries, the department and channel catalogues and the keys
//!   they make, tags, notes, redaction, date phrases, search terms): no I/O.
//!
//! `config` reads and validates the config file once, into `domain` values.

pub mod cli;
pub mod config;
pub mod digest;
pub mod discord;
pub mod domain;
pub mod message;
pub mod service;
pub mod store;
