//! Command handlers as functions: a typed request in, a reply value out, through the router as an
//! interaction reaches it, on a real SQLite database in a temp dir, at a time the test sets. No
//! serenity and no fake Discord here: registration, the gateway, deferral, payloads and Discord's
//! failures are `tests/discord.rs`'s and `tests/digest_posting.rs`'s.

#[path = "handlers/bench.rs"]
mod bench;

#[path = "handlers/defaults.rs"]
mod defaults;
#[path = "handlers/digest.rs"]
mod digest;
#[path = "handlers/entry.rs"]
mod entry;
#[path = "handlers/event_moves.rs"]
mod event_moves;
#[path = "handlers/events.rs"]
mod events;
#[path = "handlers/failing.rs"]
mod failing;
#[path = "handlers/follow_ups.rs"]
mod follow_ups;
#[path = "handlers/hand_offs.rs"]
mod hand_offs;
#[path = "handlers/help.rs"]
mod help;
#[path = "handlers/impact.rs"]
mod impact;
#[path = "handlers/intel.rs"]
mod intel;
#[path = "handlers/partners.rs"]
mod partners;
#[path = "handlers/privacy.rs"]
mod privacy;
#[path = "handlers/report.rs"]
mod report;
#[path = "handlers/search.rs"]
mod search;
#[path = "handlers/settings.rs"]
mod settings;
#[path = "handlers/sharing.rs"]
mod sharing;
#[path = "handlers/stats.rs"]
mod stats;
#[path = "handlers/told.rs"]
mod told;
#[path = "handlers/words.rs"]
mod words;
