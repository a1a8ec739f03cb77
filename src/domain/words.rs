//! Counted nouns as a person reads them: "1 entry", "0 entries", "2 entries". Every message that
//! puts a number before a noun goes through here, so none says "1 entries".

use std::sync::LazyLock;

use regex::Regex;

use super::privacy::{is_hidden_count, shown_count};

/// Every noun a message counts, singular and plural: what [`miscounts`] looks for.
pub const NOUNS: &[(&str, &str)] = &[
    ("entry", "entries"),
    ("follow-up", "follow-ups"),
    ("department", "departments"),
    ("contributor", "contributors"),
    ("partner", "partners"),
    ("co-owner", "co-owners"),
    ("event", "events"),
    ("day", "days"),
    ("week", "weeks"),
    ("message", "messages"),
    ("item", "items"),
    ("result", "results"),
    ("story", "stories"),
    ("server", "servers"),
    ("command", "commands"),
    ("row", "rows"),
    ("field", "fields"),
    ("hand-off", "hand-offs"),
    ("mention", "mentions"),
];

/// A count of anything: the unsigned and signed integers messages count with. A negative count
/// (days late, weeks ago) reads like its size.
pub trait Amount: Copy {
    fn is_one(self) -> bool;
}

macro_rules! amount {
    ($($t:ty),*) => {$(
        impl Amount for $t {
            #[allow(unused_comparisons)]
            fn is_one(self) -> bool {
                self == 1 || (self < 0 && self as i128 == -1)
            }
        }
    )*};
}
amount!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

/// `one` for a count of 1, `many` otherwise (0 entries, 2 entries).
pub fn noun<'a>(n: impl Amount, one: &'a str, many: &'a str) -> &'a str {
    if n.is_one() {
        one
    } else {
        many
    }
}

/// The count and its noun: `count(1, "entry", "entries")` is "1 entry".
pub fn count<N: Amount + std::fmt::Display>(n: N, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// A count as a guild that hides small ones shows it, with its noun: "fewer than 3 entries"
/// where hidden (a plural whatever the number behind it), "1 entry" otherwise.
pub fn shown(hide_small: bool, n: u64, one: &str, many: &str) -> String {
    format!("{} {}", shown_count(hide_small, n), shown_noun(hide_small, n, one, many))
}

/// The noun after a count [`shown`] as a guild shows it, for a count written apart (in bold, say).
pub fn shown_noun<'a>(hide_small: bool, n: u64, one: &'a str, many: &'a str) -> &'a str {
    if is_hidden_count(hide_small, n) {
        many
    } else {
        noun(n, one, many)
    }
}

/// "1 entries", "0 entry", "2 day" and the like in `text`: each count said with the wrong form of
/// a noun in [`NOUNS`], as found. Markup around a number (`**1** entries`) is looked through.
/// Tests scan every rendered message with this.
pub fn miscounts(text: &str) -> Vec<String> {
    static WRONG: LazyLock<Regex> = LazyLock::new(|| {
        let alternatives = |pick: fn(&(&'static str, &'static str)) -> &'static str| {
            NOUNS.iter().map(|n| regex::escape(pick(n))).collect::<Vec<_>>().join("|")
        };
        // A plural after a lone 1 ("1 of 3 departments" is right: `of` stands between), a
        // singular after any other number.
        let pattern = format!(
            r"(?i)\b(1 (?:{plural})|(?:0|[2-9]|\d{{2,}}) (?:{singular}))\b",
            plural = alternatives(|n| n.1),
            singular = alternatives(|n| n.0),
        );
        Regex::new(&pattern).expect("a valid pattern")
    });
    let plain: String = text.chars().filter(|c| !matches!(c, '*' | '_' | '`')).collect();
    WRONG.find_iter(&plain).map(|m| m.as_str().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(0u64, "entry", "entries"), "0 entries");
        assert_eq!(count(1usize, "entry", "entries"), "1 entry");
        assert_eq!(count(2i64, "entry", "entries"), "2 entries");
        assert_eq!(noun(-1i64, "day", "days"), "day");
        assert_eq!(noun(-3i64, "day", "days"), "days");
        assert_eq!(noun(11u32, "week", "weeks"), "weeks");
    }

    #[test]
    fn miscounts_are_found_through_markup_and_right_counts_are_not() {
        assert_eq!(miscounts("**1** entries · 2 day late"), ["1 entries", "2 day"]);
        assert_eq!(
            miscounts("0 follow-up, 11 entry, +1 departments"),
            ["0 follow-up", "11 entry", "1 departments"]
        );
        assert!(miscounts("1 entry, 0 entries, 11 entries, 21 days, 1 of 27 departments").is_empty());
        // A word that only starts like a counted noun, or a date, is not a count.
        assert!(miscounts("1 daylight, 2 Dec 2026, 2 itemised, 1 mentioned").is_empty());
    }

    #[test]
    fn a_hidden_small_count_is_plural() {
        assert_eq!(shown(true, 1, "entry", "entries"), "fewer than 3 entries");
        assert_eq!(shown(true, 0, "entry", "entries"), "0 entries");
        assert_eq!(shown(false, 1, "entry", "entries"), "1 entry");
        assert_eq!(shown(true, 5, "entry", "entries"), "5 entries");
    }
}
