//! Where a front end gets `now` from. Services never read the time themselves (they take `now`);
//! a front end asks its [`Clock`] once per request: the system's in production, a [`FixedClock`]
//! in tests, so that a whole command runs at a time the test chose.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still where it was set, and moves only when told: for tests.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn at(now: DateTime<Utc>) -> Self {
        FixedClock(Mutex::new(now))
    }

    pub fn set(&self, now: DateTime<Utc>) {
        // A poisoned lock still holds a valid instant: a panic elsewhere cannot half-write one.
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let start = Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap();
        let clock = FixedClock::at(start);
        assert_eq!((clock.now(), clock.now()), (start, start));
        clock.advance(Duration::days(10));
        assert_eq!(clock.now(), start + Duration::days(10));
        clock.set(start);
        assert_eq!(clock.now(), start);
    }
}
