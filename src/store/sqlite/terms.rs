//! The terms of each entry (`store::terms`). The store writes an entry's terms onto its row
//! (`entries.terms`, a JSON array of keys, NULL for none) in the statement that writes the entry;
//! the triggers of migration 27 keep `entry_terms` in step with that column, on every insert,
//! update and delete. This file makes the column's value ([`stored_terms`]) and reads the index.

use async_trait::async_trait;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::rows::millis;
use super::SqliteStore;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::privacy::Share;
use crate::domain::tag::Tag;
use crate::domain::terms::{Term, TERMS_VERSION};
use crate::domain::time_range::TimeRange;
use crate::store::terms::postings;
use crate::store::{ids, indexed_terms, Postings, StoreResult, TermStore, MAX_LOOKUP_TERMS};

/// What `entries.terms` holds for an entry with this text and share: the keys of
/// [`indexed_terms`] as a JSON array, or NULL when there are none.
pub(super) fn stored_terms(note: &str, tags: &[Tag], share: Share, expired: bool) -> Option<String> {
    let terms = indexed_terms(note, tags, share, expired);
    if terms.is_empty() {
        return None;
    }
    let keys: Vec<&str> = terms.iter().map(Term::as_str).collect();
    Some(serde_json::Value::from(keys).to_string())
}

/// Whether an entry may be indexed as it is stored now (its share, and whether retention cleared
/// it): what an edit or an erasure, which change only its text, needs to make its terms again.
/// `None` when the entry is not in `guild`.
pub(super) async fn indexable(
    conn: &mut SqliteConnection,
    guild: GuildId,
    id: EntryId,
) -> StoreResult<Option<(Share, bool)>> {
    let row: Option<(String, bool)> =
        sqlx::query_as("SELECT share, expired_at IS NOT NULL FROM entries WHERE id = ? AND guild_id = ?")
            .bind(id.0)
            .bind(ids::guild(guild))
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(share, expired)| (Share::parse(&share).unwrap_or(Share::Private), expired)))
}

/// The lookup as one statement, one row per term: its position and its entries, so the lookup is
/// one round trip to SQLite's thread however many terms it asks about. Each term's entries are a
/// range of `entry_terms`' key read backwards, at most `cap + 1` of them (the one more says whether
/// there are more), joined into one value newest first.
pub(super) fn lookup_sql<'a>(
    guild: GuildId,
    terms: &'a [Term],
    window: &TimeRange,
    cap: u32,
) -> QueryBuilder<'a, Sqlite> {
    let mut qb: QueryBuilder<'_, Sqlite> = QueryBuilder::new("");
    for (position, term) in terms.iter().enumerate() {
        if position > 0 {
            qb.push(" UNION ALL ");
        }
        qb.push(format!(
            "SELECT {position}, (SELECT group_concat(entry_id, ' ' ORDER BY occurred_at DESC, entry_id DESC) \
             FROM (SELECT entry_id, occurred_at FROM entry_terms WHERE guild_id = "
        ));
        qb.push_bind(ids::guild(guild))
            .push(" AND term = ")
            .push_bind(term.as_str())
            .push(" AND occurred_at >= ")
            .push_bind(millis(window.start))
            .push(" AND occurred_at < ")
            .push_bind(millis(window.end))
            .push(" ORDER BY occurred_at DESC, entry_id DESC LIMIT ")
            .push_bind(i64::from(cap) + 1)
            .push("))");
    }
    qb
}

/// How many entries of a guild hold terms in a window, up to a cap: a range of `entry_terms`' key
/// under the term '*', which each entry holding terms has a row under (migration 27), and no
/// further than the cap. `?` are the guild, the window's start and end, and the cap.
pub(super) const INDEXED_ENTRIES: &str = "SELECT count(*) FROM (SELECT 1 FROM entry_terms \
     WHERE guild_id = ? AND term = '*' AND occurred_at >= ? AND occurred_at < ? LIMIT ?)";

#[async_trait]
impl TermStore for SqliteStore {
    async fn entries_with_terms(
        &self,
        guild: GuildId,
        terms: &[Term],
        window: &TimeRange,
        cap: u32,
    ) -> StoreResult<Vec<Postings>> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let terms = &terms[..terms.len().min(MAX_LOOKUP_TERMS)];
        let mut qb = lookup_sql(guild, terms, window, cap);
        let rows: Vec<(i64, Option<String>)> = qb.build_query_as().fetch_all(&self.reader).await?;
        let mut found: Vec<Vec<EntryId>> = vec![Vec::new(); terms.len()];
        for (position, list) in rows {
            let slot = usize::try_from(position).ok().and_then(|p| found.get_mut(p));
            let Some(slot) = slot else { continue };
            for id in list.iter().flat_map(|l| l.split(' ')) {
                let id: i64 = id.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                slot.push(EntryId(id));
            }
        }
        Ok(postings(terms, found, cap))
    }

    async fn indexed_entries(&self, guild: GuildId, window: &TimeRange, cap: u64) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(INDEXED_ENTRIES)
            .bind(ids::guild(guild))
            .bind(millis(window.start))
            .bind(millis(window.end))
            .bind(i64::try_from(cap).unwrap_or(i64::MAX))
            .fetch_one(&self.reader)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn index_stale_terms(&self, batch: u32) -> StoreResult<u64> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let mut done = 0u64;
        // Each older version is one range of `entries_terms_version`, newest first; the version is
        // a Rust constant, so no one index range can hold "older than this".
        for version in 0..TERMS_VERSION {
            let want = u64::from(batch).saturating_sub(done);
            if want == 0 {
                break;
            }
            let stale: Vec<(i64, String, String, String, bool)> = sqlx::query_as(
                "SELECT id, note, tags, share, expired_at IS NOT NULL FROM entries \
                 WHERE terms_version = ? ORDER BY id DESC LIMIT ?",
            )
            .bind(version)
            .bind(i64::try_from(want).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
            for (id, note, tags, share, expired) in stale {
                let tags: Vec<Tag> =
                    tags.split_whitespace().map(|t| Tag::from_stored(t.to_string())).collect();
                let share = Share::parse(&share).unwrap_or(Share::Private);
                // The update trigger replaces the entry's rows with these.
                sqlx::query("UPDATE entries SET terms = ?, terms_version = ? WHERE id = ?")
                    .bind(stored_terms(&note, &tags, share, expired))
                    .bind(TERMS_VERSION)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                done += 1;
            }
        }
        tx.commit().await?;
        Ok(done)
    }
}
