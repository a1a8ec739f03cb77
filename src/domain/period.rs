//! A reporting period as a person asks for it (`term`, `last-year`, or dates), parsed once and
//! resolved against the academic calendar to the days it covers, and to the period before it.

use super::date_style::DateStyle;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

use super::academic::{AcademicCalendar, DatedSession, SessionKind};
use super::date_phrase::{parse_date_phrase, DateRole};
use super::time_range::TimeRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Monday to today.
    Week,
    /// The calendar month to today.
    Month,
    /// The term holding today, or the last one that started.
    Term,
    Semester,
    /// The academic year holding today, to today.
    Year,
    /// The whole academic year before this one.
    LastYear,
    All,
    /// Explicit days, inclusive: from `since` (all time if none) to `until` (today if none).
    Dates {
        since: Option<NaiveDate>,
        until: Option<NaiveDate>,
    },
}

/// A period that cannot be read or has no days; the message says what would do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PeriodError(String);

/// The named periods, as each front end offers them.
pub const PERIOD_NAMES: [&str; 7] = ["week", "month", "term", "semester", "year", "last-year", "all"];

impl Period {
    /// One of [`PERIOD_NAMES`], in any case.
    pub fn parse(name: &str) -> Result<Self, PeriodError> {
        let period = match name.trim().to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
            "week" => Period::Week,
            "month" => Period::Month,
            "term" => Period::Term,
            "semester" => Period::Semester,
            "year" => Period::Year,
            "last-year" => Period::LastYear,
            "all" => Period::All,
            _ => {
                return Err(PeriodError(format!(
                    "\"{}\" is not a period; use one of: {}, or dates with since and until",
                    name.trim(),
                    PERIOD_NAMES.join(", ")
                )))
            }
        };
        Ok(period)
    }

    /// What to count when nobody says: this term, or where the calendar has none, this
    /// semester, or this academic year.
    pub fn default_for(calendar: &AcademicCalendar) -> Self {
        if !calendar.sessions(SessionKind::Term).is_empty() {
            Period::Term
        } else if !calendar.sessions(SessionKind::Semester).is_empty() {
            Period::Semester
        } else {
            Period::Year
        }
    }

    /// A named period or `since`/`until` date phrases (`3 Nov`, `last week`...; `until` takes
    /// the phrase's last day, so `until: last week` includes its Sunday), read on `today`;
    /// `default` when neither is given.
    pub fn from_request(
        name: Option<&str>,
        since: Option<&str>,
        until: Option<&str>,
        today: NaiveDate,
        default: Period,
    ) -> Result<Self, PeriodError> {
        let (name, since, until) = (given(name), given(since), given(until));
        if since.is_none() && until.is_none() {
            return name.map_or(Ok(default), Period::parse);
        }
        if let Some(name) = name {
            return Err(PeriodError(format!(
                "give either a period (\"{name}\") or since and until dates, not both"
            )));
        }
        let date = |phrase: &str| {
            parse_date_phrase(phrase, today, DateRole::Past).map_err(|e| PeriodError(e.to_string()))
        };
        let since = since.map(date).transpose()?.map(|span| span.first);
        let until = until.map(date).transpose()?.map(|span| span.last);
        if let Some(first) = since {
            let last = until.unwrap_or(today);
            if first > last {
                return Err(PeriodError(format!(
                    "the period starts ({}) after it ends ({})",
                    day(first),
                    day(last)
                )));
            }
        }
        Ok(Period::Dates { since, until })
    }

    /// The days this period covers on `today`. A period still running ends today.
    pub fn resolve(
        &self,
        calendar: &AcademicCalendar,
        today: NaiveDate,
    ) -> Result<ResolvedPeriod, PeriodError> {
        let resolved = match *self {
            Period::Week => {
                let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
                ResolvedPeriod::new("week", "This week", Some(monday), today)
            }
            Period::Month => {
                let first = today.with_day(1).unwrap_or(today);
                ResolvedPeriod::new("month", &today.format("%B %Y").to_string(), Some(first), today)
            }
            Period::Term => {
                named_session("term", calendar, &session(calendar, SessionKind::Term, today)?).ending(today)
            }
            Period::Semester => {
                let semester = session(calendar, SessionKind::Semester, today)?;
                named_session("semester", calendar, &semester).ending(today)
            }
            Period::Year => {
                let year = calendar.year_of(today);
                academic_year("year", calendar, year).ending(today)
            }
            Period::LastYear => academic_year("last-year", calendar, calendar.year_of(today) - 1),
            Period::All => ResolvedPeriod::new("all", "All time", None, today),
            Period::Dates { since, until } => dates(since, until.unwrap_or(today)),
        };
        Ok(resolved)
    }

    /// The whole period before this one, to compare with: the previous week, month, term,
    /// semester or academic year, or as many days just before explicit dates. `None` for all
    /// time, or dates with no start.
    pub fn previous(
        &self,
        calendar: &AcademicCalendar,
        today: NaiveDate,
    ) -> Result<Option<ResolvedPeriod>, PeriodError> {
        let current = self.resolve(calendar, today)?;
        let Some(first) = current.first_day else {
            return Ok(None);
        };
        let before = first.pred_opt().unwrap_or(first);
        let previous = match *self {
            Period::Week => {
                let monday = first - Days::new(7);
                ResolvedPeriod::new("week", "Last week", Some(monday), before)
            }
            Period::Month => {
                let month = first - Months::new(1);
                ResolvedPeriod::new("month", &month.format("%B %Y").to_string(), Some(month), before)
            }
            Period::Term | Period::Semester => {
                let kind = if *self == Period::Term { SessionKind::Term } else { SessionKind::Semester };
                let Some(this) = calendar.current(kind, today) else {
                    return Ok(None);
                };
                match calendar.before(kind, &this) {
                    Some(s) => named_session(current.kind, calendar, &s),
                    None => return Ok(None),
                }
            }
            Period::Year => academic_year("year", calendar, calendar.year_of(first) - 1),
            Period::LastYear => academic_year("last-year", calendar, calendar.year_of(first) - 1),
            Period::All => return Ok(None),
            Period::Dates { .. } => {
                let days = (current.last_day - first).num_days().unsigned_abs() + 1;
                dates(Some(first - Days::new(days)), before)
            }
        };
        Ok(Some(previous))
    }
}

