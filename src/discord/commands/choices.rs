//! Autocomplete for the options every command shares that are neither departments nor partners:
//! channels, from the config's catalogue, and tags, from the guild's own, most used first.

use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::message::limits::CHOICES_MAX;
use crate::message::Reply;
use crate::service::tag_choices;

/// Channels for a partial name or key, as departments are completed: the name shown, the key sent.
pub fn channels(app: &App, typed: &str) -> Reply {
    let found = app.config.rules.channels.autocomplete(typed, CHOICES_MAX);
    Reply::Choices(found.into_iter().map(|c| (c.name().to_string(), c.key().as_str().to_string())).collect())
}

/// The guild's tags for what is typed: for an option of several (`list`), the last one completed
/// and the ones before it kept.
pub async fn tags(app: &App, caller: &Caller, typed: &str, list: bool) -> Reply {
    match tag_choices::complete(app.store.as_ref(), caller.guild, typed, list, CHOICES_MAX).await {
        Ok(values) => Reply::Choices(values.into_iter().map(|v| (v.clone(), v)).collect()),
        // Autocomplete cannot show an error: no suggestions, and the log says why.
        Err(e) => {
            tracing::warn!(error = %e.loggable(), "tag autocomplete failed");
            Reply::Choices(Vec::new())
        }
    }
}
