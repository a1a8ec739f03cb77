//! How long a failed send (a digest, a reminder, a hand-off) waits before it is tried again: one
//! schedule for every claim the scheduler retries, so none of them hammers Discord.

use chrono::Duration;

/// The longest wait between retries of a failed send.
pub const MAX_BACKOFF: Duration = Duration::hours(1);

/// One minute after the first failure, doubling, at most [`MAX_BACKOFF`].
pub fn backoff(attempts: u32) -> Duration {
    Duration::minutes(1 << attempts.saturating_sub(1).min(6)).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_a_minute_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(2));
        assert_eq!(backoff(6), Duration::minutes(32));
        assert_eq!(backoff(7), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }
}