/// A period's days, inclusive, and the name people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedPeriod {
    /// What was asked for: one of [`PERIOD_NAMES`], or `dates`.
    pub kind: &'static str,
    /// "Autumn term, 2026–27", "Academic year 2025–26", "November 2026".
    pub name: String,
    /// `None` for all time.
    pub first_day: Option<NaiveDate>,
    pub last_day: NaiveDate,
}

impl ResolvedPeriod {
    fn new(kind: &'static str, name: &str, first_day: Option<NaiveDate>, last_day: NaiveDate) -> Self {
        ResolvedPeriod { kind, name: name.to_string(), first_day, last_day }
    }

    /// Ends no later than `today`: a period still running counts what has happened so far.
    fn ending(mut self, today: NaiveDate) -> Self {
        self.last_day = self.last_day.min(today);
        self
    }

    /// The instants it covers in the guild's timezone; `None` for all time.
    pub fn range<Tz: chrono::TimeZone>(&self, tz: &Tz) -> Option<TimeRange> {
        match self.first_day {
            Some(first) => Some(TimeRange::days(tz, first, self.last_day)),
            // All time up to an `until`: the end still counts.
            None if self.kind == "dates" => {
                let end = TimeRange::days(tz, self.last_day, self.last_day).end;
                Some(TimeRange::new(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH, end))
            }
            None => None,
        }
    }

    /// "Autumn term, 2026–27: 1 Sep 2026 to 18 Nov 2026", "All time to 18 Nov 2026",
    /// "1 Oct 2026 to 31 Oct 2026".
    pub fn describe(&self) -> String {
        self.describe_with(str::to_string)
    }

    /// As [`describe`](Self::describe), with the name (from the config) passed through `escape`
    /// for a renderer's markup.
    pub fn describe_with(&self, escape: impl Fn(&str) -> String) -> String {
        self.describe_in(DateStyle::default(), escape)
    }

    /// As [`describe_with`](Self::describe_with), the days written in `dates`.
    pub fn describe_in(&self, dates: DateStyle, escape: impl Fn(&str) -> String) -> String {
        let day = |d| dates.day(d);
        match self.first_day {
            None => format!("{} to {}", escape(&self.name), day(self.last_day)),
            // Dates a person typed are named by their days, in the style of the days.
            Some(first) if self.kind == "dates" => format!("{} to {}", day(first), day(self.last_day)),
            Some(first) => format!("{}: {} to {}", escape(&self.name), day(first), day(self.last_day)),
        }
    }
}

/// A phrase with something in it.
fn given(phrase: Option<&str>) -> Option<&str> {
    phrase.map(str::trim).filter(|p| !p.is_empty())
}

fn day(date: NaiveDate) -> String {
    DateStyle::default().day(date)
}

