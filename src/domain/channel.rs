//! Channels: how a piece of intel reached us, each formal or informal.

use std::fmt;

use super::department::{DepartmentCatalogue, DepartmentSpec};
use super::text::visible;

use serde::{Deserialize, Serialize};

/// A channel as configured: `key` is what commands and exports use (`coffee`), `name` is what
/// people read (`Coffee`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSpec {
    pub key: String,
    pub name: String,
    pub informal: bool,
}

/// The channel an entry is filed under, as stored. Made by the catalogue for new entries, and by
/// the store from what it reads (a channel may have left the config since).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChannelKey(String);

impl ChannelKey {
    pub fn from_stored(key: impl Into<String>) -> Self {
        ChannelKey(key.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ChannelKey {
    fn from(key: &str) -> Self {
        ChannelKey::from_stored(key)
    }
}

impl PartialEq<str> for ChannelKey {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ChannelKey {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for ChannelKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// A channel resolved by the catalogue: nothing else makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    key: ChannelKey,
    name: String,
    informal: bool,
}

impl Channel {
    pub fn key(&self) -> &ChannelKey {
        &self.key
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn informal(&self) -> bool {
        self.informal
    }
}

/// The most choices a Discord option can offer.
pub const MAX_CHANNELS: usize = 25;
const MAX_KEY_LEN: usize = 32;

#[derive(Debug, Clone)]
pub struct ChannelCatalogue {
    channels: Vec<Channel>,
    /// Where the default is in `channels`.
    default: usize,
    /// The names (keys as their aliases) as a fuzzy index, for autocomplete and "did you mean":
    /// the department catalogue's, so that both match alike (as partners' names do). `None` if
    /// no index could be built, which leaves exact look-ups working.
    index: Option<DepartmentCatalogue>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelCatalogueError {
    #[error("the channel list is empty")]
    Empty,
    #[error("the channel key \"{0}\" is used twice")]
    Duplicate(String),
    #[error("the channel key \"{0}\" must be 1 to 32 lower-case letters, digits or hyphens")]
    BadKey(String),
    #[error("the default channel \"{0}\" is not in the channel list")]
    UnknownDefault(String),
    #[error("at most 25 channels fit in a Discord choice list; there are {0}")]
    TooMany(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no channel called \"{input}\"; {}the channels are: {}", did_you_mean(suggestion.as_deref()), known.join(", "))]
pub struct UnknownChannel {
    pub input: String,
    /// The key of the channel `input` most resembles, if any does closely.
    pub suggestion: Option<String>,
    pub known: Vec<String>,
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map_or_else(String::new, |key| format!("did you mean \"{key}\"? "))
}

/// How similar (0 to 1, as [`DepartmentCatalogue::closest_scored`] measures) a typed channel must
/// be to one to be suggested: `seminar` suggests `research-seminar`, `cofee` suggests `coffee`,
/// while `pigeon` suggests nothing.
pub const SUGGESTION_SIMILARITY: f64 = 0.75;

impl ChannelCatalogue {
    pub fn new(channels: Vec<ChannelSpec>, default_key: &str) -> Result<Self, ChannelCatalogueError> {
        if channels.is_empty() {
            return Err(ChannelCatalogueError::Empty);
        }
        if channels.len() > MAX_CHANNELS {
            return Err(ChannelCatalogueError::TooMany(channels.len()));
        }
        for (i, channel) in channels.iter().enumerate() {
            if !is_valid_key(&channel.key) {
                return Err(ChannelCatalogueError::BadKey(channel.key.clone()));
            }
            if channels[..i].iter().any(|c| c.key == channel.key) {
                return Err(ChannelCatalogueError::Duplicate(channel.key.clone()));
            }
        }
        let Some(default) = channels.iter().position(|c| c.key == default_key) else {
            return Err(ChannelCatalogueError::UnknownDefault(default_key.to_string()));
        };
        let channels: Vec<Channel> = channels
            .into_iter()
            .map(|c| Channel { key: ChannelKey(c.key), name: c.name, informal: c.informal })
            .collect();
        let index = name_index(&channels);
        Ok(ChannelCatalogue { channels, default, index })
    }

    /// By key or name, ignoring case, punctuation and spacing.
    pub fn resolve(&self, input: &str) -> Result<&Channel, UnknownChannel> {
        let wanted = squash(input);
        // Keys are checked before names so that a name which squashes to another channel's key
        // cannot shadow that key.
        let found = self
            .get(input.trim())
            .or_else(|| self.channels.iter().find(|c| squash(c.key.as_str()) == wanted))
            .or_else(|| self.channels.iter().find(|c| squash(&c.name) == wanted));
        match found {
            Some(channel) if !wanted.is_empty() => Ok(channel),
            _ => Err(UnknownChannel {
                input: input.trim().to_string(),
                suggestion: self.closest(input).map(|c| c.key.as_str().to_string()),
                known: self.channels.iter().map(|c| c.key.as_str().to_string()).collect(),
            }),
        }
    }

    /// The channel `input` most resembles, when it resembles one closely.
    pub fn closest(&self, input: &str) -> Option<&Channel> {
        let index = self.index.as_ref()?;
        match index.closest_scored(input, 1).as_slice() {
            [(name, score)] if *score >= SUGGESTION_SIMILARITY => self.named(name),
            _ => None,
        }
    }

    /// Up to `limit` channels for a partial input, as departments are completed: prefixes of a
    /// name or key first, then words of a name, then near misses; an empty input lists them all
    /// in the config's order.
    pub fn autocomplete(&self, partial: &str, limit: usize) -> Vec<&Channel> {
        if squash(partial).is_empty() {
            return self.channels.iter().take(limit).collect();
        }
        let Some(index) = &self.index else { return Vec::new() };
        index.autocomplete(partial, limit).into_iter().filter_map(|name| self.named(name)).collect()
    }

    /// The channel the index knows by this name.
    fn named(&self, name: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.name == name)
    }

    /// The channel with exactly this key.
    fn get(&self, key: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.key.as_str() == key)
    }

    /// The channel a stored key names; `None` for one since removed from the config.
    pub fn by_key(&self, key: &ChannelKey) -> Option<&Channel> {
        self.get(key.as_str())
    }

    /// What to show for an entry filed under `key`: the channel's name, or the key itself for a
    /// channel no longer in the catalogue.
    pub fn display_name<'a>(&'a self, key: &'a ChannelKey) -> &'a str {
        self.by_key(key).map_or(key.as_str(), Channel::name)
    }

    pub fn default_channel(&self) -> &Channel {
        &self.channels[self.default]
    }

    pub fn iter(&self) -> impl Iterator<Item = &Channel> {
        self.channels.iter()
    }
}

/// Each channel's name, with its key as an alias. Should a name squash to another channel's key
/// (the catalogue refuses that), the index does without aliases, then without names shared by two
/// channels; failing that, there is none.
fn name_index(channels: &[Channel]) -> Option<DepartmentCatalogue> {
    let specs = |with_keys: bool| -> Vec<DepartmentSpec> {
        let mut specs: Vec<DepartmentSpec> = Vec::new();
        for c in channels {
            if specs.iter().any(|s| s.name == c.name) {
                continue;
            }
            let aliases = if with_keys { vec![c.key.as_str().to_string()] } else { Vec::new() };
            specs.push(DepartmentSpec { name: c.name.clone(), aliases });
        }
        specs
    };
    DepartmentCatalogue::new(specs(true)).or_else(|_| DepartmentCatalogue::new(specs(false))).ok()
}

/// `^[a-z0-9-]{1,32}$`, checked by hand: it is ASCII-only, so bytes are characters.
fn is_valid_key(key: &str) -> bool {
    (1..=MAX_KEY_LEN).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Lower-case letters and digits only, so `Enquiry desk`, `enquiry-desk` and `ENQUIRY DESK` agree.
/// Letters and digits in lower case, as a reader sees them ([`visible`]: composed, so `Cafe\u{301}`
/// and `Café` are one spelling).
fn squash(s: &str) -> String {
    visible(s).chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(key: &str, name: &str, informal: bool) -> ChannelSpec {
        ChannelSpec { key: key.to_string(), name: name.to_string(), informal }
    }

    fn key(input: &str, cat: &ChannelCatalogue) -> String {
        cat.resolve(input).expect(input).key().to_string()
    }

    fn catalogue() -> ChannelCatalogue {
        ChannelCatalogue::new(
            vec![
                channel("coffee", "Coffee", true),
                channel("desk", "Enquiry desk", false),
                channel("board-meeting", "Department board meeting", false),
                channel("email", "E-mail", false),
            ],
            "coffee",
        )
        .expect("valid catalogue")
    }

    #[test]
    fn resolves_by_key_and_name_ignoring_case_punctuation_and_spaces() {
        let cat = catalogue();
        for input in ["desk", "DESK", "Enquiry desk", "enquiry-desk", "ENQUIRY DESK", "  enquiry_desk. "] {
            assert_eq!(key(input, &cat), "desk", "{input}");
        }
        assert_eq!(key("Board Meeting", &cat), "board-meeting");
        assert_eq!(key("department board-meeting", &cat), "board-meeting");
        assert_eq!(key("e-mail", &cat), "email");
        assert_eq!(key("Email", &cat), "email");
    }

    #[test]
    fn unknown_channels_list_every_key() {
        let err = catalogue().resolve(" phone ").expect_err("unknown");
        assert_eq!(err.input, "phone");
        assert_eq!(err.suggestion, None);
        assert_eq!(err.known, ["coffee", "desk", "board-meeting", "email"]);
        assert_eq!(
            err.to_string(),
            "no channel called \"phone\"; the channels are: coffee, desk, board-meeting, email"
        );
    }

    #[test]
    fn an_unknown_channel_close_to_one_gets_did_you_mean() {
        let cat = catalogue();
        for (typed, meant) in
            [("cofee", "coffee"), ("emial", "email"), ("board meting", "board-meeting"), ("enquiry", "desk")]
        {
            let err = cat.resolve(typed).expect_err(typed);
            assert_eq!(err.suggestion.as_deref(), Some(meant), "{typed}");
            assert!(
                err.to_string().contains(&format!("did you mean \"{meant}\"? the channels are:")),
                "{err}"
            );
        }
        for far in ["pigeon", "x", "telephone call"] {
            assert_eq!(cat.resolve(far).expect_err(far).suggestion, None, "{far}");
        }
    }

    #[test]
    fn channels_autocomplete_by_prefix_word_and_near_miss() {
        let cat = catalogue();
        let keys = |typed: &str| -> Vec<String> {
            cat.autocomplete(typed, 25).into_iter().map(|c| c.key().to_string()).collect()
        };
        assert_eq!(keys(""), ["coffee", "desk", "board-meeting", "email"], "all, in the config's order");
        assert_eq!(keys(" "), keys(""));
        assert_eq!(keys("co"), ["coffee"]);
        assert_eq!(keys("enq"), ["desk"], "by name");
        assert_eq!(keys("meet"), ["board-meeting"], "a later word");
        assert_eq!(keys("cofe"), ["coffee"], "a near miss");
        assert!(keys("zzz").is_empty());
        assert_eq!(cat.autocomplete("", 2).len(), 2);
    }

    #[test]
    fn a_name_that_is_another_channels_key_still_completes() {
        let cat =
            ChannelCatalogue::new(vec![channel("a", "Desk", false), channel("desk", "Front", false)], "a")
                .expect("valid");
        let keys: Vec<&str> = cat.autocomplete("fro", 5).into_iter().map(|c| c.key().as_str()).collect();
        assert_eq!(keys, ["desk"]);
    }

    #[test]
    fn blank_input_is_unknown() {
        assert!(catalogue().resolve("").is_err());
        assert!(catalogue().resolve(" - ").is_err());
    }

    #[test]
    fn keys_win_over_names_that_squash_to_them() {
        let cat =
            ChannelCatalogue::new(vec![channel("a", "Desk", false), channel("desk", "Front", false)], "a")
                .expect("valid");
        assert_eq!(key("desk", &cat), "desk");
        assert_eq!(key("DESK", &cat), "desk");
    }

    #[test]
    fn default_channel_is_the_one_named() {
        assert_eq!(catalogue().default_channel().key().as_str(), "coffee");
        assert!(catalogue().default_channel().informal());
    }

    #[test]
    fn by_key_and_iter_follow_the_list() {
        let cat = catalogue();
        let stored = |k: &str| ChannelKey::from_stored(k);
        assert_eq!(cat.by_key(&stored("desk")).map(Channel::name), Some("Enquiry desk"));
        assert_eq!(cat.by_key(&stored("Desk")), None);
        assert_eq!(cat.display_name(&stored("desk")), "Enquiry desk");
        assert_eq!(cat.display_name(&stored("phone")), "phone");
        assert_eq!(cat.iter().count(), 4);
    }

    #[test]
    fn empty_list_is_rejected() {
        assert_eq!(ChannelCatalogue::new(Vec::new(), "coffee").err(), Some(ChannelCatalogueError::Empty));
    }

    #[test]
    fn at_most_twenty_five_channels() {
        let make = |n: usize| (0..n).map(|i| channel(&format!("c{i}"), &format!("C {i}"), false)).collect();
        assert!(ChannelCatalogue::new(make(25), "c0").is_ok());
        assert_eq!(ChannelCatalogue::new(make(26), "c0").err(), Some(ChannelCatalogueError::TooMany(26)));
    }

    #[test]
    fn keys_must_be_short_lower_case_kebab() {
        let max = "a".repeat(32);
        assert!(ChannelCatalogue::new(vec![channel(&max, "Long", false)], &max).is_ok());
        for bad in ["", "Coffee", "coffee break", "coffee_break", "café", &"a".repeat(33)] {
            assert_eq!(
                ChannelCatalogue::new(vec![channel(bad, "X", false)], bad).err(),
                Some(ChannelCatalogueError::BadKey(bad.to_string())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let err = ChannelCatalogue::new(
            vec![channel("coffee", "Coffee", true), channel("coffee", "Also coffee", true)],
            "coffee",
        )
        .err();
        assert_eq!(err, Some(ChannelCatalogueError::Duplicate("coffee".to_string())));
    }

    #[test]
    fn default_must_exist() {
        let err = ChannelCatalogue::new(vec![channel("coffee", "Coffee", true)], "desk").err();
        assert_eq!(err, Some(ChannelCatalogueError::UnknownDefault("desk".to_string())));
    }
}
