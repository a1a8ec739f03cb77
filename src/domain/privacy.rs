//! What liaison keeps, for how long, and what it shares: an entry's share, a guild's privacy
//! choices, and the record of every erasure and expiry pass.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::GuildId;

/// Who an entry's text is for. A private entry is counted everywhere, but its text never appears
/// in the digest, in "who else heard this", or in another member's search results (admins
/// excepted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Share {
    #[default]
    Team,
    Private,
}

impl Share {
    pub fn as_str(self) -> &'static str {
        match self {
            Share::Team => "team",
            Share::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "team" => Some(Share::Team),
            "private" => Some(Share::Private),
            _ => None,
        }
    }
}

/// What an expired entry shows wherever its text would be.
pub const EXPIRED_TEXT: &str = "(text removed under the retention policy)";

/// What an expired entry shows as its author's name (the id is kept: counts per member stay).
pub const EXPIRED_AUTHOR: &str = "(name removed)";

/// The author an erased member's entries are attributed to.
pub const FORMER_MEMBER: &str = "former member";

/// What replaces each erased mention in a note.
pub const ERASED: &str = "[erased]";

/// A guild's privacy choices. Made from the config's defaults until an admin changes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacySettings {
    pub guild: GuildId,
    /// Days an entry's text is kept; `None` follows the config's `[retention] note_days`. A guild
    /// may only shorten it (0 in the config keeps text forever; a guild may still set a period).
    pub note_days: Option<u32>,
    /// Whether the digest quotes notes, or gives counts and tags only.
    pub excerpts: bool,
    /// Whether the digest names contributors and follow-up owners.
    pub names: bool,
    /// Whether `/stats` counts entries per contributor.
    pub contributor_counts: bool,
    /// Whether counts below [`SMALL_COUNT`] are shown as "fewer than 3".
    pub hide_small_counts: bool,
}

/// Counts below this are shown as "fewer than 3" where a guild hides small counts.
pub const SMALL_COUNT: u64 = 3;

impl PrivacySettings {
    /// A guild that has changed nothing: everything shared as before, text kept as the config says.
    pub fn defaults(guild: GuildId) -> Self {
        PrivacySettings {
            guild,
            note_days: None,
            excerpts: true,
            names: true,
            contributor_counts: true,
            hide_small_counts: false,
        }
    }

    /// The days text is kept in this guild, given the config's period (0 = forever): the shorter
    /// of the two, a guild's own period counting even where the config keeps text forever.
    pub fn retention_days(&self, config_days: u32) -> Option<u32> {
        match (config_days, self.note_days) {
            (0, None) => None,
            (0, Some(own)) => Some(own),
            (days, None) => Some(days),
            (days, Some(own)) => Some(own.min(days)),
        }
    }

    /// A count as shown: "fewer than 3" for a small one where the guild asks.
    pub fn count(&self, n: u64) -> String {
        shown_count(self.hide_small_counts, n)
    }
}

/// A count as shown: "fewer than 3" for one from 1 to 2 when `hide_small` (none is not a person
/// to single out), the number otherwise.
pub fn shown_count(hide_small: bool, n: u64) -> String {
    if is_hidden_count(hide_small, n) {
        format!("fewer than {SMALL_COUNT}")
    } else {
        n.to_string()
    }
}

/// Whether a count is one [`shown_count`] hides.
pub fn is_hidden_count(hide_small: bool, n: u64) -> bool {
    hide_small && n > 0 && n < SMALL_COUNT
}

/// What a recorded privacy action did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrivacyActionKind {
    /// Text cleared past the retention period.
    Expire,
    /// Mentions of a text replaced by [`ERASED`].
    EraseText,
    /// A member's name and id removed from their entries.
    EraseAuthor,
    /// A member's entries deleted.
    DeleteAuthor,
    /// A guild's data deleted (the bot removed, or `forget-guild`).
    ForgetGuild,
    /// A person partner deleted, with its links (its entries stay); `entries` counts the entries
    /// it was linked to.
    ErasePartner,
}

impl PrivacyActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrivacyActionKind::Expire => "expire",
            PrivacyActionKind::EraseText => "erase-text",
            PrivacyActionKind::EraseAuthor => "erase-author",
            PrivacyActionKind::DeleteAuthor => "delete-author",
            PrivacyActionKind::ForgetGuild => "forget-guild",
            PrivacyActionKind::ErasePartner => "erase-partner",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            PrivacyActionKind::Expire,
            PrivacyActionKind::EraseText,
            PrivacyActionKind::EraseAuthor,
            PrivacyActionKind::DeleteAuthor,
            PrivacyActionKind::ForgetGuild,
            PrivacyActionKind::ErasePartner,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One erasure or expiry pass, as recorded: when, by whom, what kind, how many entries. Never
/// the erased text, nor whose entries they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyAction {
    pub guild: GuildId,
    pub at: DateTime<Utc>,
    /// Who did it: `"<@id>"`-free words, e.g. "admin 1234" or "liaison CLI (alice)" or "the bot".
    pub by: String,
    pub kind: PrivacyActionKind,
    pub entries: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guild_may_only_shorten_the_period_and_zero_keeps_forever() {
        let mut s = PrivacySettings::defaults(GuildId(1));
        assert_eq!(s.retention_days(365), Some(365));
        assert_eq!(s.retention_days(0), None);
        s.note_days = Some(90);
        assert_eq!(s.retention_days(365), Some(90));
        assert_eq!(s.retention_days(30), Some(30));
        assert_eq!(s.retention_days(0), Some(90));
    }

    #[test]
    fn small_counts_are_folded_only_where_asked() {
        let mut s = PrivacySettings::defaults(GuildId(1));
        assert_eq!(s.count(2), "2");
        s.hide_small_counts = true;
        assert_eq!(
            (s.count(0).as_str(), s.count(1).as_str(), s.count(2).as_str()),
            ("0", "fewer than 3", "fewer than 3")
        );
        assert_eq!(s.count(3), "3");
    }

    #[test]
    fn kinds_and_shares_round_trip() {
        for k in ["expire", "erase-text", "erase-author", "delete-author", "forget-guild", "erase-partner"] {
            assert_eq!(PrivacyActionKind::parse(k).map(PrivacyActionKind::as_str), Some(k));
        }
        assert_eq!(Share::parse("Private"), Some(Share::Private));
        assert_eq!(Share::parse("public"), None);
    }
}
