//! The academic calendar from `[academic]`: when the year starts, and its terms and semesters.
//!
//! An academic year is named by the calendar year it starts in (2026 is 1 Sep 2026 to 31 Aug 2027
//! by default). Terms and semesters are month-days inside it, kept in the order they fall.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A day of the year without a year, as `MM-DD`. Never 29 February, which most years lack, so a
/// month-day is a date in every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    month: u32,
    day: u32,
}

impl MonthDay {
    pub fn new(month: u32, day: u32) -> Option<Self> {
        // 2027 is not a leap year: 29 February fails here.
        NaiveDate::from_ymd_opt(2027, month, day).map(|_| MonthDay { month, day })
    }

    /// `09-01`, `9-1`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bad = || format!("\"{text}\" is not a month and day as MM-DD (e.g. 09-01)");
        let (m, d) = text.split_once('-').ok_or_else(bad)?;
        let month: u32 = m.trim().parse().map_err(|_| bad())?;
        let day: u32 = d.trim().parse().map_err(|_| bad())?;
        if (month, day) == (2, 29) {
            return Err(format!("\"{text}\": 29 February is not in every year; use 02-28 or 03-01"));
        }
        MonthDay::new(month, day).ok_or_else(bad)
    }

    /// This month-day in `year`. A month-day is in every year; only a year beyond chrono's
    /// range (hundreds of millennia away) could fail, and then chrono's earliest date stands in.
    pub fn in_year(self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, 1, 1))
            .unwrap_or(NaiveDate::MIN)
    }

    fn of(date: NaiveDate) -> (u32, u32) {
        (date.month(), date.day())
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

/// A term or a semester: a name and its first and last days, inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub name: String,
    pub start: MonthDay,
    pub end: MonthDay,
}

impl Session {
    pub fn new(name: &str, start: MonthDay, end: MonthDay) -> Self {
        Session { name: name.trim().to_string(), start, end }
    }
}

/// Terms or semesters: the two lists follow the same rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Term,
    Semester,
}

impl SessionKind {
    /// The `[academic]` key holding this kind.
    pub fn key(self) -> &'static str {
        match self {
            SessionKind::Term => "terms",
            SessionKind::Semester => "semesters",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            SessionKind::Term => "term",
            SessionKind::Semester => "semester",
        }
    }
}

/// One term or semester in one academic year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedSession {
    pub name: String,
    /// The academic year it belongs to, by the calendar year that year starts in.
    pub year: i32,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// A calendar that breaks the rules, with the `[academic]` key to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CalendarError {
    /// `terms` or `semesters`.
    pub key: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcademicCalendar {
    year_start: MonthDay,
    terms: Vec<Session>,
    semesters: Vec<Session>,
}

/// The UK terms liaison always used: autumn (September to December), spring (January to March),
/// summer (April to August); and two semesters that between them cover the whole year, as the
/// terms do: September to January, February to August.
impl Default for AcademicCalendar {
    fn default() -> Self {
        let md = |m, d| MonthDay { month: m, day: d };
        AcademicCalendar {
            year_start: md(9, 1),
            terms: vec![
                Session::new("Autumn term", md(9, 1), md(12, 31)),
                Session::new("Spring term", md(1, 1), md(3, 31)),
                Session::new("Summer term", md(4, 1), md(8, 31)),
            ],
            semesters: vec![
                Session::new("Semester 1", md(9, 1), md(1, 31)),
                Session::new("Semester 2", md(2, 1), md(8, 31)),
            ],
        }
    }
}

impl AcademicCalendar {
    /// Checks that every name is there and unique, and that the sessions of each kind fall
    /// inside one academic year without overlapping. They may leave gaps, and be listed in any
    /// order: they are kept in the order they fall.
    pub fn new(
        year_start: MonthDay,
        terms: Vec<Session>,
        semesters: Vec<Session>,
    ) -> Result<Self, CalendarError> {
        let mut calendar = AcademicCalendar { year_start, terms, semesters };
        for kind in [SessionKind::Term, SessionKind::Semester] {
            calendar.check(kind)?;
        }
        Ok(calendar)
    }

    fn check(&mut self, kind: SessionKind) -> Result<(), CalendarError> {
        let err = |message: String| CalendarError { key: kind.key(), message };
        let noun = kind.noun();
        let year_start = self.year_start;
        let position = |md: MonthDay| position(year_start, md);
        let sessions = match kind {
            SessionKind::Term => &mut self.terms,
            SessionKind::Semester => &mut self.semesters,
        };
        for (i, s) in sessions.iter().enumerate() {
            if s.name.is_empty() {
                return Err(err(format!("{noun} {} has an empty name", i + 1)));
            }
            if sessions[..i].iter().any(|o| o.name.eq_ignore_ascii_case(&s.name)) {
                return Err(err(format!("two {}s are called \"{}\"", noun, s.name)));
            }
            if position(s.start) > position(s.end) {
                return Err(err(format!(
                    "the {noun} \"{}\" runs from {} to {}, across the academic year's start ({year_start}): \
                     each {noun} must fall inside one academic year",
                    s.name, s.start, s.end
                )));
            }
        }
        sessions.sort_by_key(|s| position(s.start));
        for pair in sessions.windows(2) {
            if position(pair[0].end) >= position(pair[1].start) {
                return Err(err(format!(
                    "the {noun}s \"{}\" ({} to {}) and \"{}\" ({} to {}) overlap",
                    pair[0].name, pair[0].start, pair[0].end, pair[1].name, pair[1].start, pair[1].end
                )));
            }
        }
        Ok(())
    }

