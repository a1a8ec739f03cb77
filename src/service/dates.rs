//! Date phrases turned into the instants the store works with, in the guild's timezone.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

use super::{ServiceError, ServiceResult};
use crate::domain::date_phrase::{parse_date_phrase, DateRole, DateSpan};
use crate::domain::rules::Rules;
use crate::domain::time_range::{start_of_day, TimeRange};

/// A phrase for when something happened: `today` is now; any other day is taken as midday there,
/// since the hour is unknown and midday keeps the instant on that date in every zone around it.
pub fn occurred_at(rules: &Rules, phrase: Option<&str>, now: DateTime<Utc>) -> ServiceResult<DateTime<Utc>> {
    let Some(phrase) = phrase.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(now);
    };
    let today = rules.today(now);
    let span = parse(phrase, today, DateRole::Past)?;
    if span.first == today {
        return Ok(now);
    }
    let at = midday(rules, span.first);
    if at > now + chrono::Duration::days(1) {
        return Err(ServiceError::invalid(format!(
            "\"{phrase}\" is in the future; intel records what already happened"
        )));
    }
    Ok(at)
}

/// A phrase for a due date: today or later.
pub fn due_date(rules: &Rules, phrase: &str, now: DateTime<Utc>) -> ServiceResult<NaiveDate> {
    let today = rules.today(now);
    let span = parse(phrase, today, DateRole::Future)?;
    if span.last < today {
        return Err(ServiceError::invalid(format!("the follow-up date \"{phrase}\" is in the past")));
    }
    Ok(span.last)
}

/// A phrase for an event's day: past or to come (an event is often recorded afterwards), a
/// weekday read as the next one, as events are mostly planned.
pub fn event_day(rules: &Rules, phrase: &str, now: DateTime<Utc>) -> ServiceResult<NaiveDate> {
    Ok(parse(phrase, rules.today(now), DateRole::Future)?.first)
}

/// `since` and `until` phrases as a range of whole days, either end open.
pub fn range(
    rules: &Rules,
    since: Option<&str>,
    until: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<Option<TimeRange>> {
    let since = since.map(str::trim).filter(|p| !p.is_empty());
    let until = until.map(str::trim).filter(|p| !p.is_empty());
    if since.is_none() && until.is_none() {
        return Ok(None);
    }
    let today = rules.today(now);
    let tz = &rules.timezone;
    let start = match since {
        Some(p) => start_of_day(tz, parse(p, today, DateRole::Past)?.first),
        None => DateTime::<Utc>::UNIX_EPOCH,
    };
    let end = match until {
        Some(p) => {
            let last = parse(p, today, DateRole::Past)?.last;
            start_of_day(tz, last.succ_opt().unwrap_or(last))
        }
        None => far_future(),
    };
    if start >= end {
        return Err(ServiceError::invalid("the start date is after the end date"));
    }
    Ok(Some(TimeRange::new(start, end)))
}

fn parse(phrase: &str, today: NaiveDate, role: DateRole) -> ServiceResult<DateSpan> {
    parse_date_phrase(phrase, today, role).map_err(ServiceError::invalid)
}

fn midday(rules: &Rules, day: NaiveDate) -> DateTime<Utc> {
    let noon = day.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon exists"));
    match rules.timezone.from_local_datetime(&noon).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => start_of_day(&rules.timezone, day),
    }
}

/// The open end of a range: far enough for any entry, near enough for every backend's integers.
fn far_future() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(3000, 1, 1, 0, 0, 0).single().expect("a valid date")
}
