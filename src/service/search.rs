//! Searching past intel.

use chrono::{DateTime, Utc};

use super::{dates, filed_under, ServiceError, ServiceResult};
use crate::domain::channel::{Channel, ChannelKey};
use crate::domain::department::{Department, DepartmentKey, DepartmentKeys};
use crate::domain::ids::{GuildId, UserId};
use crate::domain::rules::Rules;
use crate::domain::search::{SearchPage, SearchQuery, SearchTerms, DEFAULT_PER_PAGE, MAX_PER_PAGE};
use crate::domain::tag::Tag;
use crate::store::Store;

/// The fields of `/search` (and `liaison search`): department and channel resolved by the front
/// end, the rest as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub guild: GuildId,
    pub text: Option<String>,
    pub department: Option<Department>,
    pub channel: Option<Channel>,
    pub tag: Option<String>,
    pub author: Option<UserId>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Zero-based.
    pub page: u32,
    /// [`DEFAULT_PER_PAGE`] when `None`.
    pub per_page: Option<u32>,
}

/// Resolves a request into a query the store can run, the department filed under its own key
/// only (`search` adds the old names in use). Pure.
pub fn prepare(rules: &Rules, request: &SearchRequest, now: DateTime<Utc>) -> ServiceResult<SearchQuery> {
    let non_empty =
        |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let text = non_empty(&request.text).unwrap_or_default();
    let department = request.department.as_ref().map(|d| DepartmentKeys::one(d.key().clone()));
    let channel = request.channel.as_ref().map(|c| c.key().clone());
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
    let mut query = prepare(rules, request, now)?;
    query.department = filed_under::filter(store, rules, request.guild, request.department.as_ref()).await?;
    Ok(store.search(request.guild, &query, now).await?)
}

/// A search as it is kept for its paging buttons: department and channel by key, the rest as
/// typed. The field names are those searches were saved under before keys, so that one saved by
/// the previous version still pages (its department and channel, as typed then, resolve again).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct SavedRequest {
    guild: GuildId,
    text: Option<String>,
    department: Option<DepartmentKey>,
    channel: Option<ChannelKey>,
    tag: Option<String>,
    author: Option<UserId>,
    since: Option<String>,
    until: Option<String>,
    page: u32,
    per_page: Option<u32>,
}

impl SavedRequest {
    fn of(r: &SearchRequest) -> Self {
        SavedRequest {
            guild: r.guild,
            text: r.text.clone(),
            department: r.department.as_ref().map(|d| d.key().clone()),
            channel: r.channel.as_ref().map(|c| c.key().clone()),
            tag: r.tag.clone(),
            author: r.author,
            since: r.since.clone(),
            until: r.until.clone(),
            page: r.page,
            per_page: r.per_page,
        }
    }

    /// `None` when its department or channel has left the catalogue since.
    fn resolve(self, rules: &Rules) -> Option<SearchRequest> {
        let department = match &self.department {
            Some(key) => Some(rules.departments.by_key(key)?.clone()),
            None => None,
        };
        let channel = match &self.channel {
            Some(key) => Some(rules.channels.resolve(key.as_str()).ok()?.clone()),
            None => None,
        };
        Some(SearchRequest {
            guild: self.guild,
            text: self.text,
            department,
            channel,
            tag: self.tag,
            author: self.author,
            since: self.since,
            until: self.until,
            page: self.page,
            per_page: self.per_page,
        })
    }
}

/// Keeps a search so that its paging buttons work later, after a restart too; returns its id.
pub async fn save(
    store: &dyn Store,
    user: UserId,
    request: &SearchRequest,
    now: DateTime<Utc>,
) -> ServiceResult<i64> {
    let payload = serde_json::to_string(&SavedRequest::of(request))
        .map_err(|e| ServiceError::Io(std::io::Error::other(e)))?;
    Ok(store.save_search(request.guild, user, &payload, now).await?)
}

/// A saved search of this guild, unless it is older than `max_age` (or unreadable, which a
/// search saved by an older version may be, or names a department or channel no longer
/// configured).
pub async fn saved_request(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    id: i64,
    now: DateTime<Utc>,
    max_age: chrono::Duration,
) -> ServiceResult<Option<SearchRequest>> {
    let Some((payload, saved_at)) = store.saved_search(guild, id).await? else { return Ok(None) };
    if now - saved_at > max_age {
        return Ok(None);
    }
    let saved = serde_json::from_str::<SavedRequest>(&payload).ok().filter(|r| r.guild == guild);
    Ok(saved.and_then(|r| r.resolve(rules)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::channel::{ChannelCatalogue, ChannelSpec};
    use crate::domain::department::{DepartmentCatalogue, DepartmentSpec};
    use crate::domain::redaction::{RedactionSpec, Redactor};

    /// `History` renamed `History and Classics`, its old name kept as an alias.
    fn rules() -> Rules {
        let department = |name: &str, aliases: &[&str]| DepartmentSpec {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let channel =
            |key: &str, name: &str| ChannelSpec { key: key.into(), name: name.into(), informal: false };
        Rules {
            departments: DepartmentCatalogue::new(vec![
                department("History and Classics", &["History", "hist"]),
                department("Law", &[]),
            ])
            .unwrap(),
            channels: ChannelCatalogue::new(vec![channel("desk", "Enquiry desk")], "desk").unwrap(),
            redactor: Redactor::new(&RedactionSpec::default()).unwrap(),
            timezone: chrono_tz::Europe::London,
        }
    }

    fn request(rules: &Rules) -> SearchRequest {
        SearchRequest {
            guild: GuildId(7),
            text: Some("loans".into()),
            department: Some(rules.departments.resolve("hist").unwrap().clone()),
            channel: Some(rules.channels.resolve("desk").unwrap().clone()),
            tag: None,
            author: None,
            since: Some("last week".into()),
            until: None,
            page: 2,
            per_page: None,
        }
    }

    #[test]
    fn a_saved_search_keeps_keys_and_comes_back_resolved() {
        let rules = rules();
        let saved = serde_json::to_string(&SavedRequest::of(&request(&rules))).unwrap();
        assert!(saved.contains(r#""department":"History and Classics","channel":"desk""#), "{saved}");
        let back: SavedRequest = serde_json::from_str(&saved).unwrap();
        assert_eq!(back.resolve(&rules), Some(request(&rules)));
    }

    #[test]
    fn a_search_saved_before_keys_still_pages() {
        let rules = rules();
        let old = r#"{"guild":"7","text":"loans","department":"hist","channel":"Enquiry desk","tag":null,
            "author":null,"since":"last week","until":null,"page":2,"per_page":null}"#;
        let back: SavedRequest = serde_json::from_str(old).unwrap();
        assert_eq!(back.resolve(&rules), Some(request(&rules)));
    }

    #[test]
    fn a_saved_search_of_a_department_since_removed_is_gone() {
        let rules = rules();
        let gone = SavedRequest { department: Some("Music".into()), ..SavedRequest::of(&request(&rules)) };
        assert_eq!(gone.resolve(&rules), None);
    }
}
