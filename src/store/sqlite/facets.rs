//! FTS5 MATCH expressions: scoping tokens and the user's words.
//!
//! The scope (guild, department, channel, author, tag, partner, months of the date range) goes inside MATCH
//! as tokens of the generated `facets` column (see the migration for their shape), so FTS5 narrows
//! to the guild and filters before a row is joined or ranked. The user's words reach MATCH only as
//! quoted phrases of `SearchTerms`, restricted to the `note` and `tags` columns: no operator, column
//! name or facet token typed by a user can take effect.

use chrono::{DateTime, Datelike, Duration, Utc};

use crate::domain::department::DepartmentKeys;
use crate::domain::ids::{GuildId, UserId};
use crate::domain::partner::PartnerId;
use crate::domain::search::SearchTerms;
use crate::domain::tag::Tag;
use crate::domain::time_range::TimeRange;

/// A range spanning more years than this gets no time tokens: it would add many tokens to every
/// query for little narrowing.
const MAX_TIME_TOKEN_YEARS: i32 = 20;

/// The filters that have a facet token.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Scope<'a> {
    pub department: Option<&'a DepartmentKeys>,
    pub channel: Option<&'a str>,
    pub author: Option<UserId>,
    pub tag: Option<&'a Tag>,
    /// An entry's partners are tokens of `link_facets` (migration 16), as are its other
    /// departments, which the department token therefore matches too.
    pub partner: Option<PartnerId>,
    pub occurred: Option<TimeRange>,
}

impl Scope<'_> {
    /// The facet clause, e.g. `{facets} : ("g7d48697374" "g7t6c6f616e73") AND {facets} : ("g7m202611")`;
    /// a department filed under several keys is one group, `("g7d…" OR "g7d…")`, ANDed explicitly
    /// (FTS5 reads no implicit AND after a parenthesis).
    pub fn clause(&self, guild: GuildId) -> String {
        self.clause_with(guild, true)
    }

    /// As `clause`, but without the bare guild token unless `guild_token` (then possibly empty).
    /// The token narrows only when the guild is rarer than the words searched for; in a database
    /// that is mostly one guild it adds a posting list of nearly every row to intersect.
    pub fn clause_with(&self, guild: GuildId, guild_token: bool) -> String {
        let g = guild.0;
        // Each quoted, or a group of them.
        let mut tokens = Vec::new();
        let mut grouped = false;
        if let Some(d) = self.department {
            let keys: Vec<String> = d.keys().iter().map(|k| format!("g{g}d{}", hex(k.as_str()))).collect();
            tokens.push(match keys.as_slice() {
                [one] => quote(one),
                several => {
                    grouped = true;
                    format!("({})", join_quoted(several, " OR "))
                }
            });
        }
        if let Some(c) = self.channel {
            tokens.push(quote(&format!("g{g}c{}", hex(c))));
        }
        if let Some(a) = self.author {
            tokens.push(quote(&format!("g{g}a{}", a.0)));
        }
        if let Some(t) = self.tag {
            tokens.push(quote(&format!("g{g}t{}", hex(t.as_str()))));
        }
        if let Some(p) = self.partner {
            tokens.push(quote(&format!("g{g}p{}", p.0)));
        }
        let time = self.occurred.and_then(|r| time_tokens(guild, r));
        // Time tokens carry the guild too; the bare guild token is only needed without any other.
        if guild_token && tokens.is_empty() && time.is_none() {
            tokens.push(quote(&format!("g{g}")));
        }
        let mut parts = Vec::new();
        if !tokens.is_empty() {
            parts.push(format!("{{facets}} : ({})", tokens.join(if grouped { " AND " } else { " " })));
        }
        if let Some(time) = time {
            parts.push(format!("{{facets}} : ({})", join_quoted(&time, " OR ")));
        }
        parts.join(" AND ")
    }
}

/// `{note tags} : ("loan" "o neill")`: every phrase must occur in the note or the tags. `None`
/// when there are no words, in which case nothing may be searched.
pub(super) fn words_clause(terms: &SearchTerms) -> Option<String> {
    if terms.is_empty() {
        return None;
    }
    let phrases: Vec<String> = terms.phrases.iter().map(|p| p.join(" ")).collect();
    Some(format!("{{note tags}} : ({})", join_quoted(&phrases, " ")))
}

/// One phrase on its own, for counting how common it is.
pub(super) fn phrase_clause(phrase: &[String]) -> String {
    format!("{{note tags}} : ({})", quote(&phrase.join(" ")))
}

pub(super) fn and(clauses: &[&str]) -> String {
    clauses.iter().filter(|c| !c.is_empty()).copied().collect::<Vec<_>>().join(" AND ")
}

fn join_quoted(items: &[String], sep: &str) -> String {
    items.iter().map(|s| quote(s)).collect::<Vec<_>>().join(sep)
}

