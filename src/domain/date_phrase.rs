//! Date phrases people type: `today`, `monday`, `3 days ago`, `last week`, `3 Nov`, `3/11/2026`.

use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::Regex;

use super::text::visible;

/// Which way an ambiguous phrase leans: `monday` is the last Monday for when something happened
/// or a search bound, the next Monday for a due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRole {
    Past,
    Future,
}

/// The days a phrase names, inclusive: one day for most phrases, Monday to Sunday for
/// `last week` / `this week`. Callers take `first` for a start or a moment, `last` for an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// The accepted forms, shown whenever a phrase is not understood.
pub const ACCEPTED_FORMS: &str = "today, yesterday, tomorrow, a weekday (monday), N days ago, in N days, \
last week, this week, 2026-11-03, 3 Nov, 3 Nov 2026, 3/11/2026";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{input}\" is not a date I understand; try one of: {ACCEPTED_FORMS}")]
pub struct DatePhraseError {
    pub input: String,
}

/// `today` is the current date in the configured timezone. The phrase is read as a reader sees it
/// ([`visible`]: a pasted zero-width space or bidi mark changes nothing), in any case and spacing.
pub fn parse_date_phrase(input: &str, today: NaiveDate, role: DateRole) -> Result<DateSpan, DatePhraseError> {
    let seen = visible(input);
    let phrase = seen.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    parse_normalised(&phrase, today, role).ok_or_else(|| DatePhraseError { input: seen.trim().to_string() })
}

/// The most days `N days ago` / `in N days` may reach: ten years, give or take a leap day.
pub const MAX_RELATIVE_DAYS: u64 = 3660;

impl DateSpan {
    pub fn day(date: NaiveDate) -> Self {
        DateSpan { first: date, last: date }
    }
}

static DAYS_AGO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,4}) days? ago$").expect("the days-ago pattern is valid"));
static IN_DAYS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^in (\d{1,4}) days?$").expect("the in-days pattern is valid"));
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})$").expect("the ISO date pattern is valid"));
/// `3 Nov`, `3rd November 2026`, `03 nov 26`.
static DAY_MONTH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?(?: (\d{4}|\d{2}))?$")
        .expect("the day-month pattern is valid")
});
/// `3/11`, `3/11/26`, `3.11.2026`; the separators are compared in code (no back-references).
static DAY_MONTH_NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})([/.])(\d{1,2})(?:([/.])(\d{4}|\d{2}))?$")
        .expect("the numeric date pattern is valid")
});

fn parse_normalised(phrase: &str, today: NaiveDate, role: DateRole) -> Option<DateSpan> {
    match phrase {
        "today" => return Some(DateSpan::day(today)),
        "yesterday" => return today.pred_opt().map(DateSpan::day),
        "tomorrow" => return today.succ_opt().map(DateSpan::day),
        "this week" => return week_of(today),
        "last week" => return week_of(today.checked_sub_days(Days::new(7))?),
        _ => {}
    }
    if let Some(weekday) = weekday(phrase) {
        return nearest_weekday(weekday, today, role).map(DateSpan::day);
    }
    if let Some(caps) = DAYS_AGO.captures(phrase) {
        return today.checked_sub_days(Days::new(relative_days(&caps[1])?)).map(DateSpan::day);
    }
    if let Some(caps) = IN_DAYS.captures(phrase) {
        return today.checked_add_days(Days::new(relative_days(&caps[1])?)).map(DateSpan::day);
    }
    if let Some(caps) = ISO.captures(phrase) {
        return NaiveDate::from_ymd_opt(caps[1].parse().ok()?, caps[2].parse().ok()?, caps[3].parse().ok()?)
            .map(DateSpan::day);
    }
    if let Some(caps) = DAY_MONTH_NAME.captures(phrase) {
        let month = month(&caps[2])?;
        return day_month(&caps[1], month, caps.get(3).map(|m| m.as_str()), today, role);
    }
    if let Some(caps) = DAY_MONTH_NUMERIC.captures(phrase) {
        if caps.get(4).is_some_and(|second| second.as_str() != &caps[2]) {
            return None;
        }
        let month = caps[3].parse().ok()?;
        return day_month(&caps[1], month, caps.get(5).map(|m| m.as_str()), today, role);
    }
    None
}

fn relative_days(digits: &str) -> Option<u64> {
    digits.parse().ok().filter(|&n| n <= MAX_RELATIVE_DAYS)
}

