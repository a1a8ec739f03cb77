//! Reading an import's CSV the one way every import does: the header must hold the command's
//! columns (in any order; others are ignored), every row is checked before anything is written,
//! and a file with bad rows is refused whole with each bad row named by its line (the first
//! [`MAX_LISTED`]). Cells are restored from the neutralising the exports apply.

use std::collections::HashMap;

use super::{CliError, CliResult};
use crate::domain::words;
use crate::service::record::restore;

/// How many bad rows an error lists before it only counts the rest.
pub const MAX_LISTED: usize = 20;

/// A bad row: its line and what is wrong with it.
pub type Problem = (u64, String);

/// The rows checked, each with its line, and the bad ones.
pub type Checked<T> = (Vec<(u64, T)>, Vec<Problem>);

/// Every row of `input` checked by `check` (given the row's line and its cells by column name),
/// with its line; or an error listing the bad rows. `command` names the import in the error
/// about a missing column.
pub fn read<T>(
    input: impl std::io::Read,
    columns: &[&str],
    command: &str,
    check: impl FnMut(u64, &dyn Fn(&str) -> String) -> Result<T, Vec<String>>,
) -> CliResult<Vec<(u64, T)>> {
    let (rows, problems) = check_rows(input, columns, command, check)?;
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(refused(problems))
    }
}

/// [`read`]'s rows and problems apart, for an import that finds more problems once the rows are
/// looked up in the server, and refuses the file with all of them at once.
pub fn check_rows<T>(
    input: impl std::io::Read,
    columns: &[&str],
    command: &str,
    mut check: impl FnMut(u64, &dyn Fn(&str) -> String) -> Result<T, Vec<String>>,
) -> CliResult<Checked<T>> {
    let mut reader = ::csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let headers =
        reader.headers().map_err(|e| CliError::User(format!("cannot read the CSV header: {e}")))?.clone();
    let mut index = HashMap::new();
    for &column in columns {
        match headers.iter().position(|h| h.trim() == column) {
            Some(i) => {
                index.insert(column, i);
            }
            None => {
                return Err(CliError::User(format!(
                    "the CSV lacks the column {column}; {command} reads the header {}",
                    columns.join(",")
                )))
            }
        }
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push((line, message(&e)));
                if matches!(e.kind(), ::csv::ErrorKind::Io(_)) {
                    break;
                }
            }
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                let cell = |column: &str| {
                    restore(index.get(column).and_then(|&i| record.get(i)).unwrap_or("")).into_owned()
                };
                match check(line, &cell) {
                    Ok(row) => rows.push((line, row)),
                    Err(errors) => problems.push((line, errors.join("; "))),
                }
            }
        }
    }
    Ok((rows, problems))
}

/// The error for a file with bad rows: nothing was imported, and each is listed by line.
pub fn refused(mut problems: Vec<Problem>) -> CliError {
    problems.sort_by_key(|(line, _)| *line);
    let count = problems.len();
    let mut message =
        format!("nothing was imported: {} fixing first:\n", words::count(count, "row needs", "rows need"));
    for (line, p) in problems.iter().take(MAX_LISTED) {
        message.push_str(&format!("  line {line}: {p}\n"));
    }
    if count > MAX_LISTED {
        message.push_str(&format!("  … and {} more\n", count - MAX_LISTED));
    }
    CliError::User(message.trim_end().to_string())
}

fn message(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {} where the header has {expected_len}", words::count(*len, "field", "fields"))
        }
        ::csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => e.to_string(),
    }
}
