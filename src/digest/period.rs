//! The period a digest covers, with the label people read ("Week 47, 16–22 Nov 2026").

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::domain::time_range::TimeRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestPeriod {
    pub range: TimeRange,
    pub label: String,
}

impl DigestPeriod {
    pub fn new(range: TimeRange, label: impl Into<String>) -> Self {
        DigestPeriod { range, label: label.into() }
    }

    /// ISO week `week` of `year` (Monday to Sunday) in `tz`; `None` if that week does not exist.
    pub fn iso_week(tz: &Tz, year: i32, week: u32) -> Option<Self> {
        let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
        let sunday = monday + Duration::days(6);
        let label = format!("Week {week}, {}", span(monday, sunday));
        Some(DigestPeriod { range: TimeRange::days(tz, monday, sunday), label })
    }

    /// The last whole ISO week before `now` in `tz`: what a Monday digest covers.
    pub fn week_before(now: DateTime<Utc>, tz: &Tz) -> Self {
        let last_week = now.with_timezone(tz).date_naive() - Duration::days(7);
        let iso = last_week.iso_week();
        // The week of a real date always exists; the fallback only satisfies the type.
        Self::iso_week(tz, iso.year(), iso.week()).unwrap_or_else(|| {
            let range = TimeRange::days(tz, last_week, last_week + Duration::days(6));
            DigestPeriod { range, label: span(last_week, last_week + Duration::days(6)) }
        })
    }
}

/// "16–22 Nov 2026", "26 Jan – 1 Feb 2026", "29 Dec 2025 – 4 Jan 2026".
pub(super) fn span(first: NaiveDate, last: NaiveDate) -> String {
    crate::domain::date_style::DateStyle::default().span(first, last)
}

/// `TimeRange` has no serde of its own; JSON readers want the two instants and the label.
impl Serialize for DigestPeriod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("DigestPeriod", 3)?;
        st.serialize_field("start", &self.range.start)?;
        st.serialize_field("end", &self.range.end)?;
        st.serialize_field("label", &self.label)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::London;

    #[test]
    fn labels_read_naturally_across_months_and_years() {
        assert_eq!(DigestPeriod::iso_week(&London, 2026, 47).unwrap().label, "Week 47, 16–22 Nov 2026");
        assert_eq!(DigestPeriod::iso_week(&London, 2026, 5).unwrap().label, "Week 5, 26 Jan – 1 Feb 2026");
        assert_eq!(
            DigestPeriod::iso_week(&London, 2026, 1).unwrap().label,
            "Week 1, 29 Dec 2025 – 4 Jan 2026"
        );
        assert!(DigestPeriod::iso_week(&London, 2026, 54).is_none());
    }

    #[test]
    fn a_monday_morning_covers_the_week_before_in_local_time() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let p = DigestPeriod::week_before(now, &London);
        assert_eq!(p.label, "Week 47, 16–22 Nov 2026");
        assert_eq!(p.range.start, Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap());
        assert_eq!(p.range.end, Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap());
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["label"], "Week 47, 16–22 Nov 2026");
        assert_eq!(json["start"], "2026-11-16T00:00:00Z");
    }
}
