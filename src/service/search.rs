//! Searching past intel.

use chrono::{DateTime, Utc};

use super::{dates, ServiceError, ServiceResult};
use crate::domain::ids::{GuildId, UserId};
use crate::domain::rules::Rules;
use crate::domain::search::{SearchPage, SearchQuery, SearchTerms, DEFAULT_PER_PAGE, MAX_PER_PAGE};
use crate::domain::tag::Tag;
use crate::store::Store;

/// The fields of `/search` (and `liaison search`), as typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchRequest {
    pub guild: GuildId,
    pub text: Option<String>,
    pub department: Option<String>,
    pub channel: Option<String>,
    pub tag: Option<String>,
    pub author: Option<UserId>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Zero-based.
    pub page: u32,
    /// [`DEFAULT_PER_PAGE`] when `None`.
    pub per_page: Option<u32>,
}

/// Resolves a request into a query the store can run. Pure.
pub fn prepare(rules: &Rules, request: &SearchRequest, now: DateTime<Utc>) -> ServiceResult<SearchQuery> {
    let non_empty =
        |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let text = non_empty(&request.text).unwrap_or_default();
    let department = match non_empty(&request.department) {
        Some(d) => Some(rules.departments.resolve(&d).map_err(ServiceError::invalid)?.name.clone()),
        None => None,
    };
    let channel = match non_empty(&request.channel) {
        Some(c) => Some(rules.channels.resolve(&c).map_err(ServiceError::invalid)?.key.clone()),
        None => None,
    };
    let tag = match non_empty(&request.tag) {
        Some(t) => Some(Tag::parse(&t).map_err(ServiceError::invalid)?),
        None => None,
    };
    let per_page = request.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ServiceError::invalid(format!("results per page must be 1 to {MAX_PER_PAGE}")));
    }
    Ok(SearchQuery {
        terms: SearchTerms::parse(&text),
        text,
        department,
        channel,
        tag,
        author: request.author,
        occurred: dates::range(rules, request.since.as_deref(), request.until.as_deref(), now)?,
        page: request.page,
        per_page,
    })
}

pub async fn search(
    store: &dyn Store,
    rules: &Rules,
    request: &SearchRequest,
    now: DateTime<Utc>,
) -> ServiceResult<SearchPage> {
    let query = prepare(rules, request, now)?;
    Ok(store.search(request.guild, &query, now).await?)
}

/// Keeps a search so that its paging buttons work later, after a restart too; returns its id.
pub async fn save(
    store: &dyn Store,
    user: UserId,
    request: &SearchRequest,
    now: DateTime<Utc>,
) -> ServiceResult<i64> {
    let payload = serde_json::to_string(request).map_err(|e| ServiceError::Io(std::io::Error::other(e)))?;
    Ok(store.save_search(request.guild, user, &payload, now).await?)
}

/// A saved search of this guild, unless it is older than `max_age` (or unreadable, which a
/// search saved by an older version may be).
pub async fn saved_request(
    store: &dyn Store,
    guild: GuildId,
    id: i64,
    now: DateTime<Utc>,
    max_age: chrono::Duration,
) -> ServiceResult<Option<SearchRequest>> {
    let Some((payload, saved_at)) = store.saved_search(guild, id).await? else { return Ok(None) };
    if now - saved_at > max_age {
        return Ok(None);
    }
    Ok(serde_json::from_str::<SearchRequest>(&payload).ok().filter(|r| r.guild == guild))
}
