//! Completing a tags option from the guild's own tags, most used first.

use super::ServiceResult;
use crate::domain::ids::GuildId;
use crate::domain::tag::{parse_tag_list, split_last_tag, Tag};
use crate::store::Store;

/// Up to `limit` completions of `typed`: each the whole option's new value. For an option holding
/// several tags (`list`), the last one is completed and those before it kept as typed, and a tag
/// already given is not offered again; otherwise the whole value is one tag.
pub async fn complete(
    store: &dyn Store,
    guild: GuildId,
    typed: &str,
    list: bool,
    limit: usize,
) -> ServiceResult<Vec<String>> {
    let (before, last) = if list { split_last_tag(typed) } else { ("", typed) };
    let given: Vec<Tag> = parse_tag_list(before).unwrap_or_default();
    // What is typed so far, as its tag would read (`Open Acc` is `open-acc`); nothing to go on
    // (`#`, or a blank) offers the most used.
    let prefix = Tag::parse(last.trim_start_matches('#')).map(|t| t.as_str().to_string()).unwrap_or_default();
    let found = store.top_tags(guild, &prefix, limit + given.len()).await?;
    Ok(found
        .into_iter()
        .filter(|u| !given.contains(&u.tag))
        .take(limit)
        .map(|u| format!("{before}{}", u.tag.as_str()))
        .collect())
}
