//! When a guild's digest is due: a weekday and a wall-clock time in an IANA timezone, turned into
//! instants, across daylight-saving changes in both directions.
//!
//! Pure functions of `now`, so the scheduler (and its tests) can be driven by any clock.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::period::DigestPeriod;
use crate::domain::date_style::DateStyle;
use crate::domain::time_range::{start_of_day, TimeRange};

/// A weekly posting time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub weekday: Weekday,
    pub time: NaiveTime,
    pub timezone: Tz,
}

/// One scheduled post: when it is due and the period it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub due_at: DateTime<Utc>,
    /// The seven local days before the posting day.
    pub period: TimeRange,
    /// The local date of the period's first day: with the guild, what identifies a digest, so
    /// that it is claimed (and posted) once.
    pub period_start: NaiveDate,
}

impl Schedule {
    /// The post of the week (Monday to Sunday) that holds local date `day`.
    pub fn in_week_of(&self, day: NaiveDate) -> Occurrence {
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let post_day = monday + Duration::days(i64::from(self.weekday.num_days_from_monday()));
        let period_start = post_day - Duration::days(7);
        Occurrence {
            due_at: local_instant(&self.timezone, post_day, self.time),
            period: TimeRange::days(&self.timezone, period_start, post_day - Duration::days(1)),
            period_start,
        }
    }

    /// The latest post due at or before `now`.
    pub fn latest_due(&self, now: DateTime<Utc>) -> Occurrence {
        let today = now.with_timezone(&self.timezone).date_naive();
        let this_week = self.in_week_of(today);
        if this_week.due_at <= now {
            this_week
        } else {
            self.in_week_of(today - Duration::days(7))
        }
    }

    /// The first post due after `now`.
    pub fn next_due(&self, now: DateTime<Utc>) -> Occurrence {
        let today = now.with_timezone(&self.timezone).date_naive();
        let this_week = self.in_week_of(today);
        if this_week.due_at > now {
            this_week
        } else {
            self.in_week_of(today + Duration::days(7))
        }
    }
}

impl Occurrence {
    /// The period with a label people read ("Week 47, 16–22 Nov 2026").
    pub fn digest_period(&self) -> DigestPeriod {
        self.digest_period_in(DateStyle::default())
    }

    /// As [`digest_period`](Self::digest_period), its days written in `dates` ("Week 47, Nov
    /// 16–22, 2026" for en-US).
    pub fn digest_period_in(&self, dates: DateStyle) -> DigestPeriod {
        let last = self.period_start + Duration::days(6);
        let label =
            format!("Week {}, {}", self.period_start.iso_week().week(), dates.span(self.period_start, last));
        DigestPeriod::new(self.period, label)
    }
}

/// `time` on local `day` in `tz`. In the hour that a spring-forward skips, the next valid minute;
/// in the hour that a fall-back repeats, the first of the two.
pub fn local_instant(tz: &Tz, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let mut local = day.and_time(time);
    // A gap is at most a few hours (usually one); step a minute at a time to its end.
    for _ in 0..(24 * 60) {
        if let Some(t) = tz.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
        local += Duration::minutes(1);
    }
    start_of_day(tz, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::London;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn monday_nine_in_london_follows_the_clock_change() {
        let s = Schedule { weekday: Weekday::Mon, time: t(9, 0), timezone: London };
        // Summer time: 09:00 BST is 08:00 UTC; after the October change, 09:00 GMT is 09:00 UTC.
        assert_eq!(s.in_week_of(d(2026, 10, 19)).due_at, utc("2026-10-19T08:00:00Z"));
        assert_eq!(s.in_week_of(d(2026, 10, 26)).due_at, utc("2026-10-26T09:00:00Z"));
        assert_eq!(s.in_week_of(d(2027, 3, 29)).due_at, utc("2027-03-29T08:00:00Z"));
    }

    #[test]
    fn a_time_the_spring_forward_skips_runs_at_the_next_valid_minute() {
        // London: 2027-03-28 01:00 GMT jumps to 02:00 BST.
        let s = Schedule { weekday: Weekday::Sun, time: t(1, 30), timezone: London };
        assert_eq!(s.in_week_of(d(2027, 3, 28)).due_at, utc("2027-03-28T01:00:00Z"));
        // New York: 2027-03-14 02:00 EST jumps to 03:00 EDT.
        let s = Schedule { weekday: Weekday::Sun, time: t(2, 30), timezone: New_York };
        assert_eq!(s.in_week_of(d(2027, 3, 14)).due_at, utc("2027-03-14T07:00:00Z"));
    }

    #[test]
    fn a_time_the_fall_back_repeats_runs_once_at_the_first() {
        // London: 2026-10-25 01:30 happens at 00:30 UTC (BST) and 01:30 UTC (GMT).
        let s = Schedule { weekday: Weekday::Sun, time: t(1, 30), timezone: London };
        assert_eq!(s.in_week_of(d(2026, 10, 25)).due_at, utc("2026-10-25T00:30:00Z"));
        // New York: 2026-11-01 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
        let s = Schedule { weekday: Weekday::Sun, time: t(1, 30), timezone: New_York };
        assert_eq!(s.in_week_of(d(2026, 11, 1)).due_at, utc("2026-11-01T05:30:00Z"));
        // Whichever instant `now` is in the repeated hour, the latest due post is that one.
        assert_eq!(s.latest_due(utc("2026-11-01T06:45:00Z")).due_at, utc("2026-11-01T05:30:00Z"));
    }

    #[test]
    fn the_period_is_the_seven_local_days_before_the_post() {
        let s = Schedule { weekday: Weekday::Mon, time: t(9, 0), timezone: London };
        let o = s.latest_due(utc("2026-11-23T09:00:00Z"));
        assert_eq!(o.period_start, d(2026, 11, 16));
        assert_eq!(o.period.start, utc("2026-11-16T00:00:00Z"));
        assert_eq!(o.period.end, utc("2026-11-23T00:00:00Z"));
        assert_eq!(o.digest_period().label, "Week 47, 16–22 Nov 2026");
        // Across the October change the period is 7 local days, 169 hours long.
        let o = s.in_week_of(d(2026, 10, 26));
        assert_eq!(o.period.end - o.period.start, Duration::hours(169));
    }

    #[test]
    fn latest_and_next_due_step_over_the_posting_instant() {
        let s = Schedule { weekday: Weekday::Mon, time: t(9, 0), timezone: London };
        let before = utc("2026-11-23T08:59:00Z");
        let at = utc("2026-11-23T09:00:00Z");
        assert_eq!(s.latest_due(before).due_at, utc("2026-11-16T09:00:00Z"));
        assert_eq!(s.latest_due(at).due_at, at);
        assert_eq!(s.next_due(before).due_at, at);
        assert_eq!(s.next_due(at).due_at, utc("2026-11-30T09:00:00Z"));
    }
}
