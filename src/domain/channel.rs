//! Channels: how a piece of intel reached us, each formal or informal.

/// A channel as configured: `key` is what commands and exports use (`coffee`), `name` is what
/// people read (`Coffee`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub key: String,
    pub name: String,
    pub informal: bool,
}

#[derive(Debug, Clone)]
pub struct ChannelCatalogue {
    channels: Vec<Channel>,
    default_key: String,
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
#[error("no channel called \"{input}\"; the channels are: {}", known.join(", "))]
pub struct UnknownChannel {
    pub input: String,
    pub known: Vec<String>,
}

impl ChannelCatalogue {
    pub fn new(channels: Vec<Channel>, default_key: &str) -> Result<Self, ChannelCatalogueError> {
        todo!("{channels:?} {default_key}")
    }

    /// By key or name, ignoring case, punctuation and spacing.
    pub fn resolve(&self, input: &str) -> Result<&Channel, UnknownChannel> {
        todo!("{input}")
    }

    pub fn get(&self, key: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.key == key)
    }

    pub fn default_channel(&self) -> &Channel {
        self.get(&self.default_key).expect("checked in new")
    }

    pub fn iter(&self) -> impl Iterator<Item = &Channel> {
        self.channels.iter()
    }
}
