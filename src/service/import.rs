//! Import: the CSV that export writes, validated whole before anything is stored, then written in
//! short transactions, so that a bot on the same database keeps answering, and so that an import
//! stopped part-way can be run again: rows already stored as the file has them are skipped.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use super::record::{Record, COLUMNS, REQUIRED_COLUMNS};
use super::{ServiceError, ServiceResult};
use crate::domain::entry::Entry;
use crate::domain::ids::{EntryId, GuildId};
use crate::domain::partner::{name_key, PartnerLink};
use crate::domain::rules::Rules;
use crate::domain::words;
use crate::store::{Store, StoreError, Stored};

/// How many bad rows an error lists before it only counts the rest.
const MAX_LISTED: usize = 20;

/// Entries per transaction when writing. Each batch holds SQLite's write lock for its own time
/// only (about 0.1 s at 1M entries, docs/benchmarks.md), far inside the 5 s a writer waits and
/// Discord's 3 s to answer, so the bot's captures go in between batches.
pub const WRITE_BATCH: usize = 1000;

/// A file checked whole: the entries to write, and how many of its rows are stored already
/// exactly as the file has them (an import stopped part-way, run again).
#[derive(Debug)]
pub struct Checked {
    pub new: Vec<Entry>,
    pub present: u64,
}

/// Reads and validates every row; returns what to write only if every row is good, otherwise an
/// error that lists the bad rows by line number. A row whose id is stored already is good when the
/// stored entry is the same in every field (it is counted in `present`), and refused when it is
/// not. `progress` gets the running row count.
pub async fn read(
    store: &dyn Store,
    rules: &Rules,
    input: impl Read,
    progress: &mut dyn FnMut(u64),
) -> ServiceResult<Checked> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let headers =
        reader.headers().map_err(|e| ServiceError::invalid(format!("cannot read the CSV header: {e}")))?;
    let missing: Vec<&str> =
        COLUMNS[..REQUIRED_COLUMNS].iter().copied().filter(|c| !headers.iter().any(|h| h == *c)).collect();
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
    // Each guild's partners by name key, read once when a row of that guild first names one.
    let mut partners: HashMap<GuildId, HashMap<String, PartnerLink>> = HashMap::new();
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
                    Ok(record) => match checked(store, &mut partners, rules, record.restored()).await? {
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
    let mut stored = HashMap::new();
    for chunk in ids.chunks(500) {
        stored.extend(store.entries_with_ids(chunk).await?.into_iter().map(|s| (s.id(), s)));
    }
    let mut new = Vec::with_capacity(entries.len());
    let mut present = 0;
    for (entry, line) in entries.into_iter().zip(&lines) {
        match stored.get(&entry.id) {
            None => new.push(entry),
            Some(Stored::Entry(same)) if *same == entry => present += 1,
            Some(Stored::Entry(_)) => problems.push(format!(
                "line {line}: id: entry {} is already in the database, different from this row",
                entry.id
            )),
            Some(Stored::Unreadable(_)) => problems.push(format!(
                "line {line}: id: entry {} is already in the database, and cannot be read to compare",
                entry.id
            )),
        }
    }

    if problems.is_empty() {
        return Ok(Checked { new, present });
    }
    let count = problems.len();
    let mut message =
        format!("nothing was imported: {} fixing first:\n", words::count(count, "row needs", "rows need"));
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

/// Stores checked entries, [`WRITE_BATCH`] to a transaction; `progress` gets the count written
/// after each. Stopped part-way (killed, or an id written meanwhile by another process), the
/// batches before stay written and the error says how far it got: running the import again
/// skips them.
pub async fn write(
    store: &dyn Store,
    entries: &[Entry],
    progress: &mut dyn FnMut(u64),
) -> ServiceResult<u64> {
    if let Some(last) = entries.iter().map(|e| e.id).max() {
        store.reserve_ids(last).await?;
    }
    let mut written = 0;
    for batch in entries.chunks(WRITE_BATCH) {
        match store.import_entries(batch).await {
            Ok(n) => written += n,
            Err(StoreError::DuplicateId(id)) => {
                return Err(ServiceError::invalid(format!(
                    "stopped after {written} of {}: entry {id} was stored meanwhile by \
                     something else; run the import again to compare and finish",
                    words::count(entries.len(), "entry", "entries")
                )))
            }
            Err(e) => return Err(e.into()),
        }
        progress(written);
        // Lets anything waiting on the database in this process go first, as the bot does.
        tokio::task::yield_now().await;
    }
    Ok(written)
}

/// A restored record as an entry, its partners looked up by name in its guild's partners.
async fn checked(
    store: &dyn Store,
    partners: &mut HashMap<GuildId, HashMap<String, PartnerLink>>,
    rules: &Rules,
    record: Record,
) -> ServiceResult<Result<Entry, Vec<String>>> {
    if !record.partners.trim().is_empty() {
        if let Ok(guild) = record.guild_id.trim().parse::<GuildId>() {
            if let std::collections::hash_map::Entry::Vacant(slot) = partners.entry(guild) {
                let names = store.partner_names(guild).await?;
                slot.insert(names.into_iter().map(|p| (p.name.key(), p)).collect());
            }
        }
    }
    let lookup = |guild: GuildId, name: &str| {
        partners.get(&guild).and_then(|by_key| by_key.get(&name_key(name))).cloned().ok_or_else(|| {
            format!(
                "no partner called \"{name}\" in server {guild}; import the partners first \
                 (`liaison partner import`, from `liaison partner export`)"
            )
        })
    };
    Ok(record.to_entry(rules, &lookup))
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {} where the header has {expected_len}", words::count(*len, "field", "fields"))
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        _ => e.to_string(),
    }
}
