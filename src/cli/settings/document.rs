//! The JSON document `settings export` writes and `settings import` reads, `version` 1:
//!
//! ```json
//! { "version": 1,
//!   "digest": { "channel": "555", "weekday": "Mon", "time": "09:00", "timezone": "Europe/London",
//!               "enabled": true, "post_empty_weeks": false },
//!   "privacy": { "note_days": 90, "excerpts": true, "names": true, "contributor_counts": true,
//!                "hide_small_counts": false, "keep_impact_past_retention": false },
//!   "departments": [ { "key": "history", "served": false, "liaisons": ["42"] } ],
//!   "locale": "en-GB",
//!   "privacy_log": [ { "at": "2026-11-03T09:30:00.000Z", "by": "the bot", "kind": "expire", "entries": 3 } ],
//!   "digests_sent": [ { "period_start": "2026-11-16", "sent_at": "...", "message_ids": ["9"] } ] }
//! ```
//!
//! `digest` and `locale` are `null` where the server never had them; a department's `served` is
//! `null` where the config decides. Discord ids are strings, as Discord writes them. Values are
//! checked with the domain's own parsers, each error naming its field's path.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::cli::{CliError, CliResult};
use crate::config::Config;
use crate::domain::department::DepartmentKey;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::privacy::{PrivacyAction, PrivacyActionKind, PrivacySettings};
use crate::service::settings_moves::{SentDigest, ServerSettings};

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    version: u32,
    digest: Option<Digest>,
    privacy: Privacy,
    departments: Vec<Department>,
    locale: Option<String>,
    privacy_log: Vec<Action>,
    digests_sent: Vec<Sent>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Digest {
    channel: String,
    weekday: String,
    time: String,
    timezone: String,
    enabled: bool,
    post_empty_weeks: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Privacy {
    note_days: Option<u32>,
    excerpts: bool,
    names: bool,
    contributor_counts: bool,
    hide_small_counts: bool,
    keep_impact_past_retention: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Department {
    key: String,
    served: Option<bool>,
    liaisons: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Action {
    at: String,
    by: String,
    kind: String,
    entries: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sent {
    period_start: String,
    sent_at: String,
    message_ids: Vec<String>,
}

impl Document {
    pub fn from_settings(s: &ServerSettings) -> Document {
        let digest = s.digest.as_ref().map(|d| Digest {
            channel: d.channel.to_string(),
            weekday: d.weekday.to_string(),
            time: d.time.format("%H:%M").to_string(),
            timezone: d.timezone.name().to_string(),
            enabled: d.enabled,
            post_empty_weeks: d.post_empty_weeks,
        });
        let p = &s.privacy;
        let privacy = Privacy {
            note_days: p.note_days,
            excerpts: p.excerpts,
            names: p.names,
            contributor_counts: p.contributor_counts,
            hide_small_counts: p.hide_small_counts,
            keep_impact_past_retention: s.keep_impact_past_retention,
        };
        let mut keys: Vec<&str> = s
            .departments_served
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(s.liaisons.iter().map(|(k, _)| k.as_str()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let departments = keys
            .into_iter()
            .map(|key| Department {
                key: key.to_string(),
                served: s.departments_served.iter().find(|(k, _)| k == key).map(|(_, served)| *served),
                liaisons: s.liaisons.iter().filter(|(k, _)| k == key).map(|(_, u)| u.to_string()).collect(),
            })
            .collect();
        Document {
            version: VERSION,
            digest,
            privacy,
            departments,
            locale: s.locale.clone(),
            privacy_log: s
                .privacy_log
                .iter()
                .map(|a| Action {
                    at: time(a.at),
                    by: a.by.clone(),
                    kind: a.kind.as_str().into(),
                    entries: a.entries,
                })
                .collect(),
            digests_sent: s
                .digests_sent
                .iter()
                .map(|d| Sent {
                    period_start: d.period_start.to_string(),
                    sent_at: time(d.sent_at),
                    message_ids: d.message_ids.iter().map(u64::to_string).collect(),
                })
                .collect(),
        }
    }

    pub fn to_json(&self) -> CliResult<String> {
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| CliError::Internal(anyhow::Error::new(e).context("writing the settings as JSON")))?;
        text.push('\n');
        Ok(text)
    }

    /// The document, its version checked before its shape: a later version says so rather than
    /// naming a field this one does not know.
    pub fn parse(text: &str) -> Result<Document, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not a settings file (JSON): {e}"))?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => {
                return Err(format!(
                "version: {v} is not a version this liaison reads ({VERSION}); use the liaison that wrote it"
            ))
            }
            None => return Err("version: missing; not a file `liaison settings export` wrote".into()),
        }
        serde_json::from_value(value).map_err(|e| format!("not a settings file: {e}"))
    }

    /// The settings, every value checked; or every problem, each naming its field.
    pub fn check(&self, guild: GuildId, config: &Config) -> Result<ServerSettings, Vec<String>> {
        let mut errors = Vec::new();
        let mut bad = |field: &str, message: String| errors.push(format!("{field}: {message}"));

        let digest = self.digest.as_ref().and_then(|d| {
            let channel = match d.channel.trim().parse::<u64>() {
                Ok(c) if c > 0 => Some(c),
                _ => {
                    bad("digest.channel", format!("\"{}\" is not a Discord channel id", d.channel));
                    None
                }
            };
            let weekday = d.weekday.trim().parse::<Weekday>().ok();
            if weekday.is_none() {
                bad("digest.weekday", format!("\"{}\" is not a day of the week", d.weekday));
            }
            let time = NaiveTime::parse_from_str(d.time.trim(), "%H:%M").ok();
            if time.is_none() {
                bad(
                    "digest.time",
                    format!("\"{}\" is not a time; write it as HH:MM, 24-hour (09:00)", d.time),
                );
            }
            let timezone = d.timezone.trim().parse::<Tz>().ok();
            if timezone.is_none() {
                bad("digest.timezone", format!("\"{}\" is not an IANA timezone (Europe/London)", d.timezone));
            }
            Some(DigestSettings {
                guild,
                channel: channel?,
                weekday: weekday?,
                time: time?,
                timezone: timezone?,
                enabled: d.enabled,
                post_empty_weeks: d.post_empty_weeks,
                problem: None,
            })
        });

        let p = &self.privacy;
        let most = config.retention.note_days;
        match p.note_days {
            Some(0) => bad("privacy.note_days", "0 is not a period; null follows the config's".into()),
            Some(days) if most != 0 && days > most => bad(
                "privacy.note_days",
                format!("{days} is longer than the config's {most} days; a server may shorten it, not lengthen it"),
            ),
            _ => {}
        }
        let privacy = PrivacySettings {
            guild,
            note_days: p.note_days,
            excerpts: p.excerpts,
            names: p.names,
            contributor_counts: p.contributor_counts,
            hide_small_counts: p.hide_small_counts,
        };

        let catalogue = &config.rules.departments;
        let mut departments_served = Vec::new();
        let mut liaisons = Vec::new();
        for (i, d) in self.departments.iter().enumerate() {
            let key = DepartmentKey::from_stored(d.key.trim());
            if catalogue.by_key(&key).is_none() {
                bad(
                    &format!("departments[{i}].key"),
                    format!("\"{}\" is not a department of the config", d.key),
                );
                continue;
            }
            if departments_served.iter().any(|(k, _): &(DepartmentKey, bool)| k == &key)
                || liaisons.iter().any(|(k, _): &(DepartmentKey, UserId)| k == &key)
            {
                bad(&format!("departments[{i}].key"), format!("\"{}\" is listed twice", d.key));
                continue;
            }
            if let Some(served) = d.served {
                departments_served.push((key.clone(), served));
            }
            for (j, user) in d.liaisons.iter().enumerate() {
                match user.parse::<UserId>() {
                    Ok(u) if u.0 > 0 && !liaisons.contains(&(key.clone(), u)) => {
                        liaisons.push((key.clone(), u))
                    }
                    Ok(u) if u.0 > 0 => {}
                    _ => bad(
                        &format!("departments[{i}].liaisons[{j}]"),
                        format!("\"{user}\" is not a Discord user id"),
                    ),
                }
            }
        }

        let locale = self.locale.as_ref().and_then(|l| {
            let ok = (2..=35).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                bad("locale", format!("\"{l}\" is not a locale (en-GB)"));
            }
            ok.then(|| l.clone())
        });

        let mut privacy_log = Vec::new();
        for (i, a) in self.privacy_log.iter().enumerate() {
            let at = parse_time(&a.at);
            if at.is_none() {
                bad(&format!("privacy_log[{i}].at"), not_a_time(&a.at));
            }
            let kind = PrivacyActionKind::parse(a.kind.trim());
            if kind.is_none() {
                bad(
                    &format!("privacy_log[{i}].kind"),
                    format!("\"{}\" is not a kind of privacy action", a.kind),
                );
            }
            if a.by.trim().is_empty() {
                bad(&format!("privacy_log[{i}].by"), "empty; it says who did it".into());
            }
            if let (Some(at), Some(kind)) = (at, kind) {
                privacy_log.push(PrivacyAction { guild, at, by: a.by.clone(), kind, entries: a.entries });
            }
        }

        let mut digests_sent = Vec::new();
        for (i, d) in self.digests_sent.iter().enumerate() {
            let period_start = NaiveDate::parse_from_str(d.period_start.trim(), "%Y-%m-%d").ok();
            if period_start.is_none() {
                bad(
                    &format!("digests_sent[{i}].period_start"),
                    format!("\"{}\" is not a date (2026-11-16)", d.period_start),
                );
            }
            let sent_at = parse_time(&d.sent_at);
            if sent_at.is_none() {
                bad(&format!("digests_sent[{i}].sent_at"), not_a_time(&d.sent_at));
            }
            let mut message_ids = Vec::new();
            for (j, id) in d.message_ids.iter().enumerate() {
                match id.trim().parse::<u64>() {
                    Ok(id) if id > 0 => message_ids.push(id),
                    _ => bad(
                        &format!("digests_sent[{i}].message_ids[{j}]"),
                        format!("\"{id}\" is not a Discord message id"),
                    ),
                }
            }
            if let (Some(period_start), Some(sent_at)) = (period_start, sent_at) {
                digests_sent.push(SentDigest { period_start, sent_at, message_ids });
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ServerSettings {
            guild,
            digest,
            privacy,
            keep_impact_past_retention: p.keep_impact_past_retention,
            departments_served,
            liaisons,
            locale,
            privacy_log,
            digests_sent,
        })
    }
}

/// To the millisecond, as the stores keep times.
fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A time as the stores would keep it, so that comparing it with one read back is exact.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let t = DateTime::parse_from_rfc3339(s.trim()).ok()?.with_timezone(&Utc);
    DateTime::from_timestamp_millis(t.timestamp_millis())
}

fn not_a_time(s: &str) -> String {
    format!("\"{s}\" is not an RFC 3339 time (2026-11-03T09:30:00Z)")
}
