//! What capturing an entry is checked against: the guild's catalogues, redaction and timezone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::academic::AcademicCalendar;
use super::channel::ChannelCatalogue;
use super::department::DepartmentCatalogue;
use super::redaction::Redactor;

/// Built once from the config and shared by every front end.
#[derive(Debug, Clone)]
pub struct Rules {
    pub departments: DepartmentCatalogue,
    pub channels: ChannelCatalogue,
    pub redactor: Redactor,
    /// Date phrases, due dates and week boundaries are read in this zone.
    pub timezone: Tz,
    /// The academic year, terms and semesters that reporting periods are read against.
    pub academic: AcademicCalendar,
}

impl Rules {
    /// The calendar date at `now` in the configured timezone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.timezone).date_naive()
    }
}
