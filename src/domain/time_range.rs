//! Half-open instants ranges, the currency between date phrases, the store and the digest.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// `[start, end)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl TimeRange {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        TimeRange { start, end }
    }

    /// From the start of `first` to the end of `last` (inclusive days) in `tz`.
    pub fn days<Tz: TimeZone>(tz: &Tz, first: NaiveDate, last: NaiveDate) -> Self {
        TimeRange { start: start_of_day(tz, first), end: start_of_day(tz, last.succ_opt().unwrap_or(last)) }
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }
}

/// The first instant of `day` in `tz`. A day that starts inside a DST gap (it happens: some zones
/// switch at midnight) starts at the first valid instant after it.
pub fn start_of_day<Tz: TimeZone>(tz: &Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut t = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    for _ in 0..(24 * 4) {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.with_timezone(&Utc);
        }
        t += chrono::Duration::minutes(15);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::London;

    #[test]
    fn a_london_summer_day_starts_at_23_utc() {
        let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let r = TimeRange::days(&London, d, d);
        assert_eq!(r.start.to_rfc3339(), "2026-06-30T23:00:00+00:00");
        assert_eq!(r.end.to_rfc3339(), "2026-07-01T23:00:00+00:00");
        assert!(r.contains(r.start) && !r.contains(r.end));
    }

    #[test]
    fn a_day_starting_in_a_gap_starts_after_it() {
        // America/Santiago springs forward at midnight.
        let tz = chrono_tz::America::Santiago;
        let d = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let start = start_of_day(&tz, d);
        assert_eq!(start.with_timezone(&tz).date_naive(), d);
    }
}
