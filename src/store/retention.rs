//! Retention: clearing the text of entries past their guild's period, counts kept.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::ids::GuildId;

/// Which entries a pass clears: those of `guild` recorded before `cutoff` (its period counts from
/// when it was recorded) and not cleared yet, unless they carry a follow-up still open, or one
/// done at or after `cutoff` (a follow-up is kept until closed, plus the same period). A done
/// follow-up without a recorded time (closed before that was kept) counts as done long ago.
/// Where the guild keeps impact stories past the period (`keep_impact`), an entry with one is
/// not cleared either; where it does not, the entry's story is deleted when its text is cleared.
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// The guilds with entries recorded before `before` whose text is not cleared yet: the ones a
    /// pass visits, each then with its own period.
    async fn guilds_with_unexpired_before(&self, before: DateTime<Utc>) -> StoreResult<Vec<GuildId>>;

    /// Clears the note, source and author name of the entries the trait's rule picks, in one
    /// statement (the full-text index follows it), marking them expired at `now`; their author id,
    /// department, channel, tags, dates, follow-up and redaction count stay. Returns how many were
    /// cleared; with `dry_run`, how many would be, changing nothing. Running it again clears none.
    async fn expire_entries(
        &self,
        guild: GuildId,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
        dry_run: bool,
        keep_impact: bool,
    ) -> StoreResult<u64>;
}
