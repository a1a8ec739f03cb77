//! The report's charts, drawn as the digest's is: entries per month by formal and informal
//! channel, departments reached, and channels.

use super::summary::ReportSummary;
use super::ReportFile;
use crate::digest::{render_bars, Bar, ChartError};
use crate::domain::channel::ChannelKey;
use crate::domain::rules::Rules;
use crate::domain::stats::Count;
use crate::service::{ServiceError, ServiceResult};

pub const MONTHS_FILE: &str = "entries-per-month.png";
pub const DEPARTMENTS_FILE: &str = "departments.png";
pub const CHANNELS_FILE: &str = "channels.png";

/// More rows than this and the rest share one "others" bar, so the picture stays readable.
const MAX_ROWS: usize = 40;

pub fn draw(rules: &Rules, s: &ReportSummary) -> ServiceResult<Vec<ReportFile>> {
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
    Ok(vec![
        png(MONTHS_FILE, &months, &format!("Entries per month · {period}"), true)?,
        png(DEPARTMENTS_FILE, &departments, &format!("Departments reached · {period}"), false)?,
        png(CHANNELS_FILE, &channels, &format!("Entries by channel · {period}"), true)?,
    ])
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
