//! Moving a server's settings between databases (`liaison settings export` and `import`): what a
//! server set up (digest, privacy, departments served and their liaison librarians, locale), the
//! record of its privacy actions, and the latest digest it posted; what differs from what another
//! database has, field by field; and making that database say the same.

use std::collections::{BTreeMap, BTreeSet, HashSet};

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
/// privacy actions and posted digests it lacks are added to its own. A digest or locale `wanted`
/// lacks leaves this database's as it is: the stores keep no way to unset them, and a server that
/// never had one has nothing to carry.
pub async fn plan(store: &dyn Store, wanted: &ServerSettings, now: DateTime<Utc>) -> ServiceResult<Plan> {
    let here = read(store, wanted.guild, now).await?;
    let mut changes = Changes::default();
    let digest = match &wanted.digest {
        Some(w) => digest_changes(&mut changes, here.digest.as_ref(), w),
        None => false,
    };
    let (privacy, keep_impact) = privacy_changes(&mut changes, &here, wanted);
    let served = served_changes(&mut changes, &here, wanted);
    let (liaisons_added, liaisons_removed) = liaison_changes(&mut changes, &here, wanted);
    let locale = match &wanted.locale {
        Some(l) => changes.note("locale", here.locale.clone().unwrap_or_else(not_set), l.clone()),
        None => false,
    };
    let actions = new_actions(&mut changes, &here, wanted);
    let mut digests = Vec::new();
    for d in &wanted.digests_sent {
        let run = store.digest_run(wanted.guild, d.period_start).await?;
        if run.and_then(|r| r.sent_at).is_none() {
            let sent = format!("sent at {}", d.sent_at.to_rfc3339());
            changes.note(format!("digests_sent.{}", d.period_start), "not sent".into(), sent);
            digests.push(d.clone());
        }
    }
    Ok(Plan {
        wanted: wanted.clone(),
        changes: changes.0,
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

/// The changes found so far, in file order.
#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    /// Keeps the field's change if it is one; whether it was.
    fn note(&mut self, field: impl Into<String>, was: String, becomes: String) -> bool {
        let differs = was != becomes;
        if differs {
            self.0.push(Change { field: field.into(), was, becomes });
        }
        differs
    }
}

/// Whether the digest settings change.
fn digest_changes(changes: &mut Changes, here: Option<&DigestSettings>, wanted: &DigestSettings) -> bool {
    let field = |f: fn(&DigestSettings) -> String| (here.map_or_else(not_set, f), f(wanted));
    let mut changed = false;
    for (name, (was, becomes)) in [
        ("channel", field(|s| s.channel.to_string())),
        ("weekday", field(|s| s.weekday.to_string())),
        ("time", field(|s| s.time.format("%H:%M").to_string())),
        ("timezone", field(|s| s.timezone.name().to_string())),
        ("enabled", field(|s| s.enabled.to_string())),
        ("post_empty_weeks", field(|s| s.post_empty_weeks.to_string())),
    ] {
        changed |= changes.note(format!("digest.{name}"), was, becomes);
    }
    changed
}

/// Whether the privacy choices change, and whether keeping impact stories does.
fn privacy_changes(changes: &mut Changes, here: &ServerSettings, wanted: &ServerSettings) -> (bool, bool) {
    let (h, w) = (&here.privacy, &wanted.privacy);
    let days = |s: &PrivacySettings| s.note_days.map_or_else(config_s, |d| d.to_string());
    let mut changed = changes.note("privacy.note_days", days(h), days(w));
    for (name, was, becomes) in [
        ("excerpts", h.excerpts, w.excerpts),
        ("names", h.names, w.names),
        ("contributor_counts", h.contributor_counts, w.contributor_counts),
        ("hide_small_counts", h.hide_small_counts, w.hide_small_counts),
    ] {
        changed |= changes.note(format!("privacy.{name}"), was.to_string(), becomes.to_string());
    }
    let keep = changes.note(
        "privacy.keep_impact_past_retention",
        here.keep_impact_past_retention.to_string(),
        wanted.keep_impact_past_retention.to_string(),
    );
    (changed, keep)
}

/// Each department whose choice changes, with the new one (`None`: the config's again).
fn served_changes(
    changes: &mut Changes,
    here: &ServerSettings,
    wanted: &ServerSettings,
) -> Vec<(DepartmentKey, Option<bool>)> {
    let of = |s: &ServerSettings| -> BTreeMap<String, bool> {
        s.departments_served.iter().map(|(k, served)| (k.as_str().to_string(), *served)).collect()
    };
    let (h, w) = (of(here), of(wanted));
    let keys: BTreeSet<&String> = h.keys().chain(w.keys()).collect();
    let choice = |c: Option<&bool>| c.map_or_else(config_s, bool::to_string);
    let mut served = Vec::new();
    for key in keys {
        let (was, becomes) = (h.get(key), w.get(key));
        if changes.note(format!("departments.{key}.served"), choice(was), choice(becomes)) {
            served.push((DepartmentKey::from_stored(key.as_str()), becomes.copied()));
        }
    }
    served
}

type Liaison = (DepartmentKey, UserId);

/// The liaison librarians to name, and those to take off.
fn liaison_changes(
    changes: &mut Changes,
    here: &ServerSettings,
    wanted: &ServerSettings,
) -> (Vec<Liaison>, Vec<Liaison>) {
    let missing_from = |from: &[Liaison], of: &[Liaison]| -> Vec<Liaison> {
        let there: HashSet<&Liaison> = from.iter().collect();
        of.iter().filter(|l| !there.contains(l)).cloned().collect()
    };
    let added = missing_from(&here.liaisons, &wanted.liaisons);
    let removed = missing_from(&wanted.liaisons, &here.liaisons);
    let users = |list: &[Liaison], key: &DepartmentKey| {
        let ids: Vec<String> = list.iter().filter(|(k, _)| k == key).map(|(_, u)| u.to_string()).collect();
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    let touched: BTreeSet<&str> = added.iter().chain(&removed).map(|(k, _)| k.as_str()).collect();
    for key in touched {
        let key = DepartmentKey::from_stored(key);
        let field = format!("departments.{}.liaisons", key.as_str());
        changes.note(field, users(&here.liaisons, &key), users(&wanted.liaisons, &key));
    }
    (added, removed)
}

/// The privacy actions `wanted` records that this database does not: the same time, doer, kind
/// and count is the same action.
fn new_actions(changes: &mut Changes, here: &ServerSettings, wanted: &ServerSettings) -> Vec<PrivacyAction> {
    let same = |a: &PrivacyAction| (a.at, a.by.clone(), a.kind.as_str(), a.entries);
    let logged: HashSet<_> = here.privacy_log.iter().map(same).collect();
    let actions: Vec<PrivacyAction> =
        wanted.privacy_log.iter().filter(|a| !logged.contains(&same(a))).cloned().collect();
    if !actions.is_empty() {
        let was = crate::domain::words::count(here.privacy_log.len(), "action", "actions");
        changes.note("privacy_log", was, format!("{} more", actions.len()));
    }
    actions
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

/// A value the server left to the config.
fn config_s() -> String {
    "the config's".to_string()
}
