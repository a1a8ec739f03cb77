//! Statistics: the numbers a library can put in its reports.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::{ServiceError, ServiceResult};
use crate::domain::ids::GuildId;
use crate::domain::rules::Rules;
use crate::domain::stats::{Count, CountBy};
use crate::domain::time_range::TimeRange;
use crate::store::{EntryFilter, Store};

/// A reporting period, always ending today (in the guild's timezone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// This week, Monday to today.
    Week,
    /// This calendar month.
    Month,
    /// This UK university term: autumn (September to December), spring (January to March),
    /// summer (April to August).
    Term,
    /// This academic year, from 1 September.
    Year,
    All,
}

impl Period {
    pub const NAMES: &'static str = "week, month, term, year, all";

    pub fn parse(s: &str) -> ServiceResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            "term" => Ok(Period::Term),
            "year" => Ok(Period::Year),
            "all" => Ok(Period::All),
            other => Err(ServiceError::invalid(format!(
                "\"{other}\" is not a period; use one of: {}",
                Period::NAMES
            ))),
        }
    }

    /// The first day of the period containing `today`; `None` for all time.
    pub fn first_day(self, today: NaiveDate) -> Option<NaiveDate> {
        let ymd = |y, m| NaiveDate::from_ymd_opt(y, m, 1);
        match self {
            Period::Week => Some(today - Duration::days(i64::from(today.weekday().num_days_from_monday()))),
            Period::Month => ymd(today.year(), today.month()),
            Period::Term => match today.month() {
                1..=3 => ymd(today.year(), 1),
                4..=8 => ymd(today.year(), 4),
                _ => ymd(today.year(), 9),
            },
            Period::Year if today.month() >= 9 => ymd(today.year(), 9),
            Period::Year => ymd(today.year() - 1, 9),
            Period::All => None,
        }
    }
}

/// Counts over one period, largest first in each list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub period: Period,
    /// First and last day covered; `None` for all time.
    pub first_day: Option<NaiveDate>,
    pub last_day: NaiveDate,
    pub department: Option<String>,
    pub total: u64,
    pub by_department: Vec<Count>,
    pub by_channel: Vec<Count>,
    pub by_formality: Vec<Count>,
    pub by_author: Vec<Count>,
}

impl Stats {
    /// The share of entries that came through informal channels, 0 to 1.
    pub fn informal_share(&self) -> f64 {
        let informal = self.by_formality.iter().find(|c| c.key == "informal").map_or(0, |c| c.count);
        if self.total == 0 {
            0.0
        } else {
            informal as f64 / self.total as f64
        }
    }
}

pub async fn stats(
    store: &dyn Store,
    rules: &Rules,
    guild: GuildId,
    period: Period,
    department: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<Stats> {
    let today = rules.today(now);
    let first_day = period.first_day(today);
    let department = match department.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(rules.departments.resolve(d).map_err(ServiceError::invalid)?.name.clone()),
        None => None,
    };
    let filter = EntryFilter {
        occurred: first_day.map(|first| TimeRange::days(&rules.timezone, first, today)),
        department: department.clone(),
    };
    let by_department = store.counts(guild, &filter, CountBy::Department).await?;
    let mut by_channel = store.counts(guild, &filter, CountBy::Channel).await?;
    // Channel keys are for machines; people read the configured names.
    for count in &mut by_channel {
        if let Some(channel) = rules.channels.get(&count.key) {
            count.label = channel.name.clone();
        }
    }
    Ok(Stats {
        period,
        first_day,
        last_day: today,
        total: by_department.iter().map(|c| c.count).sum(),
        by_department,
        by_channel,
        by_formality: store.counts(guild, &filter, CountBy::Formality).await?,
        by_author: store.counts(guild, &filter, CountBy::Author).await?,
        department,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_start_where_a_uk_library_expects() {
        let today = d(2026, 11, 28); // a Saturday
        assert_eq!(Period::Week.first_day(today), Some(d(2026, 11, 23)));
        assert_eq!(Period::Month.first_day(today), Some(d(2026, 11, 1)));
        assert_eq!(Period::Term.first_day(today), Some(d(2026, 9, 1)));
        assert_eq!(Period::Year.first_day(today), Some(d(2026, 9, 1)));
        assert_eq!(Period::Term.first_day(d(2027, 2, 3)), Some(d(2027, 1, 1)));
        assert_eq!(Period::Term.first_day(d(2027, 5, 3)), Some(d(2027, 4, 1)));
        assert_eq!(Period::Year.first_day(d(2027, 5, 3)), Some(d(2026, 9, 1)));
        assert_eq!(Period::All.first_day(today), None);
    }

    #[test]
    fn an_unknown_period_lists_the_known_ones() {
        let err = Period::parse("fortnight").unwrap_err().to_string();
        assert!(err.contains("week, month, term, year, all"), "{err}");
        assert_eq!(Period::parse(" Term ").unwrap(), Period::Term);
    }
}
