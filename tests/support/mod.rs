//! Shared test support: a fake Discord the real serenity client talks to, and Discord-shaped
//! payloads. Use it from an integration test file with `mod support;`.
//!
//! Each integration test file compiles this module separately and uses only part of it.
#![allow(dead_code, unused_imports)]

pub mod bot;
pub mod fake_discord;
pub mod ids;
pub mod payloads;

pub use fake_discord::{Failure, FakeDiscord, GatewayStats, RecordedRequest};
pub use ids::{APP_ID, BOT_ID, CHANNEL_ID, GUILD_ID};
pub use payloads::Who;
