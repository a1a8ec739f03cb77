//! The days a report covers, and the period of the same length just before them.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::rules::Rules;
use crate::domain::time_range::TimeRange;
use crate::service::stats::Period;
use crate::service::{dates, ServiceError, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// `None` when the report runs from the first entry.
    pub first_day: Option<NaiveDate>,
    pub last_day: NaiveDate,
    /// What the store filters on; `None` for all time.
    pub range: Option<TimeRange>,
}

impl Scope {
    /// A period ending today, or `since`/`until` phrases (either end open); this academic year
    /// when none is given.
    pub fn resolve(
        rules: &Rules,
        period: Option<Period>,
        since: Option<&str>,
        until: Option<&str>,
        now: DateTime<Utc>,
    ) -> ServiceResult<Scope> {
        let given = |p: Option<&str>| p.is_some_and(|p| !p.trim().is_empty());
        let today = rules.today(now);
        if period.is_some() && (given(since) || given(until)) {
            return Err(ServiceError::invalid("give either a period or since/until dates, not both"));
        }
        if !given(since) && !given(until) {
            let period = period.unwrap_or(Period::Year);
            let first_day = period.first_day(today);
            return Ok(Scope {
                first_day,
                last_day: today,
                range: first_day.map(|f| TimeRange::days(&rules.timezone, f, today)),
            });
        }
        let Some(range) = dates::range(rules, since, until, now)? else {
            return Err(ServiceError::invalid("give a period or since/until dates"));
        };
        let tz = &rules.timezone;
        let first_day = given(since).then(|| range.start.with_timezone(tz).date_naive());
        let last_day = if given(until) {
            (range.end - Duration::milliseconds(1)).with_timezone(tz).date_naive()
        } else {
            today
        };
        Ok(Scope { first_day, last_day, range: Some(range) })
    }

    /// The same number of days just before this scope; `None` for all time.
    pub fn previous(&self, rules: &Rules) -> Option<Scope> {
        let first = self.first_day?;
        let days = (self.last_day - first).num_days();
        let last_day = first.pred_opt()?;
        let first_day = last_day - Duration::days(days);
        Some(Scope {
            first_day: Some(first_day),
            last_day,
            range: Some(TimeRange::days(&rules.timezone, first_day, last_day)),
        })
    }

    /// "1 Sep 2025 to 31 Aug 2026", or "until 31 Aug 2026".
    pub fn label(&self) -> String {
        let day = |d: NaiveDate| d.format("%-d %b %Y").to_string();
        match self.first_day {
            Some(first) => format!("{} to {}", day(first), day(self.last_day)),
            None => format!("until {}", day(self.last_day)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rules() -> Rules {
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
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn explicit_dates_cover_whole_days_and_the_previous_scope_is_as_long() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let s = Scope::resolve(&rules(), None, Some("2025-09-01"), Some("2026-08-31"), now).unwrap();
        assert_eq!((s.first_day, s.last_day), (Some(d(2025, 9, 1)), d(2026, 8, 31)));
        let p = s.previous(&rules()).unwrap();
        assert_eq!((p.first_day, p.last_day), (Some(d(2024, 9, 1)), d(2025, 8, 31)));
        assert_eq!(s.label(), "1 Sep 2025 to 31 Aug 2026");
    }

    #[test]
    fn a_period_and_dates_together_are_refused() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let err = Scope::resolve(&rules(), Some(Period::Year), Some("2025-09-01"), None, now).unwrap_err();
        assert!(err.to_string().contains("not both"), "{err}");
        let year = Scope::resolve(&rules(), None, None, None, now).unwrap();
        assert_eq!((year.first_day, year.last_day), (Some(d(2026, 9, 1)), d(2026, 11, 28)));
    }
}