    pub fn year_start(&self) -> MonthDay {
        self.year_start
    }

    /// In the order they fall in the year.
    pub fn sessions(&self, kind: SessionKind) -> &[Session] {
        match kind {
            SessionKind::Term => &self.terms,
            SessionKind::Semester => &self.semesters,
        }
    }

    /// The academic year holding `date`, by the calendar year it starts in.
    pub fn year_of(&self, date: NaiveDate) -> i32 {
        if MonthDay::of(date) >= (self.year_start.month, self.year_start.day) {
            date.year()
        } else {
            date.year() - 1
        }
    }

    pub fn year_first_day(&self, year: i32) -> NaiveDate {
        self.year_start.in_year(year)
    }

    pub fn year_last_day(&self, year: i32) -> NaiveDate {
        let next = self.year_first_day(year + 1);
        next.pred_opt().unwrap_or(next)
    }

    /// "2026–27", or "2026" where the academic year is the calendar year.
    pub fn year_name(&self, year: i32) -> String {
        if self.year_start == (MonthDay { month: 1, day: 1 }) {
            year.to_string()
        } else {
            format!("{year}–{:02}", (year + 1).rem_euclid(100))
        }
    }

    /// The term or semester holding `today`; between two, the last one that started (the one
    /// just finished is what a person asking about "this term" in a break means).
    pub fn current(&self, kind: SessionKind, today: NaiveDate) -> Option<DatedSession> {
        let year = self.year_of(today);
        // The last session of the year before started before today whatever today is.
        self.dated(kind, year - 1..=year).into_iter().rev().find(|s| s.first <= today)
    }

    /// The term or semester before `session`, perhaps in the academic year before.
    pub fn before(&self, kind: SessionKind, session: &DatedSession) -> Option<DatedSession> {
        self.dated(kind, session.year - 1..=session.year).into_iter().rev().find(|s| s.first < session.first)
    }

    /// Every session of `kind` in `years`, in the order they fall.
    fn dated(&self, kind: SessionKind, years: std::ops::RangeInclusive<i32>) -> Vec<DatedSession> {
        years
            .flat_map(|year| {
                self.sessions(kind).iter().map(move |s| DatedSession {
                    name: s.name.clone(),
                    year,
                    first: self.date_in(year, s.start),
                    last: self.date_in(year, s.end),
                })
            })
            .collect()
    }

    /// The date of `md` inside academic year `year`.
    fn date_in(&self, year: i32, md: MonthDay) -> NaiveDate {
        if md >= self.year_start {
            md.in_year(year)
        } else {
            md.in_year(year + 1)
        }
    }
}

