//! Keeping a flood from slowing everyone down: a per-member rate limit on interactions, and a cap
//! on how many are being answered at once. A member over the limit is refused at once; when the
//! cap is reached a newcomer waits a moment for a place and is then told the bot is busy, because
//! an interaction queued past Discord's 3 seconds is lost anyway.
//!
//! [`RateLimiter`] is pure: the caller passes `now`, so tests step a fixed clock.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::Throttling;

/// Who a limit is counted for: guild and user (0 for a DM's guild).
pub type Member = (u64, u64);

/// A sliding-window limit: at most `limit` admissions per member in any `window`.
///
/// Each member keeps the times of their last `limit` admissions, so memory per member is
/// bounded; members not seen for a window are dropped by a sweep that runs once per window, and
/// past `max_members` the least recently seen are dropped, so a flood of distinct ids cannot
/// grow it without bound either. A dropped member starts afresh, which can only let them in.
#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    max_members: usize,
    seen: HashMap<Member, VecDeque<Instant>>,
    next_sweep: Option<Instant>,
}

impl RateLimiter {
    /// Enough for every member of a busy server to be remembered for a window.
    pub const MAX_MEMBERS: usize = 10_000;

    pub fn new(limit: u32, window: Duration, max_members: usize) -> Self {
        RateLimiter {
            limit: usize::try_from(limit).unwrap_or(usize::MAX).max(1),
            window,
            max_members: max_members.max(1),
            seen: HashMap::new(),
            next_sweep: None,
        }
    }

    /// Counts an interaction of `member` at `now`; `Err(wait)` when they are over the limit, with
    /// how long until one more would be let in. A refusal is not counted, so a member who keeps
    /// pressing is let in again as soon as their oldest admission leaves the window.
    pub fn check(&mut self, member: Member, now: Instant) -> Result<(), Duration> {
        if self.next_sweep.is_none_or(|at| now >= at) {
            self.sweep(now);
            self.next_sweep = Some(now + self.window);
        }
        if !self.seen.contains_key(&member) && self.seen.len() >= self.max_members {
            self.evict_least_recent();
        }
        let times = self.seen.entry(member).or_default();
        while times.front().is_some_and(|&t| now.saturating_duration_since(t) >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.limit {
            let oldest = times.front().copied().unwrap_or(now);
            return Err((oldest + self.window).saturating_duration_since(now));
        }
        times.push_back(now);
        Ok(())
    }

    /// How many members are remembered.
    pub fn members(&self) -> usize {
        self.seen.len()
    }

    fn sweep(&mut self, now: Instant) {
        let window = self.window;
        self.seen.retain(|_, times| times.back().is_some_and(|&t| now.saturating_duration_since(t) < window));
    }

    fn evict_least_recent(&mut self) {
        let least = self.seen.iter().min_by_key(|(_, times)| times.back().copied()).map(|(m, _)| *m);
        if let Some(member) = least {
            self.seen.remove(&member);
        }
    }
}

/// Why an interaction was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This member is over the rate limit; one more is let in after this long.
    SlowDown(Duration),
    /// As many interactions as allowed are being answered already.
    Busy,
}

impl Refusal {
    /// What the person sees, privately.
    pub fn message(self) -> String {
        match self {
            Refusal::SlowDown(wait) => {
                // Whole seconds, rounded up: "try again in 0 s" would be refused again.
                let secs = wait.as_millis().div_ceil(1000).max(1);
                format!("You're going a bit fast: slow down, and try again in {secs} s.")
            }
            Refusal::Busy => "I'm busy answering others: try again in a moment.".to_string(),
        }
    }

    /// The word the log line uses.
    pub fn outcome(self) -> &'static str {
        match self {
            Refusal::SlowDown(_) => "slowed",
            Refusal::Busy => "busy",
        }
    }
}

/// How long an interaction may wait for a place in flight. Places free up in milliseconds, so a
/// short wait turns most of a burst into answers rather than refusals; it is kept short because
/// the deferral (2 s after work starts, in `interaction`) must still reach Discord within 3 s.
const WAIT_FOR_A_PLACE: Duration = Duration::from_millis(500);

/// The bot's gate: the rate limit, then a permit held while the interaction is answered.
pub struct Throttle {
    limiter: Mutex<RateLimiter>,
    in_flight: Arc<Semaphore>,
}

impl Throttle {
    pub fn new(settings: &Throttling) -> Self {
        Throttle {
            limiter: Mutex::new(RateLimiter::new(
                settings.rate_limit,
                settings.rate_window,
                RateLimiter::MAX_MEMBERS,
            )),
            in_flight: Arc::new(Semaphore::new(settings.max_in_flight)),
        }
    }

