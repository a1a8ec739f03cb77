//! Who else heard this: entries by other people about the same thing as a given one.
//! SKELETON: the related helper replaces the department-and-first-tag lookup below with one by
//! content (`domain::terms`, `store::TermStore`).

use chrono::{DateTime, Utc};

use super::{filed_under, ServiceResult};
use crate::domain::department::DepartmentKeys;
use crate::domain::entry::Entry;
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::domain::search::SearchQuery;
use crate::store::Store;

/// How many colleagues' entries a confirmation lists as "who else heard this".
pub const RELATED: usize = 3;

/// An entry about the same thing, and why it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub entry: Entry,
    /// What the two share, as the given entry wrote it ("EEBO", "#phd"), most telling first.
    pub shared: Vec<String>,
}

/// Up to `n` recent entries by colleagues (not the author) about the same department (under any
/// name it was filed under), then about the entry's first tag in any department: "who else heard
/// this". `now` is the instant recency is measured from. Searched as the author sees, and only
/// the team's entries kept: a colleague's private entry is never listed, to anyone (an admin's
/// confirmation included, which may be shown on screen to others); a private entry's own
/// confirmation still lists the team's.
pub async fn related(
    store: &dyn Store,
    rules: &Rules,
    entry: &Entry,
    n: usize,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Related>> {
    let mut found: Vec<Entry> = Vec::new();
    let department = match rules.departments.by_key(&entry.department) {
        Some(d) => filed_under::keys_of(store, rules, entry.guild, d).await?,
        None => DepartmentKeys::one(entry.department.clone()),
    };
    let listing = SearchQuery { viewer: Some(entry.author.id), ..listing() };
    let mut queries = vec![SearchQuery { department: Some(department), ..listing.clone() }];
    if let Some(tag) = entry.tags.first() {
        queries.push(SearchQuery { tag: Some(tag.clone()), ..listing });
    }
    for query in queries {
        for hit in store.search(entry.guild, &query, now).await?.hits {
            if found.len() == n {
                break;
            }
            let e = hit.entry;
            let colleagues = e.author.id != entry.author.id && e.share == Share::Team;
            if colleagues && e.id != entry.id && !found.iter().any(|f| f.id == e.id) {
                found.push(e);
            }
        }
    }
    Ok(found.into_iter().map(|entry| Related { entry, shared: Vec::new() }).collect())
}

/// Newest first, a page deep enough to skip the author's own entries.
fn listing() -> SearchQuery {
    SearchQuery { per_page: 20, ..SearchQuery::default() }
}