/// Where a month-day falls counting from the year's start: earlier in the year sorts first.
fn position(year_start: MonthDay, md: MonthDay) -> (bool, MonthDay) {
    (md < year_start, md)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn md(text: &str) -> MonthDay {
        MonthDay::parse(text).unwrap()
    }

    fn session(name: &str, start: &str, end: &str) -> Session {
        Session::new(name, md(start), md(end))
    }

    #[test]
    fn month_days_parse_and_29_february_is_refused_with_a_way_out() {
        assert_eq!(md("09-01").to_string(), "09-01");
        assert_eq!(md(" 9-1 ").to_string(), "09-01");
        for bad in ["13-01", "09-31", "September", "0901", "", "09-"] {
            let err = MonthDay::parse(bad).unwrap_err();
            assert!(err.contains("MM-DD"), "{bad}: {err}");
        }
        assert!(MonthDay::parse("02-29").unwrap_err().contains("02-28"));
    }

    #[test]
    fn the_default_terms_are_the_uk_terms_liaison_always_used() {
        let c = AcademicCalendar::default();
        let term = |date| c.current(SessionKind::Term, date).unwrap();
        let autumn = term(d(2026, 11, 28));
        assert_eq!(
            (autumn.name.as_str(), autumn.first, autumn.last),
            ("Autumn term", d(2026, 9, 1), d(2026, 12, 31))
        );
        assert_eq!(term(d(2027, 2, 3)).first, d(2027, 1, 1));
        assert_eq!(term(d(2027, 5, 3)).first, d(2027, 4, 1));
        assert_eq!(term(d(2027, 8, 31)).name, "Summer term");
        assert_eq!(term(d(2027, 9, 1)).name, "Autumn term");
        assert_eq!(c.year_of(d(2027, 5, 3)), 2026);
        assert_eq!(c.year_name(2026), "2026–27");
        assert_eq!(c.year_name(2099), "2099–00");
    }

    #[test]
    fn a_semester_across_new_year_belongs_to_the_year_it_started_in() {
        let c = AcademicCalendar::default();
        let s1 = c.current(SessionKind::Semester, d(2027, 1, 15)).unwrap();
        assert_eq!(
            (s1.name.as_str(), s1.year, s1.first, s1.last),
            ("Semester 1", 2026, d(2026, 9, 1), d(2027, 1, 31))
        );
        let s2 = c.current(SessionKind::Semester, d(2027, 2, 1)).unwrap();
        assert_eq!((s2.name.as_str(), s2.first, s2.last), ("Semester 2", d(2027, 2, 1), d(2027, 8, 31)));
        // Before the first semester of a year comes the last one of the year before.
        let before = c.before(SessionKind::Semester, &s1).unwrap();
        assert_eq!((before.name.as_str(), before.year, before.first), ("Semester 2", 2025, d(2026, 2, 1)));
        assert_eq!(c.before(SessionKind::Semester, &s2).unwrap(), s1);
    }

    #[test]
    fn between_terms_the_last_one_that_started_is_current() {
        let c = AcademicCalendar::new(
            md("08-01"),
            vec![
                session("Michaelmas", "10-05", "12-04"),
                session("Hilary", "01-18", "03-13"),
                session("Trinity", "04-26", "06-19"),
            ],
            vec![],
        )
        .unwrap();
        let term = |date| c.current(SessionKind::Term, date).unwrap();
        assert_eq!(term(d(2026, 12, 25)).name, "Michaelmas");
        assert_eq!(term(d(2027, 4, 1)).name, "Hilary");
        // After the year's start but before its first term: the summer's Trinity, a year back.
        let trinity = term(d(2026, 9, 1));
        assert_eq!((trinity.name.as_str(), trinity.year, trinity.first), ("Trinity", 2025, d(2026, 4, 26)));
        assert_eq!(c.before(SessionKind::Term, &term(d(2026, 10, 5))).unwrap(), trinity);
        assert_eq!(c.current(SessionKind::Semester, d(2026, 9, 1)), None);
    }

    #[test]
    fn the_year_ends_on_the_day_before_the_next_starts_in_leap_years_too() {
        let c = AcademicCalendar::new(md("03-01"), vec![session("Whole", "03-01", "02-28")], vec![]).unwrap();
        assert_eq!(c.year_last_day(2027), d(2028, 2, 29));
        assert_eq!(c.year_last_day(2026), d(2027, 2, 28));
        assert_eq!(c.year_of(d(2028, 2, 29)), 2027);
        // 29 February is after a term ending on the 28th: the term that started still holds it.
        assert_eq!(c.current(SessionKind::Term, d(2028, 2, 29)).unwrap().first, d(2027, 3, 1));
        let calendar_years = AcademicCalendar::new(md("01-01"), vec![], vec![]).unwrap();
        assert_eq!(calendar_years.year_name(2026), "2026");
        assert_eq!(calendar_years.year_of(d(2028, 2, 29)), 2028);
    }

    #[test]
    fn sessions_listed_out_of_order_are_kept_in_the_order_they_fall() {
        let c = AcademicCalendar::new(
            md("09-01"),
            vec![session("Spring", "01-01", "03-31"), session("Autumn", "09-01", "12-31")],
            vec![],
        )
        .unwrap();
        let names: Vec<&str> = c.sessions(SessionKind::Term).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Autumn", "Spring"]);
    }

    #[test]
    fn a_broken_calendar_names_the_key_and_the_session() {
        let check = |terms: Vec<Session>, semesters: Vec<Session>| {
            AcademicCalendar::new(md("09-01"), terms, semesters).unwrap_err()
        };
        let e = check(vec![session("Autumn", "09-01", "12-31"), session("Late", "12-01", "01-31")], vec![]);
        assert_eq!(e.key, "terms");
        assert!(
            e.message.contains("\"Autumn\" (09-01 to 12-31) and \"Late\"") && e.message.contains("overlap"),
            "{e}"
        );
        let e = check(vec![], vec![session("Summer school", "08-01", "09-30")]);
        assert_eq!(e.key, "semesters");
        assert!(
            e.message.contains("\"Summer school\"") && e.message.contains("academic year's start (09-01)"),
            "{e}"
        );
        let e = check(vec![session("  ", "09-01", "12-31")], vec![]);
        assert_eq!(e.message, "term 1 has an empty name");
        let e = check(vec![session("Autumn", "09-01", "12-31"), session("autumn", "01-01", "03-31")], vec![]);
        assert!(e.message.contains("two terms are called \"autumn\""), "{e}");
    }
}