fn session(
    calendar: &AcademicCalendar,
    kind: SessionKind,
    today: NaiveDate,
) -> Result<DatedSession, PeriodError> {
    calendar.current(kind, today).ok_or_else(|| {
        PeriodError(format!(
            "no {}s are configured (`[academic]` {} in the config); use one of: {}, or dates",
            kind.noun(),
            kind.key(),
            PERIOD_NAMES.iter().filter(|p| **p != kind.noun()).copied().collect::<Vec<_>>().join(", ")
        ))
    })
}

fn named_session(kind: &'static str, calendar: &AcademicCalendar, s: &DatedSession) -> ResolvedPeriod {
    let name = format!("{}, {}", s.name, calendar.year_name(s.year));
    ResolvedPeriod::new(kind, &name, Some(s.first), s.last)
}

fn academic_year(kind: &'static str, calendar: &AcademicCalendar, year: i32) -> ResolvedPeriod {
    let name = format!("Academic year {}", calendar.year_name(year));
    ResolvedPeriod::new(kind, &name, Some(calendar.year_first_day(year)), calendar.year_last_day(year))
}

fn dates(since: Option<NaiveDate>, until: NaiveDate) -> ResolvedPeriod {
    match since {
        Some(first) => {
            let name = format!("{} to {}", day(first), day(until));
            ResolvedPeriod::new("dates", &name, Some(first), until)
        }
        None => ResolvedPeriod::new("dates", "All time", None, until),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::academic::{MonthDay, Session};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn uk() -> AcademicCalendar {
        AcademicCalendar::default()
    }

    fn days(p: &ResolvedPeriod) -> (Option<NaiveDate>, NaiveDate) {
        (p.first_day, p.last_day)
    }

    fn request(
        name: Option<&str>,
        since: Option<&str>,
        until: Option<&str>,
        today: NaiveDate,
    ) -> Result<Period, PeriodError> {
        Period::from_request(name, since, until, today, Period::Term)
    }

    #[test]
    fn each_period_covers_the_days_a_uk_library_expects() {
        let today = d(2026, 11, 28); // a Saturday
        let resolve = |p: Period| p.resolve(&uk(), today).unwrap();
        assert_eq!(days(&resolve(Period::Week)), (Some(d(2026, 11, 23)), today));
        assert_eq!(days(&resolve(Period::Month)), (Some(d(2026, 11, 1)), today));
        assert_eq!(days(&resolve(Period::Term)), (Some(d(2026, 9, 1)), today));
        assert_eq!(days(&resolve(Period::Semester)), (Some(d(2026, 9, 1)), today));
        assert_eq!(days(&resolve(Period::Year)), (Some(d(2026, 9, 1)), today));
        assert_eq!(days(&resolve(Period::LastYear)), (Some(d(2025, 9, 1)), d(2026, 8, 31)));
        assert_eq!(days(&resolve(Period::All)), (None, today));
        assert_eq!(resolve(Period::Term).describe(), "Autumn term, 2026–27: 1 Sep 2026 to 28 Nov 2026");
        assert_eq!(resolve(Period::LastYear).describe(), "Academic year 2025–26: 1 Sep 2025 to 31 Aug 2026");
        assert_eq!(resolve(Period::All).describe(), "All time to 28 Nov 2026");
        assert_eq!(resolve(Period::Month).name, "November 2026");
        let spring = Period::Term.resolve(&uk(), d(2027, 2, 3)).unwrap();
        assert_eq!((spring.name.as_str(), spring.first_day), ("Spring term, 2026–27", Some(d(2027, 1, 1))));
        assert_eq!(Period::Year.resolve(&uk(), d(2027, 5, 3)).unwrap().first_day, Some(d(2026, 9, 1)));
    }

    #[test]
    fn the_previous_period_is_the_whole_one_before() {
        let today = d(2027, 1, 15);
        let previous = |p: Period| p.previous(&uk(), today).unwrap().unwrap();
        let autumn = previous(Period::Term);
        assert_eq!(
            (autumn.name.as_str(), days(&autumn)),
            ("Autumn term, 2026–27", (Some(d(2026, 9, 1)), d(2026, 12, 31)))
        );
        // Semester 1 runs over new year; the one before it is last year's second.
        let s2 = previous(Period::Semester);
        assert_eq!(
            (s2.name.as_str(), days(&s2)),
            ("Semester 2, 2025–26", (Some(d(2026, 2, 1)), d(2026, 8, 31)))
        );
        assert_eq!(days(&previous(Period::Year)), (Some(d(2025, 9, 1)), d(2026, 8, 31)));
        assert_eq!(days(&previous(Period::LastYear)), (Some(d(2024, 9, 1)), d(2025, 8, 31)));
        assert_eq!(days(&previous(Period::Week)), (Some(d(2027, 1, 4)), d(2027, 1, 10)));
        assert_eq!(days(&previous(Period::Month)), (Some(d(2026, 12, 1)), d(2026, 12, 31)));
        assert_eq!(Period::All.previous(&uk(), today).unwrap(), None);
        let october = Period::Dates { since: Some(d(2026, 10, 1)), until: Some(d(2026, 10, 31)) };
        assert_eq!(
            days(&october.previous(&uk(), today).unwrap().unwrap()),
            (Some(d(2026, 8, 31)), d(2026, 9, 30))
        );
        let open = Period::Dates { since: None, until: Some(d(2026, 10, 31)) };
        assert_eq!(open.previous(&uk(), today).unwrap(), None);
    }

    #[test]
    fn leap_days_are_counted() {
        let today = d(2028, 3, 10);
        let february = Period::Month.previous(&uk(), today).unwrap().unwrap();
        assert_eq!(days(&february), (Some(d(2028, 2, 1)), d(2028, 2, 29)));
        // Two days ending on the leap day; the two before them.
        let p = request(None, Some("28 Feb 2028"), Some("29/2/2028"), today).unwrap();
        assert_eq!(days(&p.resolve(&uk(), today).unwrap()), (Some(d(2028, 2, 28)), d(2028, 2, 29)));
        assert_eq!(days(&p.previous(&uk(), today).unwrap().unwrap()), (Some(d(2028, 2, 26)), d(2028, 2, 27)));
        let march_year = AcademicCalendar::new(MonthDay::parse("03-01").unwrap(), vec![], vec![]).unwrap();
        let last = Period::LastYear.resolve(&march_year, today).unwrap();
        assert_eq!(days(&last), (Some(d(2027, 3, 1)), d(2028, 2, 29)));
    }

    #[test]
    fn dates_are_inclusive_and_since_alone_runs_to_today() {
        let today = d(2026, 11, 18); // a Wednesday
        let p = request(None, Some("1 Oct 2026"), Some("31 Oct 2026"), today).unwrap();
        let r = p.resolve(&uk(), today).unwrap();
        assert_eq!(r.describe(), "1 Oct 2026 to 31 Oct 2026");
        let london = chrono_tz::Europe::London;
        let range = r.range(&london).unwrap();
        assert_eq!(range.end.to_rfc3339(), "2026-11-01T00:00:00+00:00", "the whole of 31 October");
        let p = request(None, Some("3 days ago"), None, today).unwrap();
        assert_eq!(days(&p.resolve(&uk(), today).unwrap()), (Some(d(2026, 11, 15)), today));
        // `until: last week` includes that Sunday.
        let p = request(None, Some("1 Nov 2026"), Some("last week"), today).unwrap();
        assert_eq!(p.resolve(&uk(), today).unwrap().last_day, d(2026, 11, 15));
        let p = request(None, None, Some("31 Oct 2026"), today).unwrap();
        let r = p.resolve(&uk(), today).unwrap();
        assert_eq!(r.describe(), "All time to 31 Oct 2026");
        assert_eq!(r.range(&london).unwrap().end.to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(Period::All.resolve(&uk(), today).unwrap().range(&london), None);
        assert_eq!(request(None, None, None, today).unwrap(), Period::Term);
        assert_eq!(request(Some(" Last-Year "), None, Some(" "), today).unwrap(), Period::LastYear);
    }

    #[test]
    fn bad_input_says_what_would_do() {
        let today = d(2026, 11, 18);
        let err = request(Some("fortnight"), None, None, today).unwrap_err().to_string();
        assert_eq!(
            err,
            "\"fortnight\" is not a period; use one of: week, month, term, semester, year, last-year, all, \
             or dates with since and until"
        );
        let err = request(None, Some("the other day"), None, today).unwrap_err().to_string();
        assert!(err.contains("\"the other day\" is not a date") && err.contains("3 Nov 2026"), "{err}");
        let err = request(None, Some("1 Nov 2026"), Some("1 Oct 2026"), today).unwrap_err().to_string();
        assert_eq!(err, "the period starts (1 Nov 2026) after it ends (1 Oct 2026)");
        let err = request(Some("term"), Some("1 Nov 2026"), None, today).unwrap_err().to_string();
        assert!(err.contains("not both"), "{err}");
        let no_terms = AcademicCalendar::new(
            MonthDay::parse("09-01").unwrap(),
            vec![],
            vec![Session::new("S1", MonthDay::parse("09-01").unwrap(), MonthDay::parse("01-31").unwrap())],
        )
        .unwrap();
        let err = Period::Term.resolve(&no_terms, today).unwrap_err().to_string();
        assert!(
            err.starts_with("no terms are configured") && err.contains("semester") && !err.contains(" term,"),
            "{err}"
        );
    }
}
