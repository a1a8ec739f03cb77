//! The pieces of a search's SQL that both the listing and ranked queries (`search`) and the
//! newest-first windows (`newest`) write: the text query, and the filters checked on rows.

use sqlx::postgres::Postgres;
use sqlx::QueryBuilder;

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
/// channel, author, tag, the ids of the entries the viewer may not see (`hidden`), and the
/// partner (one primary-key look-up in its links per row).
pub(super) fn push_row_filters(qb: &mut QueryBuilder<'_, Postgres>, query: &SearchQuery, hidden: &[i64]) {
    if let Some(p) = query.partner {
        qb.push(" AND EXISTS (SELECT 1 FROM entry_partners AS xp WHERE xp.entry_id = entries.id AND xp.partner_id = ")
            .push_bind(p.0)
            .push(")");
    }
    if !hidden.is_empty() {
        qb.push(" AND id <> ALL(").push_bind(hidden.to_vec()).push(")");
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
