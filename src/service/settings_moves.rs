//! Moving a server's settings between databases (`liaison settings export` and `import`): what a
//! server set up (digest, privacy, departments served and their liaison librarians, locale), the
//! record of its privacy actions, and the latest digest it posted; what differs from what another
//! database has, field by field; and making that database say the same.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::digest_runs::LEASE;
use super::settings::schedule;
use super::ServiceResult;
use crate::domain::department::DepartmentKey;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::privacy::{PrivacyAction, PrivacySettings};
use crate::store::{Backoff, Store};

/// A digest the old database posted (or skipped as a quiet week): recorded in the new one as
/// sent, so that its first check does not post that week again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentDigest {
    pub period_start: NaiveDate,
    pub sent_at: DateTime<Utc>,
    pub message_ids: Vec<u64>,
}

/// Everything of one server that a move carries besides its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSettings {
    pub guild: GuildId,
    /// `None` until an admin set the digest up.
    pub digest: Option<DigestSettings>,
    /// The server's choices, the defaults where it made none (the same in effect).
    pub privacy: PrivacySettings,
    pub keep_impact_past_retention: bool,
    /// The server's own choices, by key in byte order; a department not listed follows the config.
    pub departments_served: Vec<(DepartmentKey, bool)>,
    /// By department key, then user id.
    pub liaisons: Vec<(DepartmentKey, UserId)>,
    pub locale: Option<String>,
    /// Oldest first.
    pub privacy_log: Vec<PrivacyAction>,
    pub digests_sent: Vec<SentDigest>,
}

/// The guild's settings as they are at `now`; the latest digest its schedule made due by then,
/// if it was posted.
pub async fn read(store: &dyn Store, guild: GuildId, now: DateTime<Utc>) -> ServiceResult<ServerSettings> {
    let digest = store.digest_settings(guild).await?;
    let mut digests_sent = Vec::new();
    if let Some(s) = &digest {
        let period_start = schedule(s).latest_due(now).period_start;
        if let Some(run) = store.digest_run(guild, period_start).await? {
            if let Some(sent_at) = run.sent_at {
                digests_sent.push(SentDigest { period_start, sent_at, message_ids: run.message_ids });
            }
        }
    }
    let mut departments_served = store.departments_served(guild).await?;
    departments_served.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    let mut liaisons = store.all_liaisons(guild).await?;
    liaisons.sort_by(|a, b| (a.0.as_str(), a.1 .0).cmp(&(b.0.as_str(), b.1 .0)));
    let mut privacy_log = store.privacy_log(Some(guild), u32::MAX).await?;
    privacy_log.reverse();
    Ok(ServerSettings {
        guild,
        digest,
        privacy: super::privacy::settings::current(store, guild).await?,
        keep_impact_past_retention: store.keeps_impact_past_retention(guild).await?,
        departments_served,
        liaisons,
        locale: store.guild_locale(guild).await?,
        privacy_log,
        digests_sent,
    })
}

/// One difference: the field's path in the settings file, as it is here and as it will be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub was: String,
    pub becomes: String,
}

