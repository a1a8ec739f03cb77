//! A guild's privacy choices: how long text is kept, what the digest shares, and whether `/stats`
//! counts per contributor. Only admins change them (the front end checks); anyone may see them.

use chrono::{DateTime, Utc};

use crate::config::Retention;
use crate::domain::ids::GuildId;
use crate::domain::privacy::PrivacySettings;
use crate::domain::words;
use crate::service::{ServiceError, ServiceResult};
use crate::store::Store;

/// What an admin asked to change; `None` leaves a choice as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivacyChange {
    /// Days text is kept in this guild; 0 goes back to the config's period.
    pub note_days: Option<u32>,
    pub excerpts: Option<bool>,
    pub names: Option<bool>,
    pub contributor_counts: Option<bool>,
    pub hide_small_counts: Option<bool>,
    /// Whether impact stories, and their entries' notes, are kept past the note period.
    pub keep_impact_stories: Option<bool>,
}

impl PrivacyChange {
    pub fn is_empty(&self) -> bool {
        *self == PrivacyChange::default()
    }
}

/// The guild's choices: its own where saved, the defaults otherwise.
pub async fn current(store: &dyn Store, guild: GuildId) -> ServiceResult<PrivacySettings> {
    Ok(store.privacy_settings(guild).await?.unwrap_or_else(|| PrivacySettings::defaults(guild)))
}

/// Applies a change and saves it. A guild may shorten the config's retention period, never
/// lengthen it.
pub async fn update(
    store: &dyn Store,
    retention: &Retention,
    guild: GuildId,
    change: &PrivacyChange,
    now: DateTime<Utc>,
) -> ServiceResult<PrivacySettings> {
    let mut settings = current(store, guild).await?;
    if let Some(days) = change.note_days {
        if retention.note_days != 0 && days > retention.note_days {
            return Err(ServiceError::invalid(format!(
                "Text can be kept at most {} here (the bot's config); a server may shorten that, not lengthen it.",
                words::count(retention.note_days, "day", "days")
            )));
        }
        settings.note_days = (days != 0).then_some(days);
    }
    settings.excerpts = change.excerpts.unwrap_or(settings.excerpts);
    settings.names = change.names.unwrap_or(settings.names);
    settings.contributor_counts = change.contributor_counts.unwrap_or(settings.contributor_counts);
    settings.hide_small_counts = change.hide_small_counts.unwrap_or(settings.hide_small_counts);
    store.save_privacy_settings(&settings, now).await?;
    if let Some(keep) = change.keep_impact_stories {
        store.set_keeps_impact_past_retention(guild, keep, now).await?;
    }
    Ok(settings)
}

/// How long text is kept, in words: "365 days", "90 days (this server; the config says 365)",
/// "forever".
pub fn retention_words(settings: &PrivacySettings, retention: &Retention) -> String {
    match (settings.retention_days(retention.note_days), settings.note_days) {
        (None, _) => "forever".to_string(),
        (Some(days), Some(_)) if retention.note_days == 0 => {
            format!("{} (this server; the config keeps text forever)", words::count(days, "day", "days"))
        }
        (Some(days), Some(own)) if own < retention.note_days => {
            format!(
                "{} (this server; the config says {})",
                words::count(days, "day", "days"),
                retention.note_days
            )
        }
        (Some(days), _) => words::count(days, "day", "days"),
    }
}
