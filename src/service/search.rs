//! Searching past intel, and keeping a search for its paging buttons.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{dates, filed_under, ServiceError, ServiceResult};
use crate::domain::channel::Channel;
use crate::domain::department::{Department, DepartmentKeys};
use crate::domain::ids::{GuildId, UserId};
use crate::domain::partner::PartnerId;
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
    /// Resolved by the front end (`partners::resolve`).
    pub partner: Option<PartnerId>,
    /// The member searching, who finds other members' private entries only as an admin: `None`
    /// for an admin or the command line (see [`SearchQuery::viewer`]).
    pub viewer: Option<UserId>,
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
        partner: request.partner,
        viewer: request.viewer,
        occurred: dates::range(rules, request.since.as_deref(), request.until.as_deref(), now)?,
        page: request.page,
        per_page,
    })
}

/// A request made the query the store runs: [`prepare`], then the department widened to every key
/// its entries are filed under in this guild (old names still in use among them).
pub async fn resolve(
    store: &dyn Store,
    rules: &Rules,
    request: &SearchRequest,
    now: DateTime<Utc>,
) -> ServiceResult<SearchQuery> {
    let mut query = prepare(rules, request, now)?;
    query.department = filed_under::filter(store, rules, request.guild, request.department.as_ref()).await?;
    Ok(query)
}

pub async fn search(
    store: &dyn Store,
    rules: &Rules,
    request: &SearchRequest,
    now: DateTime<Utc>,
) -> ServiceResult<SearchPage> {
    let query = resolve(store, rules, request, now).await?;
    Ok(store.search(request.guild, &query, now).await?)
}

/// How long a saved search's paging buttons keep working: as long as the store keeps it.
pub const KEEP_SAVED: Duration = crate::store::KEEP_SAVED_SEARCHES;

/// A page of a saved search.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedPage {
    /// The saved search, for its paging buttons.
    pub search: i64,
    /// The words searched for; empty for a listing, newest first.
    pub text: String,
    pub page: SearchPage,
}

/// A search as kept for its paging buttons: the resolved query (dates as instants, department and
/// channel as the keys searched) and the instant it ran at, which recency is ranked from. So a
/// page asked for days later, after the date (and "last week" with it) or the config moved on, is
/// the next page of the same results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SavedSearch {
    guild: GuildId,
    searched_at: DateTime<Utc>,
    query: SearchQuery,
}

/// Runs a new search and keeps it, so that its paging buttons work later, after a restart too.
/// A request that cannot run (a date that does not read, say) is refused before anything is kept.
pub async fn start(
    store: &dyn Store,
    rules: &Rules,
    user: UserId,
    request: &SearchRequest,
    now: DateTime<Utc>,
) -> ServiceResult<SavedPage> {
    let saved = SavedSearch {
        guild: request.guild,
        searched_at: now,
        query: resolve(store, rules, request, now).await?,
    };
    let payload = serde_json::to_string(&saved).map_err(|e| ServiceError::Io(std::io::Error::other(e)))?;
    let search = store.save_search(request.guild, user, &payload, now).await?;
    let page = store.search(request.guild, &saved.query, saved.searched_at).await?;
    Ok(SavedPage { search, text: saved.query.text, page })
}

/// Page `page` of a saved search of this guild; `None` once the search is older than
/// [`KEEP_SAVED`], or when it does not read.
pub async fn page(
    store: &dyn Store,
    guild: GuildId,
    search: i64,
    page: u32,
    now: DateTime<Utc>,
) -> ServiceResult<Option<SavedPage>> {
    let Some((payload, saved_at)) = store.saved_search(guild, search).await? else { return Ok(None) };
    if now - saved_at > KEEP_SAVED {
        return Ok(None);
    }
    let Some(saved) = read(&payload, guild) else { return Ok(None) };
    let query = SearchQuery { page, ..saved.query };
    let results = store.search(guild, &query, saved.searched_at).await?;
    Ok(Some(SavedPage { search, text: query.text, page: results }))
}

