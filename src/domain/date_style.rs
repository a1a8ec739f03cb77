//! Dates as a server's locale writes them: "5 Dec 2026" (en-GB and most of the world), "Dec 5,
//! 2026" (en-US), "2026-12-05" where the year comes first (Chinese, Japanese, Korean, Hungarian,
//! Lithuanian, Swedish). Discord sends the locale as `guild_locale` on every interaction and
//! `preferred_locale` on the guild; it is read once, here, into a style every message uses.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateStyle {
    /// "5 Dec 2026": en-GB, and the default for any locale not named below.
    #[default]
    DayMonth,
    /// "Dec 5, 2026": en-US.
    MonthDay,
    /// "2026-12-05": locales that write the year first.
    YearFirst,
}

impl DateStyle {
    /// The style for a Discord locale (`en-US`, `en-GB`, `ja`, `sv-SE`...), ignoring case and
    /// `_` for `-`; an empty or unknown one gets the default.
    pub fn from_locale(locale: &str) -> DateStyle {
        let locale = locale.trim().to_ascii_lowercase().replace('_', "-");
        let language = locale.split('-').next().unwrap_or_default();
        match (language, locale.as_str()) {
            (_, "en-us") => DateStyle::MonthDay,
            ("zh" | "ja" | "ko" | "hu" | "lt" | "sv", _) => DateStyle::YearFirst,
            _ => DateStyle::DayMonth,
        }
    }

    /// "5 Dec 2026", "Dec 5, 2026", "2026-12-05".
    pub fn day(self, d: NaiveDate) -> String {
        match self {
            DateStyle::DayMonth => d.format("%-d %b %Y").to_string(),
            DateStyle::MonthDay => d.format("%b %-d, %Y").to_string(),
            DateStyle::YearFirst => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// With the weekday: "Sat 5 Dec 2026", "Sat, Dec 5, 2026", "2026-12-05 (Sat)".
    pub fn weekday(self, d: NaiveDate) -> String {
        match self {
            DateStyle::DayMonth => d.format("%a %-d %b %Y").to_string(),
            DateStyle::MonthDay => d.format("%a, %b %-d, %Y").to_string(),
            DateStyle::YearFirst => d.format("%Y-%m-%d (%a)").to_string(),
        }
    }

    /// Without the year, for a date in a list under a dated heading: "5 Dec", "Dec 5", "12-05".
    pub fn short(self, d: NaiveDate) -> String {
        match self {
            DateStyle::DayMonth => d.format("%-d %b").to_string(),
            DateStyle::MonthDay => d.format("%b %-d").to_string(),
            DateStyle::YearFirst => d.format("%m-%d").to_string(),
        }
    }

    /// The month in full: "5 December 2026", "December 5, 2026", "2026-12-05".
    pub fn long(self, d: NaiveDate) -> String {
        match self {
            DateStyle::DayMonth => d.format("%-d %B %Y").to_string(),
            DateStyle::MonthDay => d.format("%B %-d, %Y").to_string(),
            DateStyle::YearFirst => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// A run of days, what they share said once: "16–22 Nov 2026", "26 Jan – 1 Feb 2026",
    /// "Nov 16–22, 2026", "Jan 26 – Feb 1, 2026", "2026-11-16 – 2026-11-22".
    pub fn span(self, first: NaiveDate, last: NaiveDate) -> String {
        let same_year = first.year() == last.year();
        let same_month = same_year && first.month() == last.month();
        match self {
            DateStyle::DayMonth if same_month => format!("{}–{}", first.day(), self.day(last)),
            DateStyle::DayMonth if same_year => format!("{} – {}", self.short(first), self.day(last)),
            DateStyle::MonthDay if same_month => {
                format!("{} {}–{}, {}", first.format("%b"), first.day(), last.day(), last.year())
            }
            DateStyle::MonthDay if same_year => format!("{} – {}", self.short(first), self.day(last)),
            _ => format!("{} – {}", self.day(first), self.day(last)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_locale_is_read_once_into_its_style() {
        assert_eq!(DateStyle::from_locale("en-US"), DateStyle::MonthDay);
        assert_eq!(DateStyle::from_locale("en_us"), DateStyle::MonthDay);
        assert_eq!(DateStyle::from_locale("en-GB"), DateStyle::DayMonth);
        assert_eq!(DateStyle::from_locale("fr"), DateStyle::DayMonth);
        assert_eq!(DateStyle::from_locale("es-419"), DateStyle::DayMonth);
        assert_eq!(DateStyle::from_locale("ja"), DateStyle::YearFirst);
        assert_eq!(DateStyle::from_locale("zh-TW"), DateStyle::YearFirst);
        assert_eq!(DateStyle::from_locale("sv-SE"), DateStyle::YearFirst);
        assert_eq!(DateStyle::from_locale(""), DateStyle::DayMonth);
        assert_eq!(DateStyle::from_locale("not a locale"), DateStyle::DayMonth);
    }

    #[test]
    fn each_style_writes_a_day_as_its_readers_do() {
        let d = date(2026, 12, 5);
        let all = [DateStyle::DayMonth, DateStyle::MonthDay, DateStyle::YearFirst];
        let each = |f: fn(DateStyle, NaiveDate) -> String| all.map(|s| f(s, d));
        assert_eq!(each(DateStyle::day), ["5 Dec 2026", "Dec 5, 2026", "2026-12-05"]);
        assert_eq!(each(DateStyle::weekday), ["Sat 5 Dec 2026", "Sat, Dec 5, 2026", "2026-12-05 (Sat)"]);
        assert_eq!(each(DateStyle::short), ["5 Dec", "Dec 5", "12-05"]);
        assert_eq!(each(DateStyle::long), ["5 December 2026", "December 5, 2026", "2026-12-05"]);
    }

    #[test]
    fn a_span_says_a_shared_month_or_year_once() {
        let (gb, us, iso) = (DateStyle::DayMonth, DateStyle::MonthDay, DateStyle::YearFirst);
        let week = (date(2026, 11, 16), date(2026, 11, 22));
        let across = (date(2026, 1, 26), date(2026, 2, 1));
        let new_year = (date(2025, 12, 29), date(2026, 1, 4));
        assert_eq!(gb.span(week.0, week.1), "16–22 Nov 2026");
        assert_eq!(gb.span(across.0, across.1), "26 Jan – 1 Feb 2026");
        assert_eq!(gb.span(new_year.0, new_year.1), "29 Dec 2025 – 4 Jan 2026");
        assert_eq!(us.span(week.0, week.1), "Nov 16–22, 2026");
        assert_eq!(us.span(across.0, across.1), "Jan 26 – Feb 1, 2026");
        assert_eq!(us.span(new_year.0, new_year.1), "Dec 29, 2025 – Jan 4, 2026");
        assert_eq!(iso.span(week.0, week.1), "2026-11-16 – 2026-11-22");
    }
}
