//! Counted nouns as a person reads them: "1 entry", "0 entries", "2 entries". Every message that
//! puts a number before a noun goes through here, so none says "1 entries".

use super::privacy::{is_hidden_count, shown_count};

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
    fn a_hidden_small_count_is_plural() {
        assert_eq!(shown(true, 1, "entry", "entries"), "fewer than 3 entries");
        assert_eq!(shown(true, 0, "entry", "entries"), "0 entries");
        assert_eq!(shown(false, 1, "entry", "entries"), "1 entry");
        assert_eq!(shown(true, 5, "entry", "entries"), "5 entries");
    }
}
