//! The report's charts, drawn as the digest's is: entries per month by formal and informal
//! channel, departments reached, and channels.

use super::model::ReportSummary;
use super::ReportFile;
use crate::digest::{render_bars, Bar, ChartError};
use crate::domain::channel::ChannelKey;
use crate::domain::privacy::{is_hidden_count, SMALL_COUNT};
use crate::domain::rules::Rules;
use crate::domain::stats::Count;
use crate::service::{ServiceError, ServiceResult};

pub const MONTHS_FILE: &str = "entries-per-month.png";
pub const DEPARTMENTS_FILE: &str = "departments.png";
pub const CHANNELS_FILE: &str = "channels.png";

/// More rows than this and the rest share one "others" bar, so the picture stays readable.
const MAX_ROWS: usize = 40;

pub fn draw(rules: &Rules, s: &ReportSummary) -> ServiceResult<Vec<ReportFile>> {
    let [months, departments, channels] = charts(rules, s);
    Ok(vec![
        png(MONTHS_FILE, &months.1, &months.0, true)?,
        png(DEPARTMENTS_FILE, &departments.1, &departments.0, false)?,
        png(CHANNELS_FILE, &channels.1, &channels.0, true)?,
    ])
}

/// Each chart's title and bars: months, departments, channels.
fn charts(rules: &Rules, s: &ReportSummary) -> [(String, Vec<Bar>); 3] {
    let period = s.scope.label();
    let months: Vec<Bar> = s
        .months
        .iter()
        .map(|m| Bar { label: m.month.format("%b %Y").to_string(), formal: m.formal, informal: m.informal })
        .collect();
    // A channel is formal or informal as configured; one no longer configured counts as formal.
    let channels = capped(&s.by_channel, |c| {
        let informal =
            rules.channels.by_key(&ChannelKey::from_stored(c.key.as_str())).is_some_and(|ch| ch.informal());
        (c.label.clone(), c.count, informal)
    });
    let departments = capped(&s.by_department, |c| (c.label.clone(), c.count, false));
    let (mut months, mut departments, mut channels) = (months, departments, channels);
    let mut titles = [
        format!("Entries per month · {period}"),
        format!("Departments reached · {period}"),
        format!("Entries by channel · {period}"),
    ];
    if s.hide_small_counts {
        // A bar's length tells its count as well as its label does: small ones are not drawn.
        let months_hidden = months.iter_mut().filter(|b| is_small(b)).fold(0, |n, b| {
            b.formal = 0;
            b.informal = 0;
            n + 1
        });
        let departments_hidden = drop_small(&mut departments);
        let channels_hidden = drop_small(&mut channels);
        let hidden =
            [(months_hidden, "months"), (departments_hidden, "departments"), (channels_hidden, "channels")];
        for (title, (hidden, what)) in titles.iter_mut().zip(hidden) {
            if hidden > 0 {
                title.push_str(&format!(" ({hidden} {what} with fewer than {SMALL_COUNT} not drawn)"));
            }
        }
    }
    let [t0, t1, t2] = titles;
    [(t0, months), (t1, departments), (t2, channels)]
}

fn is_small(b: &Bar) -> bool {
    is_hidden_count(true, b.formal + b.informal)
}

/// Leaves out the bars of small counts; how many it left out.
fn drop_small(bars: &mut Vec<Bar>) -> usize {
    let before = bars.len();
    bars.retain(|b| !is_small(b));
    before - bars.len()
}

fn capped(counts: &[Count], bar: impl Fn(&Count) -> (String, u64, bool)) -> Vec<Bar> {
    let make = |c: &Count| {
        let (label, n, informal) = bar(c);
        if informal {
            Bar { label, formal: 0, informal: n }
        } else {
            Bar { label, formal: n, informal: 0 }
        }
    };
    if counts.len() <= MAX_ROWS {
        return counts.iter().map(make).collect();
    }
    let (shown, rest) = counts.split_at(MAX_ROWS - 1);
    let mut out: Vec<Bar> = shown.iter().map(make).collect();
    let others = rest.iter().map(make).fold(
        Bar { label: format!("{} others", rest.len()), formal: 0, informal: 0 },
        |mut acc, b| {
            acc.formal += b.formal;
            acc.informal += b.informal;
            acc
        },
    );
    out.push(others);
    out
}

fn png(name: &str, bars: &[Bar], title: &str, legend: bool) -> ServiceResult<ReportFile> {
    let bytes = render_bars(bars, title, legend).map_err(chart_error)?;
    Ok(ReportFile { name: name.to_string(), bytes })
}

fn chart_error(e: ChartError) -> ServiceError {
    ServiceError::Io(std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::service::report::model::MonthCount;
    use crate::service::report::Scope;

    fn rules() -> Rules {
        use crate::domain::channel::{ChannelCatalogue, ChannelSpec};
        use crate::domain::department::{DepartmentCatalogue, DepartmentSpec};
        use crate::domain::redaction::{RedactionSpec, Redactor};
        let channel =
            |key: &str, informal| ChannelSpec { key: key.into(), name: key.to_uppercase(), informal };
        Rules {
            departments: DepartmentCatalogue::new(vec![DepartmentSpec {
                name: "Law".into(),
                aliases: vec![],
            }])
            .unwrap(),
            channels: ChannelCatalogue::new(vec![channel("desk", false), channel("coffee", true)], "desk")
                .unwrap(),
            redactor: Redactor::new(&RedactionSpec::default()).unwrap(),
            timezone: chrono_tz::Europe::London,
            academic: crate::domain::academic::AcademicCalendar::default(),
        }
    }

    fn summary(hide_small_counts: bool) -> ReportSummary {
        let day = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        let count = |key: &str, n| Count { key: key.into(), label: key.into(), count: n };
        ReportSummary {
            scope: Scope::resolve(
                &rules(),
                &crate::domain::period::Period::Dates { since: Some(day(9)), until: Some(day(10)) },
                chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 28, 12, 0, 0).unwrap(),
            )
            .unwrap(),
            department: None,
            partner: None,
            total: 12,
            informal: 2,
            previous: None,
            by_department: vec![count("Law", 10), count("Music", 2)],
            by_channel: vec![count("desk", 10), count("coffee", 2)],
            partners: vec![],
            follow_ups_closed: 0,
            months: vec![
                MonthCount { month: day(9), formal: 1, informal: 1 },
                MonthCount { month: day(10), formal: 9, informal: 1 },
            ],
            hide_small_counts,
            events: vec![],
            impact: vec![],
        }
    }

    #[test]
    fn informal_channels_are_drawn_informal_and_small_counts_are_not_drawn_where_hidden() {
        let [months, departments, channels] = charts(&rules(), &summary(false));
        assert_eq!(channels.1.iter().map(|b| (b.formal, b.informal)).collect::<Vec<_>>(), [(10, 0), (0, 2)]);
        assert_eq!(departments.1.len(), 2);
        assert_eq!(months.1[0].formal + months.1[0].informal, 2);

        let [months, departments, channels] = charts(&rules(), &summary(true));
        assert_eq!(departments.1.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(), ["Law"]);
        assert!(departments.0.ends_with("(1 departments with fewer than 3 not drawn)"), "{}", departments.0);
        assert_eq!(channels.1.len(), 1);
        assert_eq!((months.1[0].formal, months.1[0].informal), (0, 0), "the month is kept, empty");
        assert_eq!(months.1[1].formal, 9);
    }
}
