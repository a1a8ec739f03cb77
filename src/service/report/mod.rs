//! Reports for a library's annual report: the entries as CSV (the export's columns, or columns a
//! LibInsight dataset imports), PNG charts, and a Markdown summary, over a period or explicit
//! dates, optionally for one department. What a guild keeps private stays out, as in `/stats` and
//! the digest.

pub mod charts;
pub mod entries_csv;
mod highlights;
pub mod model;
pub mod partner;
pub mod scope;
pub mod summary;
pub mod tally;

use chrono::{DateTime, Utc};

use super::{filed_under, privacy, ServiceError, ServiceResult};
use crate::domain::department::Department;
use crate::domain::entry::Entry;
use crate::domain::ids::GuildId;
use crate::domain::partner::PartnerLink;
use crate::domain::period::Period;
use crate::domain::privacy::PrivacySettings;
use crate::domain::rules::Rules;
use crate::store::{EntryFilter, Store};

pub use model::{EventHeld, ImpactStory, ReportSummary};
pub use scope::Scope;

/// The summary's file name.
pub const SUMMARY_FILE: &str = "summary.md";

/// The entries' columns: the export's, or LibInsight's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Csv,
    LibInsight,
}

impl Format {
    pub const NAMES: &'static str = "csv, libinsight";

    pub fn parse(s: &str) -> ServiceResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "libinsight" => Ok(Format::LibInsight),
            other => Err(ServiceError::invalid(format!(
                "\"{other}\" is not a report format; use one of: {}",
                Format::NAMES
            ))),
        }
    }

    /// The entries file's name.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Csv => "entries.csv",
            Format::LibInsight => "entries-libinsight.csv",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub guild: GuildId,
    /// An academic period (this term, last year...) or explicit dates, as `/stats` takes them.
    pub period: Period,
    pub department: Option<Department>,
    /// Only entries about this partner (resolved by the front end, which knows how to say a
    /// name it cannot find).
    pub partner: Option<PartnerLink>,
    pub format: Format,
}

/// One file of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A request resolved against the store: what the report covers, and how many entries that is
/// (for a progress bar).
#[derive(Debug, Clone)]
pub struct Plan {
    pub guild: GuildId,
    pub scope: Scope,
    pub filter: EntryFilter,
    pub department: Option<Department>,
    /// The partner, and its entries `filter` selects, oldest first.
    pub partner: Option<(PartnerLink, Vec<Entry>)>,
    pub format: Format,
    pub privacy: PrivacySettings,
    pub total: u64,
}

pub async fn plan(
    store: &dyn Store,
    rules: &Rules,
    request: &ReportRequest,
    now: DateTime<Utc>,
) -> ServiceResult<Plan> {
    let scope = Scope::resolve(rules, &request.period, now)?;
    let filter = EntryFilter {
        occurred: scope.range,
        department: filed_under::filter(store, rules, request.guild, request.department.as_ref()).await?,
    };
    let (partner, total) = match &request.partner {
        Some(p) => {
            let entries = partner::entries(store, request.guild, p, &filter).await?;
            let total = entries.len() as u64;
            (Some((p.clone(), entries)), total)
        }
        None => (None, store.count_entries(request.guild, &filter).await?),
    };
    Ok(Plan {
        guild: request.guild,
        scope,
        filter,
        department: request.department.clone(),
        partner,
        format: request.format,
        privacy: privacy::settings::current(store, request.guild).await?,
        total,
    })
}

/// Every file of the report: the entries, the charts, the summary. `progress` gets the entries
/// written so far.
pub async fn build(
    store: &dyn Store,
    rules: &Rules,
    plan: &Plan,
    progress: &mut (dyn FnMut(u64) + Send),
) -> ServiceResult<Vec<ReportFile>> {
    // The entries are counted for the summary as they are written, and what is around them is
    // read meanwhile: the reads are the database's work, the file mostly ours (docs/benchmarks.md,
    // "A year's report under 2 s").
    // Sized for the rows the plan counted, so that a year's file is not copied each time it
    // outgrows its buffer (168 MB for 500,000 entries would be copied 150 MB on the way).
    let mut csv = Vec::with_capacity(entries_csv::room_for(plan.total));
    let (around, tally) = tokio::join!(
        summary::around(store, rules, plan),
        entries_csv::write(store, rules, plan, &mut csv, progress)
    );
    let summary = ReportSummary::of(plan, tally?.counts(rules), around?);
    let mut files = vec![ReportFile { name: plan.format.file_name().to_string(), bytes: csv }];
    files.extend(charts::draw(rules, &summary)?);
    files.push(ReportFile { name: SUMMARY_FILE.to_string(), bytes: summary::render(&summary).into_bytes() });
    Ok(files)
}