/// Monday to Sunday of the ISO week holding `day`.
fn week_of(day: NaiveDate) -> Option<DateSpan> {
    let first = day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))?;
    Some(DateSpan { first, last: first.checked_add_days(Days::new(6))? })
}

fn weekday(word: &str) -> Option<Weekday> {
    use Weekday::*;
    let day = match word {
        "monday" | "mon" => Mon,
        "tuesday" | "tue" | "tues" => Tue,
        "wednesday" | "wed" | "weds" => Wed,
        "thursday" | "thu" | "thur" | "thurs" => Thu,
        "friday" | "fri" => Fri,
        "saturday" | "sat" => Sat,
        "sunday" | "sun" => Sun,
        _ => return None,
    };
    Some(day)
}

/// Past: the latest such day on or before today. Future: the first such day after today, since
/// "due monday" said on a Monday means next week.
fn nearest_weekday(weekday: Weekday, today: NaiveDate, role: DateRole) -> Option<NaiveDate> {
    let today_n = today.weekday().num_days_from_monday();
    let target_n = weekday.num_days_from_monday();
    match role {
        DateRole::Past => today.checked_sub_days(Days::new(u64::from((today_n + 7 - target_n) % 7))),
        DateRole::Future => {
            let ahead = (target_n + 7 - today_n) % 7;
            today.checked_add_days(Days::new(u64::from(if ahead == 0 { 7 } else { ahead })))
        }
    }
}

fn month(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word == "sept" {
        return Some(9);
    }
    let index = MONTHS.iter().position(|m| *m == word || (word.len() == 3 && m.starts_with(word)))?;
    u32::try_from(index + 1).ok()
}