/// A saved search, if this version saved it, for this guild. One saved by the version before kept
/// the request as typed (dates as phrases, not instants): it does not read, so its buttons say
/// the search expired. It is at most [`KEEP_SAVED`] old anyway, and reading its phrases again on
/// the day of the press is what paging must not do.
fn read(payload: &str, guild: GuildId) -> Option<SavedSearch> {
    serde_json::from_str::<SavedSearch>(payload).ok().filter(|s| s.guild == guild)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

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
            academic: crate::domain::academic::AcademicCalendar::default(),
        }
    }

    /// Wednesday 18 November 2026: last week is Monday 9 to Sunday 15 November.
    fn wednesday() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap()
    }

    fn request(rules: &Rules) -> SearchRequest {
        SearchRequest {
            partner: Some(PartnerId(5)),
            guild: GuildId(7),
            text: Some("loans".into()),
            department: Some(rules.departments.resolve("hist").unwrap().clone()),
            channel: Some(rules.channels.resolve("desk").unwrap().clone()),
            tag: Some("eebo".into()),
            author: Some(UserId(42)),
            viewer: Some(UserId(43)),
            since: Some("last week".into()),
            until: Some("last week".into()),
            page: 0,
            per_page: None,
        }
    }

    fn saved(rules: &Rules) -> SavedSearch {
        let query = prepare(rules, &request(rules), wednesday()).unwrap();
        SavedSearch { guild: GuildId(7), searched_at: wednesday(), query }
    }

    #[test]
    fn a_saved_search_keeps_keys_and_instants_and_reads_back_the_same() {
        let rules = rules();
        let payload = serde_json::to_string(&saved(&rules)).unwrap();
        for kept in [
            r#""department":["History and Classics"],"channel":"desk","tag":"eebo","author":"42","partner":5,"viewer":"43""#,
            r#""occurred":{"start":"2026-11-09T00:00:00Z","end":"2026-11-16T00:00:00Z"}"#,
            r#""searched_at":"2026-11-18T12:00:00Z""#,
        ] {
            assert!(payload.contains(kept), "{kept} in {payload}");
        }
        assert_eq!(read(&payload, GuildId(7)), Some(saved(&rules)));
        assert_eq!(read(&payload, GuildId(8)), None, "another guild's search");
    }

    #[test]
    fn a_search_saved_by_an_earlier_version_does_not_read() {
        let with_keys = r#"{"guild":"7","text":"loans","department":"History and Classics","channel":"desk",
            "tag":null,"author":null,"since":"last week","until":null,"page":2,"per_page":null}"#;
        let as_typed = r#"{"guild":"7","text":"loans","department":"hist","channel":"Enquiry desk","tag":null,
            "author":null,"since":"last week","until":null,"page":2,"per_page":null}"#;
        for old in [with_keys, as_typed, "", "{}", "not json"] {
            assert_eq!(read(old, GuildId(7)), None, "{old}");
        }
    }

    /// A search saved before private entries existed has no viewer: read as "sees everything",
    /// its buttons would page another member's private entries into view.
    #[test]
    fn a_search_saved_without_its_viewer_does_not_read_and_one_that_sees_all_says_so() {
        let rules = rules();
        let payload = serde_json::to_string(&saved(&rules)).unwrap();
        let without = payload.replace(r#""viewer":"43","#, "");
        assert_ne!(without, payload);
        assert_eq!(read(&without, GuildId(7)), None);
        let sees_all = payload.replace(r#""viewer":"43""#, r#""viewer":null"#);
        assert_eq!(read(&sees_all, GuildId(7)).map(|s| s.query.viewer), Some(None));
    }

    /// A search saved before partners existed has no partner filter, and pages as it did.
    #[test]
    fn a_search_saved_before_partners_reads_without_a_partner() {
        let rules = rules();
        let payload = serde_json::to_string(&saved(&rules)).unwrap();
        let before = payload.replace(r#""partner":5,"#, "");
        assert_ne!(before, payload);
        let read_back = read(&before, GuildId(7)).expect("it reads");
        assert_eq!(read_back.query.partner, None);
        assert_eq!(read_back.query.viewer, Some(UserId(43)));
    }
}
