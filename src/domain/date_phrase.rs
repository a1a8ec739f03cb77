//! Date phrases people type: `today`, `monday`, `3 days ago`, `last week`, `3 Nov`, `3/11/2026`.

use chrono::NaiveDate;

/// Which way an ambiguous phrase leans: `monday` is the last Monday for when something happened
/// or a search bound, the next Monday for a due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRole {
    Past,
    Future,
}

/// The days a phrase names, inclusive: one day for most phrases, Monday to Sunday for
/// `last week` / `this week`. Callers take `first` for a start or a moment, `last` for an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// The accepted forms, shown whenever a phrase is not understood.
pub const ACCEPTED_FORMS: &str = "today, yesterday, tomorrow, a weekday (monday), N days ago, in N days, \
last week, this week, 2026-11-03, 3 Nov, 3 Nov 2026, 3/11/2026";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{input}\" is not a date I understand; try one of: {ACCEPTED_FORMS}")]
pub struct DatePhraseError {
    pub input: String,
}

/// `today` is the current date in the configured timezone.
pub fn parse_date_phrase(input: &str, today: NaiveDate, role: DateRole) -> Result<DateSpan, DatePhraseError> {
    todo!("{input} {today} {role:?}")
}