/// A day and month with an optional year (two digits mean 20YY). Without a year, the nearest
/// such date on the side of today that `role` leans to, today included; 29 February reaches
/// back or forward to the nearest leap year.
fn day_month(
    day: &str,
    month: u32,
    year: Option<&str>,
    today: NaiveDate,
    role: DateRole,
) -> Option<DateSpan> {
    let day: u32 = day.parse().ok()?;
    if let Some(year) = year {
        let mut year: i32 = year.parse().ok()?;
        if year < 100 {
            year += 2000;
        }
        return NaiveDate::from_ymd_opt(year, month, day).map(DateSpan::day);
    }
    // A leap year, so that an impossible day-month fails here rather than after eight tries.
    NaiveDate::from_ymd_opt(2000, month, day)?;
    let step = match role {
        DateRole::Past => -1,
        DateRole::Future => 1,
    };
    (0..8)
        .map(|n| today.year() + step * n)
        .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
        .find(|date| match role {
            DateRole::Past => *date <= today,
            DateRole::Future => *date >= today,
        })
        .map(DateSpan::day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    /// A Tuesday.
    fn tue() -> NaiveDate {
        date(2026, 11, 3)
    }

    fn one(input: &str, today: NaiveDate, role: DateRole) -> NaiveDate {
        let span = parse_date_phrase(input, today, role).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(span.first, span.last, "{input} should be one day");
        span.first
    }

    fn past(input: &str, today: NaiveDate) -> NaiveDate {
        one(input, today, DateRole::Past)
    }

    fn future(input: &str, today: NaiveDate) -> NaiveDate {
        one(input, today, DateRole::Future)
    }

    fn fails(input: &str) {
        for role in [DateRole::Past, DateRole::Future] {
            let err = parse_date_phrase(input, tue(), role).expect_err(input);
            assert_eq!(err.input, input.trim());
        }
    }

    #[test]
    fn test_dates_fall_on_the_days_assumed() {
        assert_eq!(tue().weekday(), Weekday::Tue);
        assert_eq!(date(2026, 1, 1).weekday(), Weekday::Thu);
        assert_eq!(date(2025, 12, 29).weekday(), Weekday::Mon);
    }

    #[test]
    fn today_yesterday_tomorrow() {
        assert_eq!(past("today", tue()), tue());
        assert_eq!(past("Yesterday", tue()), date(2026, 11, 2));
        assert_eq!(future("  TOMORROW ", tue()), date(2026, 11, 4));
        assert_eq!(past("yesterday", date(2026, 1, 1)), date(2025, 12, 31));
        assert_eq!(future("tomorrow", date(2025, 12, 31)), date(2026, 1, 1));
        assert_eq!(past("tomorrow", date(2028, 2, 28)), date(2028, 2, 29));
    }

    #[test]
    fn weekday_in_the_past_is_the_latest_on_or_before_today() {
        assert_eq!(past("tuesday", tue()), tue());
        assert_eq!(past("monday", tue()), date(2026, 11, 2));
        assert_eq!(past("mon", tue()), date(2026, 11, 2));
        assert_eq!(past("wednesday", tue()), date(2026, 10, 28));
        assert_eq!(past("Sun", tue()), date(2026, 11, 1));
    }

    #[test]
    fn weekday_in_the_future_is_strictly_after_today() {
        assert_eq!(future("tuesday", tue()), date(2026, 11, 10));
        assert_eq!(future("wed", tue()), date(2026, 11, 4));
        assert_eq!(future("MONDAY", tue()), date(2026, 11, 9));
        assert_eq!(future("sunday", tue()), date(2026, 11, 8));
    }

    #[test]
    fn weekdays_across_a_year_boundary() {
        // Thursday 1 January 2026.
        let new_year = date(2026, 1, 1);
        assert_eq!(past("friday", new_year), date(2025, 12, 26));
        assert_eq!(past("wednesday", new_year), date(2025, 12, 31));
        assert_eq!(future("wednesday", date(2025, 12, 31)), date(2026, 1, 7));
        assert_eq!(future("thu", date(2025, 12, 31)), new_year);
    }

    #[test]
    fn every_weekday_spelling() {
        for (words, n) in [
            (&["monday", "mon"][..], 0),
            (&["tuesday", "tue", "tues"], 1),
            (&["wednesday", "wed", "weds"], 2),
            (&["thursday", "thu", "thur", "thurs"], 3),
            (&["friday", "fri"], 4),
            (&["saturday", "sat"], 5),
            (&["sunday", "sun"], 6),
        ] {
            for word in words {
                // Sunday 8 November 2026: the past Monday..Sunday are 2..8 November.
                assert_eq!(past(word, date(2026, 11, 8)), date(2026, 11, 2 + n), "{word}");
            }
        }
    }

    #[test]
    fn days_ago_and_in_days() {
        assert_eq!(past("3 days ago", tue()), date(2026, 10, 31));
        assert_eq!(past("1 day ago", tue()), date(2026, 11, 2));
        assert_eq!(past("0 days ago", tue()), tue());
        assert_eq!(future("in 3 days", tue()), date(2026, 11, 6));
        assert_eq!(future("in 1 day", tue()), date(2026, 11, 4));
        assert_eq!(future("In  30  Days", tue()), date(2026, 12, 3));
        assert_eq!(past("5 days ago", date(2026, 1, 2)), date(2025, 12, 28));
        assert_eq!(future("in 60 days", date(2026, 1, 1)), date(2026, 3, 2));
        // The role does not change an explicit direction.
        assert_eq!(future("3 days ago", tue()), date(2026, 10, 31));
        assert_eq!(past("in 3 days", tue()), date(2026, 11, 6));
    }

    #[test]
    fn relative_days_are_capped() {
        assert_eq!(past("3660 days ago", tue()), date(2016, 10, 26));
        assert_eq!(future("in 3660 days", tue()), date(2036, 11, 10));
        fails("3661 days ago");
        fails("in 3661 days");
        fails("in 99999 days");
    }

    #[test]
    fn this_week_and_last_week_are_monday_to_sunday() {
        let span = |input, today| parse_date_phrase(input, today, DateRole::Past).expect(input);
        assert_eq!(span("this week", tue()), DateSpan { first: date(2026, 11, 2), last: date(2026, 11, 8) });
        assert_eq!(span("last week", tue()), DateSpan { first: date(2026, 10, 26), last: date(2026, 11, 1) });
        // On a Monday and on a Sunday the week is still the ISO week holding today.
        assert_eq!(span("This Week", date(2026, 11, 2)).first, date(2026, 11, 2));
        assert_eq!(span("this week", date(2026, 11, 8)).last, date(2026, 11, 8));
        assert_eq!(span("last week", date(2026, 11, 8)).first, date(2026, 10, 26));
        // Across the new year: ISO week 1 of 2026 starts on 29 December 2025.
        assert_eq!(
            span("this week", date(2026, 1, 1)),
            DateSpan { first: date(2025, 12, 29), last: date(2026, 1, 4) }
        );
        assert_eq!(
            span("last week", date(2026, 1, 5)),
            DateSpan { first: date(2025, 12, 29), last: date(2026, 1, 4) }
        );
        assert_eq!(span("last week", date(2026, 1, 1)).first, date(2025, 12, 22));
    }

    #[test]
    fn iso_dates() {
        assert_eq!(past("2026-11-03", tue()), tue());
        assert_eq!(future("2027-01-05", tue()), date(2027, 1, 5));
        assert_eq!(past("2026-2-3", tue()), date(2026, 2, 3));
        fails("2026-02-30");
        fails("2026-13-01");
        fails("2026-00-10");
    }

    #[test]
    fn day_month_name_with_a_year() {
        for input in
            ["3 Nov 2026", "03 nov 2026", "3 November 2026", "3rd Nov 2026", "3 nov. 2026", "3 Nov 26"]
        {
            assert_eq!(past(input, date(2020, 1, 1)), tue(), "{input}");
        }
        assert_eq!(future("1 Sept 2027", tue()), date(2027, 9, 1));
        assert_eq!(past("29 feb 2028", tue()), date(2028, 2, 29));
        fails("29 feb 2026");
        fails("31 april 2026");
        fails("0 nov 2026");
        fails("3 novembr 2026");
        fails("3 no 2026");
    }

    #[test]
    fn every_month_spelling() {
        let names = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        for (i, name) in names.iter().enumerate() {
            let expected = date(2030, i as u32 + 1, 1);
            assert_eq!(past(&format!("1 {name} 2030"), tue()), expected, "{name}");
            assert_eq!(past(&format!("1 {} 2030", &name[..3]), tue()), expected, "{name}");
        }
    }

    #[test]
    fn numeric_day_month_year() {
        assert_eq!(past("3/11/2026", date(2020, 1, 1)), tue());
        assert_eq!(past("03/11/2026", date(2020, 1, 1)), tue());
        assert_eq!(past("3/11/26", date(2020, 1, 1)), tue());
        assert_eq!(past("3.11.2026", date(2020, 1, 1)), tue());
        assert_eq!(past("3.11.26", date(2020, 1, 1)), tue());
        assert_eq!(future("1/1/27", tue()), date(2027, 1, 1));
        fails("31/2/2026");
        fails("3/13/2026");
        fails("3/11.2026");
        fails("3/11/202");
        fails("3-11-2026");
    }

    #[test]
    fn day_month_without_a_year_leans_by_role() {
        // 3 November, asked on 3 November: today either way.
        assert_eq!(past("3 Nov", tue()), tue());
        assert_eq!(future("3 Nov", tue()), tue());
        assert_eq!(past("3/11", tue()), tue());
        // Later this year: last year when looking back.
        assert_eq!(past("4 Nov", tue()), date(2025, 11, 4));
        assert_eq!(future("4/11", tue()), date(2026, 11, 4));
        // Earlier this year: next year when looking forward.
        assert_eq!(past("2 nov", tue()), date(2026, 11, 2));
        assert_eq!(future("2.11", tue()), date(2027, 11, 2));
    }

    #[test]
    fn day_month_without_a_year_across_the_new_year() {
        let jan2 = date(2026, 1, 2);
        assert_eq!(past("31 Dec", jan2), date(2025, 12, 31));
        assert_eq!(future("31/12", jan2), date(2026, 12, 31));
        assert_eq!(past("1 jan", jan2), date(2026, 1, 1));
        assert_eq!(future("1 January", jan2), date(2027, 1, 1));
        let dec30 = date(2025, 12, 30);
        assert_eq!(future("2 jan", dec30), date(2026, 1, 2));
        assert_eq!(past("2 jan", dec30), date(2025, 1, 2));
    }

    #[test]
    fn twenty_ninth_of_february_without_a_year_finds_a_leap_year() {
        assert_eq!(past("29 Feb", tue()), date(2024, 2, 29));
        assert_eq!(future("29/2", tue()), date(2028, 2, 29));
        assert_eq!(past("29/2", date(2028, 2, 29)), date(2028, 2, 29));
    }

    #[test]
    fn impossible_day_months_fail() {
        fails("31/2");
        fails("30 feb");
        fails("31 nov");
        fails("0/11");
        fails("3/0");
    }

    #[test]
    fn anything_else_fails_with_the_accepted_forms() {
        for input in
            ["", "   ", "soon", "next monday", "last month", "days ago", "-3 days ago", "monday 3", "3"]
        {
            fails(input);
        }
        let err = parse_date_phrase("  whenever ", tue(), DateRole::Past).expect_err("not a date");
        assert_eq!(err.input, "whenever");
        assert!(err.to_string().contains(ACCEPTED_FORMS));
    }
}
