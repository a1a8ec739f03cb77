//! A guild's digest settings: where and when its weekly digest goes.

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;

use super::ids::GuildId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSettings {
    pub guild: GuildId,
    /// The Discord channel the digest is posted in.
    pub channel: u64,
    pub weekday: Weekday,
    /// Local wall-clock time in `timezone`.
    pub time: NaiveTime,
    pub timezone: Tz,
    pub enabled: bool,
    pub post_empty_weeks: bool,
    /// Set when the bot turned the digest off because Discord refused the channel for good.
    pub problem: Option<String>,
}
