//! The terms of each entry (`store::terms`). The store writes an entry's terms onto its row
//! (`entries.terms`, NULL for none) in the statement that writes the entry; the triggers of
//! migration 27 keep `entry_terms` in step with that column, on every insert, update and delete.
//! This file makes the column's value ([`stored_terms`]) and reads the index.

use async_trait::async_trait;
use sqlx::PgConnection;

use super::rows::bound;
use super::PostgresStore;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::privacy::Share;
use crate::domain::tag::Tag;
use crate::domain::terms::{Term, TERMS_VERSION};
use crate::domain::time_range::TimeRange;
use crate::store::terms::postings;
use crate::store::{ids, indexed_terms, Postings, StoreResult, TermStore, MAX_LOOKUP_TERMS};

/// What `entries.terms` holds for an entry with this text and share: the keys of
/// [`indexed_terms`], or NULL when there are none.
pub(super) fn stored_terms(note: &str, tags: &[Tag], share: Share, expired: bool) -> Option<Vec<String>> {
    let terms = indexed_terms(note, tags, share, expired);
    (!terms.is_empty()).then(|| terms.iter().map(|t| t.as_str().to_string()).collect())
}

/// Whether an entry may be indexed as it is stored now (its share, and whether retention cleared
/// it), its row locked until the caller's transaction ends: what an edit or an erasure, which
/// change only its text, needs to make its terms again. `None` when the entry is not in `guild`.
pub(super) async fn indexable(
    conn: &mut PgConnection,
    guild: GuildId,
    id: EntryId,
) -> StoreResult<Option<(Share, bool)>> {
    let row: Option<(String, bool)> = sqlx::query_as(
        "SELECT share, expired_at IS NOT NULL FROM entries WHERE id = $1 AND guild_id = $2 FOR UPDATE",
    )
    .bind(id.0)
    .bind(ids::guild(guild))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(share, expired)| (Share::parse(&share).unwrap_or(Share::Private), expired)))
}

/// Each term's entries, newest first: for each term (by its position), a range of `entry_terms`'
/// key read backwards, at most `$5` (the cap and one more, which says whether there are more).
const POSTINGS: &str = "SELECT u.position, p.ids FROM unnest($2::text[]) WITH ORDINALITY AS u(term, position) \
     CROSS JOIN LATERAL ( \
       SELECT array_agg(s.entry_id ORDER BY s.occurred_at DESC, s.entry_id DESC) AS ids FROM ( \
         SELECT t.entry_id, t.occurred_at FROM entry_terms t \
         WHERE t.guild_id = $1 AND t.term = u.term COLLATE \"C\" AND t.occurred_at >= $3 AND t.occurred_at < $4 \
         ORDER BY t.occurred_at DESC, t.entry_id DESC LIMIT $5) AS s) AS p";

#[async_trait]
impl TermStore for PostgresStore {
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
        let keys: Vec<&str> = terms.iter().map(Term::as_str).collect();
        let rows: Vec<(i64, Option<Vec<i64>>)> = sqlx::query_as(POSTINGS)
            .bind(ids::guild(guild))
            .bind(&keys)
            .bind(bound(window.start))
            .bind(bound(window.end))
            .bind(i64::from(cap) + 1)
            .fetch_all(&self.pool)
            .await?;
        let mut found: Vec<Vec<EntryId>> = vec![Vec::new(); terms.len()];
        for (position, list) in rows {
            // WITH ORDINALITY counts from 1.
            let slot = usize::try_from(position - 1).ok().and_then(|p| found.get_mut(p));
            if let Some(slot) = slot {
                slot.extend(list.unwrap_or_default().into_iter().map(EntryId));
            }
        }
        Ok(postings(terms, found, cap))
    }

    async fn indexed_entries(&self, guild: GuildId, window: &TimeRange, cap: u64) -> StoreResult<u64> {
        // Read on the partial index `entries_with_terms` alone, and no further than `cap` rows.
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT 1 FROM entries \
             WHERE guild_id = $1 AND terms IS NOT NULL AND occurred_at >= $2 AND occurred_at < $3 LIMIT $4) AS s",
        )
        .bind(ids::guild(guild))
        .bind(bound(window.start))
        .bind(bound(window.end))
        .bind(i64::try_from(cap).unwrap_or(i64::MAX))
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn index_stale_terms(&self, batch: u32) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await?;
        let mut done = 0u64;
        // Each older version is one range of `entries_terms_version`, newest first; the version is
        // a Rust constant, so no one index range can hold "older than this".
        for version in 0..TERMS_VERSION {
            let want = u64::from(batch).saturating_sub(done);
            if want == 0 {
                break;
            }
            // SKIP LOCKED: a second indexer (the CLI beside the bot) takes other entries instead of
            // waiting to redo these.
            let stale: Vec<(i64, String, String, String, bool)> = sqlx::query_as(
                "SELECT id, note, tags, share, expired_at IS NOT NULL FROM entries \
                 WHERE terms_version = $1 ORDER BY id DESC LIMIT $2 FOR UPDATE SKIP LOCKED",
            )
            .bind(version)
            .bind(i64::try_from(want).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
            if stale.is_empty() {
                continue;
            }
            // One statement for the batch. A term holds no whitespace (word characters, or `#` and
            // a tag), so each entry's terms travel as one space-separated text, '' for none.
            let mut ids_list = Vec::with_capacity(stale.len());
            let mut terms_list = Vec::with_capacity(stale.len());
            for (id, note, tags, share, expired) in &stale {
                let tags: Vec<Tag> =
                    tags.split_whitespace().map(|t| Tag::from_stored(t.to_string())).collect();
                let share = Share::parse(share).unwrap_or(Share::Private);
                ids_list.push(*id);
                terms_list.push(
                    stored_terms(note, &tags, share, *expired).map(|t| t.join(" ")).unwrap_or_default(),
                );
            }
            // The update trigger replaces each entry's rows with these.
            sqlx::query(
                "UPDATE entries e SET terms = CASE WHEN v.terms = '' THEN NULL \
                   ELSE string_to_array(v.terms, ' ') COLLATE \"C\" END, terms_version = $3 \
                 FROM unnest($1::bigint[], $2::text[]) AS v(id, terms) WHERE e.id = v.id",
            )
            .bind(&ids_list)
            .bind(&terms_list)
            .bind(TERMS_VERSION)
            .execute(&mut *tx)
            .await?;
            done += stale.len() as u64;
        }
        tx.commit().await?;
        Ok(done)
    }
}
