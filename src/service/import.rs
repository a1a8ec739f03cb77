//! Import: the CSV that export writes, validated whole before anything is stored.

use std::collections::HashSet;
use std::io::Read;

use super::record::{Record, COLUMNS};
use super::{ServiceError, ServiceResult};
use crate::domain::entry::Entry;
use crate::domain::ids::EntryId;
use crate::domain::rules::Rules;
use crate::store::Store;

/// How many bad rows an error lists before it only counts the rest.
const MAX_LISTED: usize = 20;

/// Reads and validates every row; returns the entries only if all of them are good, otherwise an
/// error that lists the bad rows by line number. `progress` gets the running row count.
pub async fn read(
    store: &dyn Store,
    rules: &Rules,
    input: impl Read,
    progress: &mut dyn FnMut(u64),
) -> ServiceResult<Vec<Entry>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let headers =
        reader.headers().map_err(|e| ServiceError::invalid(format!("cannot read the CSV header: {e}")))?;
    let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| !headers.iter().any(|h| h == *c)).collect();
    if !missing.is_empty() {
        return Err(ServiceError::invalid(format!(
            "the CSV lacks the columns {}; import reads the CSV that `liaison export --format csv` writes",
            missing.join(", ")
        )));
    }

    let headers = headers.clone();
    let mut entries = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    let mut row = csv::StringRecord::new();
    loop {
        let n = entries.len() + problems.len();
        if n.is_multiple_of(1000) {
            progress(n as u64);
        }
        match reader.read_record(&mut row) {
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("line {line}: {}", csv_message(&e)));
                // A broken record (bad UTF-8, wrong field count) is reported and skipped; an I/O
                // error would repeat forever.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
            Ok(true) => {
                // The header is line 1; a note with newlines makes a row span several lines,
                // and the line reported is where the row starts.
                let line = row.position().map_or(0, |p| p.line());
                match row.deserialize::<Record>(Some(&headers)) {
                    Err(e) => problems.push(format!("line {line}: {}", csv_message(&e))),
                    // Export neutralised the cells a spreadsheet would run; undone first.
                    Ok(record) => match record.restored().to_entry(rules) {
                        Ok(entry) => {
                            entries.push(entry);
                            lines.push(line);
                        }
                        Err(errors) => problems.push(format!("line {line}: {}", errors.join("; "))),
                    },
                }
            }
        }
    }
    progress((entries.len() + problems.len()) as u64);

    let mut seen = HashSet::new();
    for (entry, line) in entries.iter().zip(&lines) {
        if !seen.insert(entry.id) {
            problems.push(format!("line {line}: id: entry {} appears more than once in the file", entry.id));
        }
    }
    let ids: Vec<EntryId> = entries.iter().map(|e| e.id).collect();
    let mut existing = HashSet::new();
    for chunk in ids.chunks(500) {
        existing.extend(store.existing_ids(chunk).await?);
    }
    for (entry, line) in entries.iter().zip(&lines) {
        if existing.contains(&entry.id) {
            problems.push(format!("line {line}: id: entry {} is already in the database", entry.id));
        }
    }

    if problems.is_empty() {
        return Ok(entries);
    }
    let count = problems.len();
    let mut message = format!("nothing was imported: {count} row(s) need fixing first:\n");
    for p in problems.iter().take(MAX_LISTED) {
        message.push_str("  ");
        message.push_str(p);
        message.push('\n');
    }
    if count > MAX_LISTED {
        message.push_str(&format!("  … and {} more\n", count - MAX_LISTED));
    }
    Err(ServiceError::Invalid(message.trim_end().to_string()))
}

/// Stores validated entries, all or none.
pub async fn write(store: &dyn Store, entries: &[Entry]) -> ServiceResult<u64> {
    Ok(store.import_entries(entries).await?)
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        _ => e.to_string(),
    }
}