/// An FTS5 string: inside double quotes nothing is syntax, and a quote is written twice.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Lower-case hex of the UTF-8 bytes. The migration writes upper-case with `hex()`; the tokenizer
/// folds both to the same token.
pub(super) fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Month (and whole-year) tokens covering `range` in UTC, or `None` when the range cannot be
/// covered exactly (SQLite's `strftime` only formats years 0000 to 9999) or cheaply.
fn time_tokens(guild: GuildId, range: TimeRange) -> Option<Vec<String>> {
    let g = guild.0;
    if range.end <= range.start {
        return None;
    }
    let last_instant = range.end.checked_sub_signed(Duration::milliseconds(1))?;
    let (y0, m0) = year_month(range.start);
    let (y1, m1) = year_month(last_instant);
    if y0 < 1 || y1 > 9999 || y1 < y0 || y1 - y0 > MAX_TIME_TOKEN_YEARS {
        return None;
    }
    let month = |y: i32, m: u32| format!("g{g}m{y:04}{m:02}");
    let year = |y: i32| format!("g{g}y{y:04}");
    let mut tokens = Vec::new();
    if y0 == y1 && (m0, m1) != (1, 12) {
        tokens.extend((m0..=m1).map(|m| month(y0, m)));
        return Some(tokens);
    }
    if y0 == y1 {
        return Some(vec![year(y0)]);
    }
    if m0 == 1 {
        tokens.push(year(y0));
    } else {
        tokens.extend((m0..=12).map(|m| month(y0, m)));
    }
    tokens.extend((y0 + 1..y1).map(year));
    if m1 == 12 {
        tokens.push(year(y1));
    } else {
        tokens.extend((1..=m1).map(|m| month(y1, m)));
    }
    Some(tokens)
}

fn year_month(t: DateTime<Utc>) -> (i32, u32) {
    (t.year(), t.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::department::DepartmentKey;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn the_guild_token_stands_alone_without_filters() {
        assert_eq!(Scope::default().clause(GuildId(u64::MAX)), r#"{facets} : ("g18446744073709551615")"#);
    }

    #[test]
    fn the_guild_token_can_be_left_out() {
        assert_eq!(Scope::default().clause_with(GuildId(7), false), "");
        let scope = Scope { channel: Some("desk"), ..Scope::default() };
        assert_eq!(scope.clause_with(GuildId(7), false), r#"{facets} : ("g7c6465736b")"#);
    }

    fn keys(list: &[&str]) -> DepartmentKeys {
        DepartmentKeys::from_keys(list.iter().map(|k| DepartmentKey::from_stored(*k))).unwrap()
    }

    #[test]
    fn filters_replace_the_guild_token() {
        let hi = keys(&["Hi"]);
        let scope = Scope { department: Some(&hi), author: Some(UserId(5)), ..Scope::default() };
        assert_eq!(scope.clause(GuildId(7)), r#"{facets} : ("g7d4869" "g7a5")"#);
    }

    #[test]
    fn a_partner_is_a_token_of_its_own() {
        let scope = Scope { partner: Some(PartnerId(12)), tag: None, ..Scope::default() };
        assert_eq!(scope.clause(GuildId(7)), r#"{facets} : ("g7p12")"#);
    }

    #[test]
    fn a_department_under_several_keys_matches_any_of_them() {
        let renamed = keys(&["Hi", "Ho"]);
        let scope = Scope { department: Some(&renamed), author: Some(UserId(5)), ..Scope::default() };
        assert_eq!(scope.clause(GuildId(7)), r#"{facets} : (("g7d4869" OR "g7d486f") AND "g7a5")"#);
    }

    #[test]
    fn a_range_becomes_months_and_whole_years() {
        let r = TimeRange::new(at(2024, 11, 15), at(2027, 2, 1));
        let tokens = time_tokens(GuildId(1), r).unwrap();
        assert_eq!(tokens, vec!["g1m202411", "g1m202412", "g1y2025", "g1y2026", "g1m202701"]);
        let within = TimeRange::new(at(2026, 3, 1), at(2026, 3, 8));
        assert_eq!(time_tokens(GuildId(1), within).unwrap(), vec!["g1m202603"]);
        let whole = TimeRange::new(at(2025, 1, 1), at(2026, 1, 1));
        assert_eq!(time_tokens(GuildId(1), whole).unwrap(), vec!["g1y2025"]);
    }

    #[test]
    fn ranges_that_cannot_be_covered_get_no_time_tokens() {
        assert!(time_tokens(GuildId(1), TimeRange::new(at(1990, 1, 1), at(2026, 1, 1))).is_none());
        let forever = TimeRange::new(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        assert!(time_tokens(GuildId(1), forever).is_none());
    }

    #[test]
    fn words_are_quoted_phrases_in_the_text_columns() {
        let terms = SearchTerms::parse(r#"Dr O'Neill "loan" facets: g2"#);
        assert_eq!(words_clause(&terms).unwrap(), r#"{note tags} : ("dr" "o neill" "loan" "facets" "g2")"#);
        assert!(words_clause(&SearchTerms::parse("* ^ \"")).is_none());
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    }
}