    /// Lets `member`'s interaction in, holding the returned permit until it is answered, or says
    /// why not. The rate limit comes first, so a member over it does not take a place in flight.
    pub async fn admit(&self, member: Member, now: Instant) -> Result<OwnedSemaphorePermit, Refusal> {
        // A poisoned lock only means a panic elsewhere mid-check; the counts are still usable.
        let checked = self.limiter.lock().unwrap_or_else(|p| p.into_inner()).check(member, now);
        checked.map_err(Refusal::SlowDown)?;
        match tokio::time::timeout(WAIT_FOR_A_PLACE, self.in_flight.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            // Timed out, or the semaphore closed (never: nothing closes it).
            _ => Err(Refusal::Busy),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: Member = (1, 10);
    const BOB: Member = (1, 20);
    const SECOND: Duration = Duration::from_secs(1);

    fn ten_in_ten() -> RateLimiter {
        RateLimiter::new(10, Duration::from_secs(10), 100)
    }

    #[test]
    fn the_eleventh_in_ten_seconds_is_refused_with_the_wait() {
        let mut limiter = ten_in_ten();
        let t0 = Instant::now();
        for i in 0..10 {
            assert_eq!(limiter.check(ALICE, t0 + SECOND * i / 2), Ok(()), "admission {i}");
        }
        // The first was at t0, so one more fits at t0 + 10 s: 5.5 s after t0 + 4.5 s.
        let refused = limiter.check(ALICE, t0 + SECOND * 9 / 2);
        assert_eq!(refused, Err(Duration::from_millis(5500)));
        assert_eq!(
            Refusal::SlowDown(Duration::from_millis(5500)).message(),
            Refusal::SlowDown(SECOND * 6).message()
        );
        assert!(Refusal::SlowDown(Duration::from_millis(5500)).message().contains("try again in 6 s"));
    }

    #[test]
    fn the_window_slides() {
        let mut limiter = ten_in_ten();
        let t0 = Instant::now();
        for i in 0..10 {
            limiter.check(ALICE, t0 + SECOND * i).unwrap();
        }
        assert!(limiter.check(ALICE, t0 + SECOND * 9).is_err());
        assert!(limiter.check(ALICE, t0 + Duration::from_millis(9_999)).is_err());
        // At 10 s the first (t0) has left the window: one place, and only one.
        assert_eq!(limiter.check(ALICE, t0 + SECOND * 10), Ok(()));
        assert_eq!(limiter.check(ALICE, t0 + SECOND * 10), Err(SECOND));
        assert_eq!(limiter.check(ALICE, t0 + SECOND * 11), Ok(()));
    }

    #[test]
    fn refusals_do_not_count() {
        let mut limiter = ten_in_ten();
        let t0 = Instant::now();
        for _ in 0..10 {
            limiter.check(ALICE, t0).unwrap();
        }
        for i in 0..100 {
            assert!(limiter.check(ALICE, t0 + Duration::from_millis(i * 90)).is_err());
        }
        assert_eq!(limiter.check(ALICE, t0 + SECOND * 10), Ok(()));
    }

    #[test]
    fn members_are_independent_and_so_are_guilds() {
        let mut limiter = ten_in_ten();
        let t0 = Instant::now();
        for _ in 0..10 {
            limiter.check(ALICE, t0).unwrap();
        }
        assert!(limiter.check(ALICE, t0).is_err());
        for _ in 0..10 {
            assert_eq!(limiter.check(BOB, t0), Ok(()));
        }
        let alice_elsewhere = (2, ALICE.1);
        assert_eq!(limiter.check(alice_elsewhere, t0), Ok(()));
    }

    #[test]
    fn memory_is_bounded_members_gone_quiet_are_dropped() {
        let mut limiter = RateLimiter::new(10, Duration::from_secs(10), 100);
        let t0 = Instant::now();
        for user in 0..50 {
            limiter.check((1, user), t0).unwrap();
        }
        assert_eq!(limiter.members(), 50);
        // A window later the next check sweeps out everyone not seen since.
        limiter.check(ALICE, t0 + SECOND * 10).unwrap();
        assert_eq!(limiter.members(), 1);

        // A flood of distinct ids within one window stays at the cap, dropping the least recent.
        let t1 = t0 + SECOND * 20;
        for user in 0..1_000 {
            limiter.check((3, user), t1 + Duration::from_millis(user)).unwrap();
        }
        assert_eq!(limiter.members(), 100);
        for _ in 0..9 {
            limiter.check((3, 999), t1 + SECOND).unwrap();
        }
        assert!(limiter.check((3, 999), t1 + SECOND).is_err(), "the most recent is still counted");
    }

    fn settings(rate_limit: u32, max_in_flight: usize) -> Throttling {
        Throttling { rate_limit, rate_window: Duration::from_secs(10), max_in_flight }
    }

    #[tokio::test]
    async fn the_gate_caps_interactions_in_flight_and_a_newcomer_waits_only_a_moment() {
        let throttle = Throttle::new(&settings(100, 2));
        let now = Instant::now();
        let first = throttle.admit(ALICE, now).await.unwrap();
        let _second = throttle.admit(BOB, now).await.unwrap();
        let started = Instant::now();
        assert_eq!(throttle.admit((1, 30), now).await.unwrap_err(), Refusal::Busy);
        assert!(started.elapsed() < Duration::from_secs(2), "refused long before Discord's 3 s");
        // A place freed while a newcomer waits is theirs.
        let release = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            drop(first);
        });
        assert!(throttle.admit((1, 40), now).await.is_ok());
        release.await.unwrap();
    }

    #[tokio::test]
    async fn the_gate_applies_the_rate_limit_before_taking_a_place() {
        let throttle = Throttle::new(&settings(1, 1));
        let now = Instant::now();
        drop(throttle.admit(ALICE, now).await.unwrap());
        let _held = throttle.admit(BOB, now).await.unwrap();
        let started = Instant::now();
        assert!(matches!(throttle.admit(ALICE, now).await, Err(Refusal::SlowDown(_))));
        assert!(started.elapsed() < WAIT_FOR_A_PLACE, "refused at once, without waiting for a place");
    }

    #[test]
    fn refusals_read_as_short_private_answers() {
        assert_eq!(
            Refusal::SlowDown(Duration::from_millis(1)).message(),
            "You're going a bit fast: slow down, and try again in 1 s."
        );
        assert!(Refusal::Busy.message().contains("try again in a moment"));
    }
}
