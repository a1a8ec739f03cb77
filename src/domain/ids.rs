//! Discord snowflakes and entry ids.
//!
//! Discord ids are u64 and travel as strings in Discord's JSON; we serialise them the same way so
//! that exports survive tools (spreadsheets, JavaScript) that would round a large number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! snowflake {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[derive(Deserialize)]
                #[serde(untagged)]
                enum Repr {
                    Number(u64),
                    Text(String),
                }
                match Repr::deserialize(d)? {
                    Repr::Number(n) => Ok($name(n)),
                    Repr::Text(t) => t.parse().map_err(serde::de::Error::custom),
                }
            }
        }
    };
}

snowflake!(
    /// A Discord server (guild). Every entry belongs to exactly one.
    GuildId
);
snowflake!(
    /// A Discord user: an entry's author or a follow-up's owner.
    UserId
);

/// Who an erased member's entries and follow-ups belong to: no Discord user has id 0, so
/// nothing is ever sent to it.
pub const FORMER_MEMBER_ID: UserId = UserId(0);

snowflake!(
    /// A Discord role: decides who may capture, search and administer.
    RoleId
);

/// An entry's id, assigned by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(pub i64);

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for EntryId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().trim_start_matches('#').parse().map(EntryId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_serialise_as_strings_and_read_either_form() {
        let id = GuildId(u64::MAX);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{}\"", u64::MAX));
        assert_eq!(serde_json::from_str::<GuildId>(&json).unwrap(), id);
        assert_eq!(serde_json::from_str::<UserId>("42").unwrap(), UserId(42));
        assert!(serde_json::from_str::<UserId>("\"x\"").is_err());
    }

    #[test]
    fn entry_ids_accept_a_leading_hash() {
        assert_eq!("#12".parse::<EntryId>().unwrap(), EntryId(12));
        assert!("twelve".parse::<EntryId>().is_err());
    }
}
