//! Export: every field of every entry in a guild (or a period, or a department), as CSV or JSON.

use std::io::Write;

use chrono::{DateTime, Utc};

use super::pages::{for_each_page, Order};
use super::record::{cells, csv_line, push_csv_cells, Record, COLUMNS};
use super::{dates, filed_under, ServiceError, ServiceResult};
use crate::domain::department::Department;
use crate::domain::ids::GuildId;
use crate::domain::rules::Rules;
use crate::store::{EntryFilter, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> ServiceResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => {
                Err(ServiceError::invalid(format!("\"{other}\" is not an export format; use csv or json")))
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub guild: GuildId,
    pub since: Option<String>,
    pub until: Option<String>,
    pub department: Option<Department>,
}

/// Resolves the request's filter; the total tells a progress bar how far there is to go.
pub async fn plan(
    store: &dyn Store,
    rules: &Rules,
    request: &ExportRequest,
    now: DateTime<Utc>,
) -> ServiceResult<(EntryFilter, u64)> {
    let filter = EntryFilter {
        occurred: dates::range(rules, request.since.as_deref(), request.until.as_deref(), now)?,
        department: filed_under::filter(store, rules, request.guild, request.department.as_ref()).await?,
    };
    let total = store.count_entries(request.guild, &filter).await?;
    Ok((filter, total))
}

/// Writes the entries `filter` selects, in id order, calling `progress` with the running count.
pub async fn write(
    store: &dyn Store,
    guild: GuildId,
    filter: &EntryFilter,
    format: Format,
    out: &mut dyn Write,
    progress: &mut (dyn FnMut(u64) + Send),
) -> ServiceResult<u64> {
    match format {
        Format::Csv => {
            out.write_all(csv_line(COLUMNS).as_bytes())?;
            let mut lines = String::new();
            let n = for_each_page(store, guild, filter, Order::Id, progress, |entries| {
                lines.clear();
                for e in entries {
                    // A cell a spreadsheet would run as a formula is neutralised; import undoes it.
                    push_csv_cells(&mut lines, &cells(e));
                }
                out.write_all(lines.as_bytes())?;
                Ok(())
            })
            .await?;
            out.flush()?;
            Ok(n)
        }
        Format::Json => {
            let mut first = true;
            let n = for_each_page(store, guild, filter, Order::Id, progress, |entries| {
                for e in entries {
                    out.write_all(if first { b"[\n  " } else { b",\n  " })?;
                    first = false;
                    serde_json::to_writer(&mut *out, &Record::from(e)).map_err(std::io::Error::other)?;
                }
                Ok(())
            })
            .await?;
            out.write_all(if first { b"[]\n" } else { b"\n]\n" })?;
            out.flush()?;
            Ok(n)
        }
    }
}
