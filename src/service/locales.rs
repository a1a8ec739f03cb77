//! A server's locale, remembered for the messages sent with no interaction to answer: the
//! digest, reminders, hand-offs and post-event prompts write dates as the server does.

use chrono::{DateTime, Utc};

use super::ServiceResult;
use crate::domain::date_style::DateStyle;
use crate::domain::ids::GuildId;
use crate::store::Store;

/// Keeps the locale Discord sent with the guild; an empty one (never sent) keeps what was known.
pub async fn remember(
    store: &dyn Store,
    guild: GuildId,
    locale: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let locale = locale.trim();
    if locale.is_empty() {
        return Ok(());
    }
    Ok(store.save_guild_locale(guild, locale, now).await?)
}

/// How the guild writes dates: its remembered locale's style, or the default where none is known
/// or it cannot be read (a date in the default style beats a digest or reminder not sent).
pub async fn dates(store: &dyn Store, guild: GuildId) -> DateStyle {
    match store.guild_locale(guild).await {
        Ok(locale) => locale.as_deref().map(DateStyle::from_locale).unwrap_or_default(),
        Err(e) => {
            tracing::warn!(guild = %guild, error = %e, "could not read the server's locale; default dates");
            DateStyle::default()
        }
    }
}
