//! Fixed snowflakes shared by the fake Discord and the payload builders.
//!
//! The application id and the bot user id differ on purpose (on Discord they are often equal), so
//! a bot that uses one where the other is needed fails in tests.

/// The application id: READY's `application.id`, the `{app}` of command and webhook routes.
pub const APP_ID: u64 = 1_111_111_111_111_111_111;
/// The bot's user id (READY's `user.id`, author of the messages the fake creates).
pub const BOT_ID: u64 = 1_222_222_222_222_222_222;
/// The bot user's name.
pub const BOT_USERNAME: &str = "liaison-test";
/// The guild the bot is in (READY lists it as unavailable) and interactions come from by default.
pub const GUILD_ID: u64 = 1_333_333_333_333_333_333;
/// The guild text channel interactions come from by default.
pub const CHANNEL_ID: u64 = 1_444_444_444_444_444_444;

/// A user id, distinct for each `n`.
pub fn user_id(n: u64) -> u64 {
    1_555_555_555_555_500_000 + n
}

/// A role id, distinct for each `n`.
pub fn role_id(n: u64) -> u64 {
    1_666_666_666_666_600_000 + n
}

/// A guild channel id, distinct for each `n` (and from [`CHANNEL_ID`]).
pub fn channel_id(n: u64) -> u64 {
    1_777_777_777_777_700_000 + n
}

/// The DM channel between the bot and a user (stable per user, like Discord's).
pub fn dm_channel_id(user_id: u64) -> u64 {
    1_888_000_000_000_000_000 + user_id % 100_000_000_000_000_000
}

/// The command id the fake assigns to a registered command of that name, and the id the payload
/// builders put in `data.id` (a stable hash of the name, so both agree).
pub fn command_id(name: &str) -> u64 {
    // FNV-1a, stable across runs and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    1_900_000_000_000_000_000 + hash % 1_000_000_000_000
}

static NEXT_SNOWFLAKE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A fresh snowflake (interactions, messages, command versions), unique within the test binary.
pub fn next_snowflake() -> u64 {
    1_950_000_000_000_000_000 + NEXT_SNOWFLAKE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}
