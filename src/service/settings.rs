//! Per-guild digest settings: what `/settings digest` changes, checked, over the config's defaults.

use chrono::{DateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use super::{ServiceError, ServiceResult};
use crate::config::DigestDefaults;
use crate::digest::Schedule;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::GuildId;
use crate::store::Store;

/// The options of `/settings digest`, as typed; what is absent stays as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsChange {
    pub channel: Option<u64>,
    pub weekday: Option<String>,
    pub time: Option<String>,
    pub timezone: Option<String>,
    pub enabled: Option<bool>,
}

/// The guild's settings, or the config's defaults (with no channel yet) when never set.
pub async fn current(
    store: &dyn Store,
    defaults: &DigestDefaults,
    timezone: Tz,
    guild: GuildId,
) -> ServiceResult<(DigestSettings, bool)> {
    Ok(match store.digest_settings(guild).await? {
        Some(s) => (s, true),
        None => (
            DigestSettings {
                guild,
                channel: 0,
                weekday: defaults.weekday,
                time: defaults.time,
                timezone,
                enabled: false,
                post_empty_weeks: defaults.post_empty_weeks,
                problem: None,
            },
            false,
        ),
    })
}

pub async fn update(
    store: &dyn Store,
    defaults: &DigestDefaults,
    timezone: Tz,
    guild: GuildId,
    change: &SettingsChange,
    now: DateTime<Utc>,
) -> ServiceResult<DigestSettings> {
    let (mut s, _) = current(store, defaults, timezone, guild).await?;
    if let Some(channel) = change.channel {
        s.channel = channel;
        // Choosing a channel is what turns the digest on, unless asked otherwise, and clears a
        // problem the old channel had.
        s.enabled = true;
        s.problem = None;
    }
    if s.channel == 0 {
        return Err(ServiceError::invalid("Choose the channel the digest goes to (the `channel` option)."));
    }
    if let Some(w) = &change.weekday {
        s.weekday = w
            .trim()
            .parse::<Weekday>()
            .map_err(|_| ServiceError::invalid(format!("\"{w}\" is not a day of the week")))?;
    }
    if let Some(t) = &change.time {
        s.time = NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| {
            ServiceError::invalid(format!("\"{t}\" is not a time; write it as HH:MM, 24-hour (09:00)"))
        })?;
    }
    if let Some(z) = &change.timezone {
        s.timezone = z.trim().parse::<Tz>().map_err(|_| {
            ServiceError::invalid(format!(
                "\"{z}\" is not a timezone; pick one from the list (Europe/London)"
            ))
        })?;
    }
    if let Some(on) = change.enabled {
        s.enabled = on;
        if on {
            s.problem = None;
        }
    }
    store.save_digest_settings(&s, now).await?;
    Ok(s)
}

/// When a guild's digest goes out, by its settings.
pub fn schedule(s: &DigestSettings) -> Schedule {
    Schedule { weekday: s.weekday, time: s.time, timezone: s.timezone }
}

/// When the digest goes out next after `now`; `None` while it is off or has no channel.
pub fn next_post(s: &DigestSettings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (s.enabled && s.channel != 0).then(|| schedule(s).next_due(now).due_at)
}

/// Up to 25 IANA zone names for a partial input: those starting with it first, then containing it.
pub fn timezone_choices(partial: &str) -> Vec<&'static str> {
    let needle = partial.trim().to_ascii_lowercase().replace(' ', "_");
    let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    let (mut starts, mut contains): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for name in names {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with(&needle) || lower.split('/').any(|part| part.starts_with(&needle)) {
            starts.push(name);
        } else if lower.contains(&needle) {
            contains.push(name);
        }
    }
    starts.extend(contains);
    starts.truncate(25);
    starts
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_next_post_is_shown_only_for_a_digest_that_is_on_and_has_a_channel() {
        let on = DigestSettings {
            guild: GuildId(1),
            channel: 555,
            weekday: Weekday::Mon,
            time: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            timezone: chrono_tz::Europe::London,
            enabled: true,
            post_empty_weeks: true,
            problem: None,
        };
        // Monday 23 November 2026, 09:00 exactly: that post is due, so the next is a week on.
        let monday = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        assert_eq!(next_post(&on, monday - chrono::Duration::minutes(1)), Some(monday));
        assert_eq!(next_post(&on, monday), Some(monday + chrono::Duration::weeks(1)));
        assert_eq!(next_post(&DigestSettings { enabled: false, ..on.clone() }, monday), None);
        assert_eq!(next_post(&DigestSettings { channel: 0, ..on }, monday), None);
    }

    #[test]
    fn timezone_choices_put_starts_first() {
        let london = timezone_choices("lond");
        assert_eq!(london.first(), Some(&"Europe/London"));
        assert!(timezone_choices("new york").contains(&"America/New_York"));
        assert_eq!(timezone_choices("").len(), 25);
        assert!(timezone_choices("zzzz").is_empty());
    }
}
