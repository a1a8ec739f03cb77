//! Who could not be reminded by DM, said only privately: the owner on their next command, once,
//! and the guild's admins in `/settings show`. A shared channel never learns whose DMs are
//! closed.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::ServiceResult;
use crate::domain::entry::FollowUpStatus;
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::store::{ReminderKey, Store};

/// How far back `/settings show` looks for refused reminders: a follow-up overdue longer than
/// this has the digest's overdue list, and its owner was told long ago.
pub const LOOK_BACK_DAYS: i64 = 90;

/// At most this many are listed; the rest are counted.
pub const LISTED: usize = 15;

/// The reminders Discord refused for `owner`'s still-open follow-ups that they have not been told
/// of; from now on they count as told.
pub async fn take(
    store: &dyn Store,
    guild: GuildId,
    owner: UserId,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<ReminderKey>> {
    Ok(store.take_reminder_notices(guild, owner, now).await?)
}

/// What the owner is told, one line per refused reminder.
pub fn told(keys: &[ReminderKey]) -> String {
    keys.iter()
        .map(|k| {
            format!(
                "I could not send you a reminder by DM for entry #{}: your DMs from this server are closed. (`/followups` lists what is open.)",
                k.entry
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A follow-up whose owner could not be reminded by DM, still open on that due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreached {
    pub entry: EntryId,
    pub owner: UserId,
    pub due: NaiveDate,
}

/// The guild's refused reminders of the last [`LOOK_BACK_DAYS`] up to `today` whose follow-up is
/// still open on that due date, oldest due first, at most [`LISTED`]; and how many in all.
pub async fn unreached(
    store: &dyn Store,
    guild: GuildId,
    today: NaiveDate,
) -> ServiceResult<(Vec<Unreached>, usize)> {
    let runs = store.undelivered_reminders(guild, today - Duration::days(LOOK_BACK_DAYS), today).await?;
    let mut listed = Vec::new();
    let mut total = 0;
    for run in runs {
        // Only the listed ones are read whole; past that, a count is enough, so an entry is read
        // only while there is room (and a follow-up closed since is then not counted).
        if listed.len() >= LISTED {
            total += 1;
            continue;
        }
        let Some(entry) = store.entry(guild, run.key.entry).await? else { continue };
        let open = entry.follow_up.filter(|f| f.status == FollowUpStatus::Open && f.due == run.key.due);
        if let Some(f) = open {
            total += 1;
            listed.push(Unreached { entry: entry.id, owner: f.owner, due: f.due });
        }
    }
    Ok((listed, total))
}