/// What an import would write, and the changes it makes, in file order.
#[derive(Debug, Clone)]
pub struct Plan {
    wanted: ServerSettings,
    pub changes: Vec<Change>,
    digest: bool,
    privacy: bool,
    keep_impact: bool,
    served: Vec<(DepartmentKey, Option<bool>)>,
    liaisons_added: Vec<(DepartmentKey, UserId)>,
    liaisons_removed: Vec<(DepartmentKey, UserId)>,
    locale: bool,
    actions: Vec<PrivacyAction>,
    digests: Vec<SentDigest>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// What making the guild's settings those of `wanted` would change: its settings are replaced,
/// privacy actions and posted digests it lacks are added to its own.
pub async fn plan(store: &dyn Store, wanted: &ServerSettings, now: DateTime<Utc>) -> ServiceResult<Plan> {
    let here = read(store, wanted.guild, now).await?;
    let mut changes = Vec::new();
    let mut change = |field: String, was: String, becomes: String| {
        if was != becomes {
            changes.push(Change { field, was, becomes });
        }
    };
    let mut digest = false;
    if let Some(w) = &wanted.digest {
        let h = here.digest.as_ref();
        let field = |f: fn(&DigestSettings) -> String| (h.map_or_else(not_set, f), f(w));
        for (name, (was, becomes)) in [
            ("channel", field(|s| s.channel.to_string())),
            ("weekday", field(|s| s.weekday.to_string())),
            ("time", field(|s| s.time.format("%H:%M").to_string())),
            ("timezone", field(|s| s.timezone.name().to_string())),
            ("enabled", field(|s| s.enabled.to_string())),
            ("post_empty_weeks", field(|s| s.post_empty_weeks.to_string())),
        ] {
            if was != becomes {
                digest = true;
            }
            change(format!("digest.{name}"), was, becomes);
        }
    }
    let (h, w) = (&here.privacy, &wanted.privacy);
    let days =
        |s: &PrivacySettings| s.note_days.map_or_else(|| "the config's".to_string(), |d| d.to_string());
    let privacy = h != w;
    change("privacy.note_days".into(), days(h), days(w));
    change("privacy.excerpts".into(), h.excerpts.to_string(), w.excerpts.to_string());
    change("privacy.names".into(), h.names.to_string(), w.names.to_string());
    change(
        "privacy.contributor_counts".into(),
        h.contributor_counts.to_string(),
        w.contributor_counts.to_string(),
    );
    change(
        "privacy.hide_small_counts".into(),
        h.hide_small_counts.to_string(),
        w.hide_small_counts.to_string(),
    );
    let keep_impact = here.keep_impact_past_retention != wanted.keep_impact_past_retention;
    change(
        "privacy.keep_impact_past_retention".into(),
        here.keep_impact_past_retention.to_string(),
        wanted.keep_impact_past_retention.to_string(),
    );

    let served_here: BTreeMap<&str, bool> =
        here.departments_served.iter().map(|(k, s)| (k.as_str(), *s)).collect();
    let served_wanted: BTreeMap<&str, bool> =
        wanted.departments_served.iter().map(|(k, s)| (k.as_str(), *s)).collect();
    let mut served = Vec::new();
    let keys: std::collections::BTreeSet<&str> =
        served_here.keys().chain(served_wanted.keys()).copied().collect();
    let choice = |c: Option<&bool>| c.map_or_else(|| "the config's".to_string(), bool::to_string);
    for key in keys {
        let (was, becomes) = (served_here.get(key), served_wanted.get(key));
        if was != becomes {
            served.push((DepartmentKey::from_stored(key), becomes.copied()));
            change(format!("departments.{key}.served"), choice(was), choice(becomes));
        }
    }
    let liaisons_here: HashSet<&(DepartmentKey, UserId)> = here.liaisons.iter().collect();
    let liaisons_wanted: HashSet<&(DepartmentKey, UserId)> = wanted.liaisons.iter().collect();
    let liaisons_added: Vec<_> =
        wanted.liaisons.iter().filter(|l| !liaisons_here.contains(l)).cloned().collect();
    let liaisons_removed: Vec<_> =
        here.liaisons.iter().filter(|l| !liaisons_wanted.contains(l)).cloned().collect();
    let users = |list: &[(DepartmentKey, UserId)], key: &DepartmentKey| {
        let ids: Vec<String> = list.iter().filter(|(k, _)| k == key).map(|(_, u)| u.to_string()).collect();
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    let touched: std::collections::BTreeSet<&DepartmentKey> =
        liaisons_added.iter().chain(&liaisons_removed).map(|(k, _)| k).collect();
    for key in touched {
        change(
            format!("departments.{}.liaisons", key.as_str()),
            users(&here.liaisons, key),
            users(&wanted.liaisons, key),
        );
    }
    let mut locale = false;
    if let Some(l) = &wanted.locale {
        locale = here.locale.as_ref() != Some(l);
        change("locale".into(), here.locale.clone().unwrap_or_else(not_set), l.clone());
    }

    let logged: HashSet<(DateTime<Utc>, &str, &str, u64)> =
        here.privacy_log.iter().map(|a| (a.at, a.by.as_str(), a.kind.as_str(), a.entries)).collect();
    let actions: Vec<PrivacyAction> = wanted
        .privacy_log
        .iter()
        .filter(|a| !logged.contains(&(a.at, a.by.as_str(), a.kind.as_str(), a.entries)))
        .cloned()
        .collect();
    if !actions.is_empty() {
        change(
            "privacy_log".into(),
            crate::domain::words::count(here.privacy_log.len(), "action", "actions"),
            format!("{} more", actions.len()),
        );
    }
    let mut digests = Vec::new();
    for d in &wanted.digests_sent {
        let run = store.digest_run(wanted.guild, d.period_start).await?;
        if run.and_then(|r| r.sent_at).is_none() {
            change(
                format!("digests_sent.{}", d.period_start),
                "not sent".into(),
                format!("sent at {}", d.sent_at.to_rfc3339()),
            );
            digests.push(d.clone());
        }
    }
    Ok(Plan {
        wanted: wanted.clone(),
        changes,
        digest,
        privacy,
        keep_impact,
        served,
        liaisons_added,
        liaisons_removed,
        locale,
        actions,
        digests,
    })
}

/// Writes what `plan` found different. A week another process is claiming right now is left to
/// it: that process marks it sent.
pub async fn apply(store: &dyn Store, plan: &Plan, now: DateTime<Utc>) -> ServiceResult<()> {
    let guild = plan.wanted.guild;
    if plan.digest {
        if let Some(d) = &plan.wanted.digest {
            store.save_digest_settings(&DigestSettings { problem: None, ..d.clone() }, now).await?;
        }
    }
    if plan.privacy {
        store.save_privacy_settings(&plan.wanted.privacy, now).await?;
    }
    if plan.keep_impact {
        store.set_keeps_impact_past_retention(guild, plan.wanted.keep_impact_past_retention, now).await?;
    }
    for (key, served) in &plan.served {
        store.set_department_served(guild, key, *served, now).await?;
    }
    for (key, user) in &plan.liaisons_removed {
        store.remove_liaison(guild, key, *user).await?;
    }
    for (key, user) in &plan.liaisons_added {
        store.add_liaison(guild, key, *user).await?;
    }
    if plan.locale {
        if let Some(l) = &plan.wanted.locale {
            store.save_guild_locale(guild, l, now).await?;
        }
    }
    for action in &plan.actions {
        store.record_privacy_action(action).await?;
    }
    // Recorded as the scheduler records a post: claimed, then marked sent with the old
    // database's time and messages, so a `/digest post` there links to them too.
    for d in &plan.digests {
        if store.claim_digest(guild, d.period_start, now, LEASE, Backoff::Skip).await? {
            store.mark_digest_sent(guild, d.period_start, &d.message_ids, d.sent_at).await?;
        }
    }
    Ok(())
}

fn not_set() -> String {
    "(not set)".to_string()
}
