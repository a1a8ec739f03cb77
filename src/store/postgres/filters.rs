//! The pieces of a search's SQL that both the listing and ranked queries (`search`) and the
//! newest-first windows (`newest`) write: the text query, the filters checked on rows, and a
//! partner's entries through its links.

use sqlx::postgres::Postgres;
use sqlx::QueryBuilder;

use super::entries::key_list;
use super::rows::bound;
use crate::domain::ids::GuildId;
use crate::domain::partner::PartnerId;
use crate::domain::search::SearchQuery;
use crate::store::ids;

/// `(phraseto_tsquery(...) && phraseto_tsquery(...))`: every phrase, each a bound parameter. A
/// phrase of stopwords only becomes an empty query, which `&&` drops; if all are, nothing matches.
pub(super) fn push_tsquery(qb: &mut QueryBuilder<'_, Postgres>, query: &SearchQuery) {
    qb.push("(");
    for (i, phrase) in query.terms.phrases.iter().enumerate() {
        if i > 0 {
            qb.push(" && ");
        }
        qb.push("phraseto_tsquery('liaison_english', ").push_bind(phrase.join(" ")).push(")");
    }
    qb.push(")");
}

/// The filters that no index holds, checked on the rows of `entries` (by that name, unaliased):
/// channel, author, tag, the viewer's (another member's private entry is left out), and the
/// partner (one primary-key look-up in its links per row).
///
/// The viewer's is a check of the row's own `share` and author, which every search reads anyway.
/// Until issue 14's measurements it was the ids of the others' private entries, looked up first
/// and excluded with `id <> ALL(...)`: at 1M entries with one in a hundred private that was some
/// 6,000 ids, read for 4-8 ms, sent back as a parameter, and compared with every row read (11-13
/// ms for a thousand rows against 5-6), which put every member's search over 20 ms p99
/// (docs/benchmarks.md). `IS DISTINCT FROM`, not `<>`: an entry whose author was erased stays
/// hidden whatever its author id has become.
pub(super) fn push_row_filters(qb: &mut QueryBuilder<'_, Postgres>, query: &SearchQuery) {
    if let Some(p) = query.partner {
        qb.push(" AND EXISTS (SELECT 1 FROM entry_partners AS xp WHERE xp.entry_id = entries.id AND xp.partner_id = ")
            .push_bind(p.0)
            .push(")");
    }
    if let Some(viewer) = query.viewer {
        qb.push(" AND NOT (share = 'private' AND author_id IS DISTINCT FROM ")
            .push_bind(ids::user(viewer))
            .push(")");
    }
    if let Some(c) = &query.channel {
        qb.push(" AND channel = ").push_bind(c.as_str().to_string());
    }
    if let Some(a) = query.author {
        qb.push(" AND author_id = ").push_bind(ids::user(a));
    }
    if let Some(t) = &query.tag {
        // Tags are space-separated and hold no spaces: a padded match is an exact tag.
        qb.push(" AND strpos(' ' || tags || ' ', ").push_bind(format!(" {} ", t.as_str())).push(") > 0");
    }
}

/// ` FROM` the partner's links (`ep`) `JOIN entries`, `WHERE` the entry passes every other filter
/// of the query: read by the links' (partner, occurred_at, entry) index, each entry by its primary
/// key.
pub(super) fn push_partner_links(
    qb: &mut QueryBuilder<'_, Postgres>,
    partner: PartnerId,
    guild: GuildId,
    query: &SearchQuery,
) {
    qb.push(" FROM entry_partners AS ep JOIN entries ON entries.id = ep.entry_id WHERE ep.partner_id = ")
        .push_bind(partner.0);
    qb.push(" AND entries.guild_id = ").push_bind(ids::guild(guild));
    if let Some(range) = query.occurred {
        qb.push(" AND ep.occurred_at >= ").push_bind(bound(range.start));
        qb.push(" AND ep.occurred_at < ").push_bind(bound(range.end));
    }
    if let Some(d) = &query.department {
        qb.push(" AND (entries.department = ANY(").push_bind(key_list(d));
        qb.push(") OR EXISTS (SELECT 1 FROM entry_departments AS xd WHERE xd.entry_id = entries.id");
        qb.push(" AND xd.department = ANY(").push_bind(key_list(d)).push(")))");
    }
    // The partner's own check is the join's; repeating it costs a look-up per row.
    let others = SearchQuery { partner: None, ..query.clone() };
    push_row_filters(qb, &others);
}
