//! The days a report covers, and the period of the same length just before them.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};

use crate::domain::period::{Period, ResolvedPeriod};
use crate::domain::rules::Rules;
use crate::domain::time_range::TimeRange;
use crate::service::{ServiceError, ServiceResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// `None` when the report runs from the first entry.
    pub first_day: Option<NaiveDate>,
    pub last_day: NaiveDate,
    /// What the store filters on; `None` for all time.
    pub range: Option<TimeRange>,
    /// "Autumn term, 2026–27: 1 Sep 2026 to 18 Nov 2026", "1 Oct 2026 to 31 Oct 2026".
    label: String,
    /// What it is compared with.
    previous: Option<ResolvedPeriod>,
}

impl Scope {
    /// The days `period` covers today (an academic period from the config's calendar, or
    /// explicit dates), and the period it is compared with: the one before it (the previous term,
    /// academic year...), or as many days just before explicit dates. A period still running is
    /// compared with as many days of the one before, from its start: this year so far against
    /// last year to the same point, not against the whole of it.
    pub fn resolve(rules: &Rules, period: &Period, now: DateTime<Utc>) -> ServiceResult<Scope> {
        let today = rules.today(now);
        let current = period.resolve(&rules.academic, today).map_err(ServiceError::invalid)?;
        let previous = period.previous(&rules.academic, today).map_err(ServiceError::invalid)?;
        let running =
            matches!(period, Period::Week | Period::Month | Period::Term | Period::Semester | Period::Year)
                && current.last_day == today;
        let previous = match (previous, current.first_day) {
            (Some(mut before), Some(first)) if running => {
                if let Some(start) = before.first_day {
                    before.last_day = before.last_day.min(start + (current.last_day - first));
                }
                Some(before)
            }
            (before, _) => before,
        };
        Ok(Scope::of(&current, &rules.timezone, previous))
    }

    fn of(period: &ResolvedPeriod, tz: &chrono_tz::Tz, previous: Option<ResolvedPeriod>) -> Scope {
        Scope {
            first_day: period.first_day,
            last_day: period.last_day,
            range: period.range(tz),
            label: period.describe(),
            previous,
        }
    }

    /// The period it is compared with; `None` for all time.
    pub fn previous(&self, rules: &Rules) -> Option<Scope> {
        self.previous.as_ref().map(|before| Scope::of(before, &rules.timezone, None))
    }

    /// What the report covers, as people read it.
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// Months charted at most: a longer report charts its latest ones.
const MAX_MONTHS: usize = 36;

/// All time up to the end of `last_day`.
pub(super) fn everything(rules: &Rules, last_day: NaiveDate) -> TimeRange {
    let end = TimeRange::days(&rules.timezone, last_day, last_day).end;
    TimeRange::new(chrono::DateTime::UNIX_EPOCH, end)
}

/// Each calendar month the scope touches (the latest [`MAX_MONTHS`]; a scope from the first entry
/// charts the twelve months to its end), with the scope's days of it.
pub(super) fn months_of(rules: &Rules, scope: &Scope) -> Vec<(NaiveDate, TimeRange)> {
    let month_start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let last_month = month_start(scope.last_day);
    let first = scope.first_day.unwrap_or_else(|| last_month - Months::new(11));
    let mut out = Vec::new();
    let mut month = month_start(first);
    while month <= last_month {
        let next = month + Months::new(1);
        let from = first.max(month);
        let to = scope.last_day.min(next.pred_opt().unwrap_or(next));
        out.push((month, TimeRange::days(&rules.timezone, from, to)));
        month = next;
    }
    let skip = out.len().saturating_sub(MAX_MONTHS);
    out.split_off(skip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rules() -> Rules {
        use crate::domain::academic::AcademicCalendar;
        use crate::domain::channel::{ChannelCatalogue, ChannelSpec};
        use crate::domain::department::{DepartmentCatalogue, DepartmentSpec};
        use crate::domain::redaction::{RedactionSpec, Redactor};
        let channel = ChannelSpec { key: "desk".into(), name: "Enquiry desk".into(), informal: false };
        Rules {
            departments: DepartmentCatalogue::new(vec![DepartmentSpec {
                name: "Law".into(),
                aliases: vec![],
            }])
            .unwrap(),
            channels: ChannelCatalogue::new(vec![channel], "desk").unwrap(),
            redactor: Redactor::new(&RedactionSpec::default()).unwrap(),
            timezone: chrono_tz::Europe::London,
            academic: AcademicCalendar::default(),
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn days(s: &Scope) -> (Option<NaiveDate>, NaiveDate) {
        (s.first_day, s.last_day)
    }

    fn asked(period: Option<&str>, since: Option<&str>, until: Option<&str>, today: NaiveDate) -> Period {
        Period::from_request(period, since, until, today, Period::Year).unwrap()
    }

    #[test]
    fn explicit_dates_cover_whole_days_and_the_previous_scope_is_as_long() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let period = asked(None, Some("2025-09-01"), Some("2026-08-31"), d(2026, 11, 28));
        let s = Scope::resolve(&rules(), &period, now).unwrap();
        assert_eq!(days(&s), (Some(d(2025, 9, 1)), d(2026, 8, 31)));
        assert_eq!(s.label(), "1 Sep 2025 to 31 Aug 2026");
        let p = s.previous(&rules()).unwrap();
        assert_eq!(days(&p), (Some(d(2024, 9, 1)), d(2025, 8, 31)));
    }

    #[test]
    fn a_running_period_is_compared_with_the_same_days_of_the_one_before() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let year = Scope::resolve(&rules(), &asked(None, None, None, d(2026, 11, 28)), now).unwrap();
        assert_eq!(days(&year), (Some(d(2026, 9, 1)), d(2026, 11, 28)));
        assert_eq!(year.label(), "Academic year 2026–27: 1 Sep 2026 to 28 Nov 2026");
        assert_eq!(days(&year.previous(&rules()).unwrap()), (Some(d(2025, 9, 1)), d(2025, 11, 28)));
        // A whole year is compared with the whole year before it.
        let last =
            Scope::resolve(&rules(), &asked(Some("last-year"), None, None, d(2026, 11, 28)), now).unwrap();
        assert_eq!(days(&last), (Some(d(2025, 9, 1)), d(2026, 8, 31)));
        assert_eq!(days(&last.previous(&rules()).unwrap()), (Some(d(2024, 9, 1)), d(2025, 8, 31)));
        // The autumn term so far against the summer term's first days.
        let term = Scope::resolve(&rules(), &asked(Some("term"), None, None, d(2026, 11, 28)), now).unwrap();
        assert_eq!(days(&term), (Some(d(2026, 9, 1)), d(2026, 11, 28)));
        assert_eq!(days(&term.previous(&rules()).unwrap()), (Some(d(2026, 4, 1)), d(2026, 6, 28)));
        let all = Scope::resolve(&rules(), &Period::All, now).unwrap();
        assert_eq!((all.range, all.previous(&rules())), (None, None));
    }
}
