//! Defaults that follow the person: a member's `/intel` channel is the one they used last (the
//! configured default before their first entry), and the department their forms start from is
//! their last one.

use super::events::EVENT_CHANNEL;
use crate::domain::channel::Channel;
use crate::domain::department::Department;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::rules::Rules;
use crate::store::Store;

/// What a member used on their latest entry in a guild, as the catalogues know it now: a channel
/// or department since taken out of the config is no default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LastChoices {
    pub channel: Option<Channel>,
    pub department: Option<Department>,
}

/// The member's last channel and department. A failed look-up is logged and gives none: a
/// default is a convenience, and the capture it helps must not fail for it.
pub async fn last_choices(store: &dyn Store, rules: &Rules, guild: GuildId, author: UserId) -> LastChoices {
    match store.last_used(guild, author).await {
        Ok(Some(last)) => LastChoices {
            channel: rules.channels.by_key(&last.channel).cloned(),
            department: rules.departments.by_key(&last.department).cloned(),
        },
        Ok(None) => LastChoices::default(),
        Err(e) => {
            tracing::warn!(guild = %guild, error = %e, "a member's last channel could not be looked up");
            LastChoices::default()
        }
    }
}

/// Why an entry is filed under the channel it is, when the person did not name one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelDefault {
    /// Heard at an event: the guild's `event` channel.
    Event,
    /// The member's last entry's.
    Last,
    /// The config's, for a first entry.
    Configured,
}

/// The channel for a capture that named none: the `event` channel for one heard at an event
/// (where the guild has one), else the member's `last`, else the config's.
pub fn channel_for(rules: &Rules, at_event: bool, last: Option<Channel>) -> (Channel, ChannelDefault) {
    if at_event {
        if let Ok(event) = rules.channels.resolve(EVENT_CHANNEL) {
            return (event.clone(), ChannelDefault::Event);
        }
    }
    match last {
        Some(last) => (last, ChannelDefault::Last),
        None => (rules.channels.default_channel().clone(), ChannelDefault::Configured),
    }
}
