//! The flat form of an entry that export writes and import reads: every field, one row per entry.

use std::borrow::Cow;

use memchr::{memchr, memchr3};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::department::DepartmentKey;
use crate::domain::entry::{Author, Entry, FollowUp, FollowUpStatus};
use crate::domain::ids::{EntryId, GuildId, UserId};
use crate::domain::note::Note;
use crate::domain::partner::PartnerLink;
use crate::domain::privacy::Share;
use crate::domain::rules::Rules;
use crate::domain::tag::Tag;

/// Column order of the CSV, fixed: spreadsheets and scripts rely on it.
pub const COLUMNS: [&str; 22] = [
    "id",
    "guild_id",
    "author_id",
    "author_name",
    "department",
    "channel",
    "informal",
    "note",
    "tags",
    "occurred_at",
    "created_at",
    "updated_at",
    "follow_up_owner",
    "follow_up_due",
    "follow_up_status",
    "follow_up_done_at",
    "source",
    "redactions",
    "share",
    "expired_at",
    "also_departments",
    "partners",
];

/// The columns a file must have: those of an export before privacy (issue 13) added `share`
/// (read as `team` when absent) and `expired_at` (as not expired), and before partners (issue 14)
/// added `also_departments` and `partners` (read as none).
pub const REQUIRED_COLUMNS: usize = 18;

/// Every value as text, exactly as written to CSV and JSON. Ids are strings because Discord's
/// are larger than a spreadsheet or JavaScript number holds exactly; times are RFC 3339 in UTC
/// with as many fractional digits as stored; tags are separated by spaces. `also_departments`
/// holds the keys of the other departments an entry is filed under, separated by
/// [`DEPARTMENT_SEPARATOR`]; `partners` the names of its partners, in order, one a line (a name is
/// one line, and may hold any other character).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub guild_id: String,
    pub author_id: String,
    pub author_name: String,
    pub department: String,
    pub channel: String,
    pub informal: String,
    pub note: String,
    pub tags: String,
    pub occurred_at: String,
    pub created_at: String,
    pub updated_at: String,
    pub follow_up_owner: String,
    pub follow_up_due: String,
    pub follow_up_status: String,
    pub follow_up_done_at: String,
    pub source: String,
    pub redactions: String,
    #[serde(default)]
    pub share: String,
    #[serde(default)]
    pub expired_at: String,
    #[serde(default)]
    pub also_departments: String,
    #[serde(default)]
    pub partners: String,
}

/// Between the keys in `also_departments` (a key holds spaces, never a semicolon).
pub const DEPARTMENT_SEPARATOR: char = ';';
const DEPARTMENT_SEPARATOR_STR: &str = ";";
/// Between the names in `partners`.
pub const PARTNER_SEPARATOR: char = '\n';
const PARTNER_SEPARATOR_STR: &str = "\n";

/// What a cell starts with when a spreadsheet would run it as a formula: OWASP's CSV-injection
/// list (`=`, `+`, `-`, `@`, tab, carriage return).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether text is, after any leading `'`s, what a spreadsheet would run as a formula.
fn formula_like(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// Whether a spreadsheet may start a new cell, or a new row, right after `c`: a semicolon or a
/// tab (the separator in many locales: Excel in most of Europe splits a `.csv` on `;`, and there
/// a quote opens a quoted cell only at a cell's start, so our quoting does not hold it together),
/// or a line break.
fn starts_a_cell_after(c: char) -> bool {
    matches!(c, ';' | '\t' | '\r' | '\n')
}

/// A cell as a CSV export writes it: wherever a spreadsheet may start reading a cell (at its
/// start, and after a semicolon, tab or line break in it) text it would run as a formula gets a
/// `'` in front, as OWASP's CSV-injection guidance says, so it opens as text. Text there that
/// already starts with `'`s followed by such a character gets one more, so that [`restore`] knows
/// every such `'` is one it may take off, and export, import, export gives the same bytes.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    // Most cells: no formula at the start and nowhere else a cell could start. (The characters
    // looked for are ASCII, which no other character's UTF-8 bytes hold.)
    let bytes = cell.as_bytes();
    if !formula_like(cell) && memchr3(b';', b'\t', b'\r', bytes).is_none() && memchr(b'\n', bytes).is_none() {
        return Cow::Borrowed(cell);
    }
    let mut out = String::new();
    let mut changed = false;
    let mut at_start = true;
    for (i, c) in cell.char_indices() {
        if at_start && formula_like(&cell[i..]) {
            if !changed {
                out.reserve(cell.len() + 2);
                out.push_str(&cell[..i]);
                changed = true;
            }
            out.push('\'');
        }
        if changed {
            out.push(c);
        }
        at_start = starts_a_cell_after(c);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(cell)
    }
}

/// The inverse of [`neutralise`]. A cell it did not write (`=1+1` typed into a file by hand) has
/// no `'` to take off and is read as it is.
pub fn restore(cell: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut changed = false;
    let mut at_start = true;
    for (i, c) in cell.char_indices() {
        if at_start && c == '\'' && formula_like(&cell[i + 1..]) {
            if !changed {
                out.reserve(cell.len());
                out.push_str(&cell[..i]);
                changed = true;
            }
            at_start = false;
            continue;
        }
        if changed {
            out.push(c);
        }
        at_start = starts_a_cell_after(c);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(cell)
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

impl From<&Entry> for Record {
    fn from(e: &Entry) -> Self {
        let [id, guild_id, author_id, author_name, department, channel, informal, note, tags, occurred_at, created_at, updated_at, follow_up_owner, follow_up_due, follow_up_status, follow_up_done_at, source, redactions, share, expired_at, also_departments, partners] =
            cells(e).map(Cow::into_owned);
        Record {
            id,
            guild_id,
            author_id,
            author_name,
            department,
            channel,
            informal,
            note,
            tags,
            occurred_at,
            created_at,
            updated_at,
            follow_up_owner,
            follow_up_due,
            follow_up_status,
            follow_up_done_at,
            source,
            redactions,
            share,
            expired_at,
            also_departments,
            partners,
        }
    }
}

/// Where some cells are in [`COLUMNS`]: those a report may leave empty.
pub mod column {
    pub const ID: usize = 0;
    pub const AUTHOR_ID: usize = 2;
    pub const AUTHOR_NAME: usize = 3;
    pub const NOTE: usize = 7;
    pub const FOLLOW_UP_OWNER: usize = 12;
    pub const SOURCE: usize = 16;
}

/// An entry's cells in [`COLUMNS`] order, as a [`Record`] holds them, borrowed where the entry
/// holds the text: a file of many thousands of rows is written from these, a few small strings a
/// row where a `Record` made 22 (a fifth of a year's report, docs/benchmarks.md).
pub fn cells(e: &Entry) -> [Cow<'_, str>; 22] {
    let f = e.follow_up.as_ref();
    fn text(s: &str) -> Cow<'_, str> {
        Cow::Borrowed(s)
    }
    fn joined<'a>(mut parts: Vec<&'a str>, separator: &str) -> Cow<'a, str> {
        match parts.len() {
            0 => Cow::Borrowed(""),
            1 => Cow::Borrowed(parts.swap_remove(0)),
            _ => Cow::Owned(parts.join(separator)),
        }
    }
    let owned = |s: String| -> Cow<'_, str> { Cow::Owned(s) };
    let none = || Cow::Borrowed("");
    [
        owned(e.id.to_string()),
        owned(e.guild.to_string()),
        owned(e.author.id.to_string()),
        text(&e.author.name),
        text(e.department.as_str()),
        text(e.channel.as_str()),
        text(if e.informal { "true" } else { "false" }),
        text(e.note.as_str()),
        joined(e.tags.iter().map(Tag::as_str).collect(), " "),
        owned(time(e.occurred_at)),
        owned(time(e.created_at)),
        e.updated_at.map_or_else(none, |t| owned(time(t))),
        f.map_or_else(none, |f| owned(f.owner.to_string())),
        f.map_or_else(none, |f| owned(f.due.to_string())),
        f.map_or_else(none, |f| text(f.status.as_str())),
        f.and_then(|f| f.done_at).map_or_else(none, |t| owned(time(t))),
        e.source.as_deref().map_or_else(none, text),
        owned(e.redactions.to_string()),
        text(e.share.as_str()),
        e.expired_at.map_or_else(none, |t| owned(time(t))),
        joined(e.also_departments.iter().map(DepartmentKey::as_str).collect(), DEPARTMENT_SEPARATOR_STR),
        joined(e.partners.iter().map(|p| p.name.as_str()).collect(), PARTNER_SEPARATOR_STR),
    ]
}

/// [`cells`] as a CSV export writes them: [`neutralise`]d, in one line added to `line`.
pub fn push_csv_cells(line: &mut String, cells: &[Cow<'_, str>; 22]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        // Most cells hold nothing to quote, and so (the characters after which a cell may start
        // being ones that need quotes) nothing to neutralise but at their start: one scan.
        if !needs_quotes(cell) && !formula_like(cell) {
            line.push_str(cell);
        } else {
            push_cell(line, &neutralise(cell));
        }
    }
    line.push('\n');
}

/// Whether the cell holds a character that ends a cell for some reader: the comma, the semicolon
/// and tab that spreadsheets split on in many locales, or what quoting itself needs. Such a cell is
/// quoted. (`memchr` looks at many bytes at once: a byte at a time, this scan and `neutralise`'s
/// were a fifth of a year's report.)
fn needs_quotes(cell: &str) -> bool {
    let bytes = cell.as_bytes();
    memchr3(b',', b';', b'"', bytes).is_some() || memchr3(b'\t', b'\r', b'\n', bytes).is_some()
}

/// One line of CSV, `\n` included. A cell holding a separator of any locale is quoted (its quotes
/// doubled), so a reader that honours quotes with `;` or tab as its separator (LibreOffice's
/// import, Python's sniffer) keeps the cell whole; Excel, which splits on `;` regardless, is
/// covered by [`neutralise`].
pub fn csv_line<'a>(cells: impl IntoIterator<Item = &'a str>) -> String {
    let mut line = String::new();
    push_csv_line(&mut line, cells);
    line
}

/// [`csv_line`] added to `line`, for a writer that reuses one buffer.
pub fn push_csv_line<'a>(line: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_cell(line, cell);
    }
    line.push('\n');
}

/// One cell, quoted (its quotes doubled) where it holds a separator of any locale.
fn push_cell(line: &mut String, cell: &str) {
    if needs_quotes(cell) {
        line.push('"');
        for (i, part) in cell.split('"').enumerate() {
            if i > 0 {
                line.push_str("\"\"");
            }
            line.push_str(part);
        }
        line.push('"');
    } else {
        line.push_str(cell);
    }
}

/// `cell` as `f` gives it back, without a copy where `f` changed nothing.
fn kept_unless_changed(cell: String, f: impl Fn(&str) -> Cow<'_, str>) -> String {
    match f(&cell) {
        Cow::Owned(changed) => changed,
        Cow::Borrowed(_) => cell,
    }
}

impl Record {
    /// The cells in [`COLUMNS`] order.
    pub fn cells(&self) -> [&str; 22] {
        [
            &self.id,
            &self.guild_id,
            &self.author_id,
            &self.author_name,
            &self.department,
            &self.channel,
            &self.informal,
            &self.note,
            &self.tags,
            &self.occurred_at,
            &self.created_at,
            &self.updated_at,
            &self.follow_up_owner,
            &self.follow_up_due,
            &self.follow_up_status,
            &self.follow_up_done_at,
            &self.source,
            &self.redactions,
            &self.share,
            &self.expired_at,
            &self.also_departments,
            &self.partners,
        ]
    }

    /// Every cell through `f`; the one place that lists them all, so none is missed.
    fn map_cells(self, f: impl Fn(String) -> String) -> Record {
        Record {
            id: f(self.id),
            guild_id: f(self.guild_id),
            author_id: f(self.author_id),
            author_name: f(self.author_name),
            department: f(self.department),
            channel: f(self.channel),
            informal: f(self.informal),
            note: f(self.note),
            tags: f(self.tags),
            occurred_at: f(self.occurred_at),
            created_at: f(self.created_at),
            updated_at: f(self.updated_at),
            follow_up_owner: f(self.follow_up_owner),
            follow_up_due: f(self.follow_up_due),
            follow_up_status: f(self.follow_up_status),
            follow_up_done_at: f(self.follow_up_done_at),
            source: f(self.source),
            redactions: f(self.redactions),
            share: f(self.share),
            expired_at: f(self.expired_at),
            also_departments: f(self.also_departments),
            partners: f(self.partners),
        }
    }

    /// A CSV row as read: every cell [`restore`]d.
    pub fn restored(self) -> Record {
        self.map_cells(|cell| kept_unless_changed(cell, restore))
    }
}

/// Reading a record back, column by column, so that an error names the column.
struct Fields<'a> {
    errors: Vec<String>,
    rules: &'a Rules,
}

impl Fields<'_> {
    fn fail<T>(&mut self, column: &str, message: impl std::fmt::Display) -> Option<T> {
        self.errors.push(format!("{column}: {message}"));
        None
    }

    fn required<'v>(&mut self, column: &str, value: &'v str) -> Option<&'v str> {
        let v = value.trim();
        if v.is_empty() {
            self.fail(column, "is empty")
        } else {
            Some(v)
        }
    }

    fn parse<T: std::str::FromStr>(&mut self, column: &str, value: &str, what: &str) -> Option<T> {
        let v = self.required(column, value)?;
        match v.parse() {
            Ok(t) => Some(t),
            Err(_) => self.fail(column, format!("\"{v}\" is not {what}")),
        }
    }

    fn time(&mut self, column: &str, value: &str) -> Option<DateTime<Utc>> {
        let v = self.required(column, value)?;
        match DateTime::parse_from_rfc3339(v) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => self.fail(column, format!("\"{v}\" is not an RFC 3339 time (2026-11-03T09:30:00Z)")),
        }
    }

    fn optional_time(&mut self, column: &str, value: &str) -> Option<Option<DateTime<Utc>>> {
        if value.trim().is_empty() {
            Some(None)
        } else {
            self.time(column, value).map(Some)
        }
    }

    fn follow_up(&mut self, r: &Record) -> Option<Option<FollowUp>> {
        let parts = [&r.follow_up_owner, &r.follow_up_due, &r.follow_up_status];
        if parts.iter().all(|p| p.trim().is_empty()) && r.follow_up_done_at.trim().is_empty() {
            return Some(None);
        }
        let owner = self.parse::<UserId>("follow_up_owner", &r.follow_up_owner, "a Discord user id");
        let due = self.parse::<NaiveDate>("follow_up_due", &r.follow_up_due, "a date as YYYY-MM-DD");
        let status = match FollowUpStatus::parse(&r.follow_up_status) {
            Some(s) => Some(s),
            None => self.fail("follow_up_status", format!("\"{}\" is not open or done", r.follow_up_status)),
        };
        let done_at = self.optional_time("follow_up_done_at", &r.follow_up_done_at);
        let (owner, due, status, done_at) = (owner?, due?, status?, done_at?);
        if (status == FollowUpStatus::Done) != done_at.is_some() {
            return self.fail("follow_up_done_at", "is set exactly when the status is done");
        }
        Some(Some(FollowUp { owner, due, status, done_at }))
    }
}

impl Record {
    /// Validates a record into an entry, with department and channel resolved through the
    /// catalogues and the note redacted again (a file from elsewhere may carry personal data;
    /// text liaison already redacted comes through unchanged), and partners named through
    /// `partner`, which finds a name in the row's guild (or says why not). Every problem is
    /// reported, not only the first.
    pub fn to_entry(
        &self,
        rules: &Rules,
        partner: &dyn Fn(GuildId, &str) -> Result<PartnerLink, String>,
    ) -> Result<Entry, Vec<String>> {
        let mut f = Fields { errors: Vec::new(), rules };
        let id = f.parse::<EntryId>("id", &self.id, "an entry id");
        let guild = f.parse::<GuildId>("guild_id", &self.guild_id, "a Discord server id");
        let author_id = f.parse::<UserId>("author_id", &self.author_id, "a Discord user id");
        let expired_at = f.optional_time("expired_at", &self.expired_at);
        let expired = matches!(expired_at, Some(Some(_)));
        // Retention cleared an expired entry's author name and note: empty is right for it.
        let author_name = if expired {
            Some(self.author_name.trim().to_string())
        } else {
            f.required("author_name", &self.author_name).map(str::to_string)
        };
        let share = match self.share.trim() {
            "" => Some(Share::Team),
            typed => {
                Share::parse(typed).or_else(|| f.fail("share", format!("\"{typed}\" is not team or private")))
            }
        };
        let department = match f.rules.departments.resolve(&self.department) {
            Ok(d) => Some(d.key().clone()),
            Err(e) => f.fail("department", e),
        };
        let channel = match f.rules.channels.resolve(&self.channel) {
            Ok(c) => Some(c.key().clone()),
            Err(e) => f.fail("channel", e),
        };
        let informal = f.parse::<bool>("informal", &self.informal, "true or false");
        let (note, redacted) = match Note::clean(&self.note, &f.rules.redactor) {
            Ok(clean) => (Some(clean.note), clean.redactions),
            Err(_) if expired && self.note.trim().is_empty() => (Some(Note::from_stored(String::new())), 0),
            Err(e) => (f.fail("note", e), 0),
        };
        let mut tags = Vec::new();
        for raw in self.tags.split_whitespace() {
            match Tag::parse(raw) {
                Ok(t) if t.as_str() == raw => tags.push(t),
                Ok(t) => {
                    f.fail::<()>("tags", format!("\"{raw}\" is not normalised (it would be \"{t}\")"));
                }
                Err(e) => {
                    f.fail::<()>("tags", e);
                }
            }
        }
        let occurred_at = f.time("occurred_at", &self.occurred_at);
        let created_at = f.time("created_at", &self.created_at);
        let updated_at = f.optional_time("updated_at", &self.updated_at);
        let follow_up = f.follow_up(self);
        let redactions = f.parse::<u32>("redactions", &self.redactions, "a count");
        let mut also_departments = Vec::new();
        for typed in
            self.also_departments.split(DEPARTMENT_SEPARATOR).map(str::trim).filter(|d| !d.is_empty())
        {
            match f.rules.departments.resolve(typed) {
                Ok(d) => also_departments.push(d.key().clone()),
                Err(e) => {
                    f.fail::<()>("also_departments", e);
                }
            }
        }
        let mut partners = Vec::new();
        if let Some(guild) = guild {
            for name in self.partners.split(PARTNER_SEPARATOR).map(str::trim).filter(|p| !p.is_empty()) {
                match partner(guild, name) {
                    Ok(link) => partners.push(link),
                    Err(e) => {
                        f.fail::<()>("partners", e);
                    }
                }
            }
        }
        match (
            id,
            guild,
            author_id,
            author_name,
            department,
            channel,
            informal,
            note,
            occurred_at,
            created_at,
            updated_at,
            follow_up,
            redactions,
            share,
            expired_at,
        ) {
            (
                Some(id),
                Some(guild),
                Some(author_id),
                Some(author_name),
                Some(department),
                Some(channel),
                Some(informal),
                Some(note),
                Some(occurred_at),
                Some(created_at),
                Some(updated_at),
                Some(follow_up),
                Some(redactions),
                Some(share),
                Some(expired_at),
            ) if f.errors.is_empty() => Ok(Entry {
                id,
                guild,
                author: Author { id: author_id, name: author_name },
                department,
                also_departments,
                partners,
                channel,
                informal,
                note,
                tags,
                occurred_at,
                created_at,
                updated_at,
                follow_up,
                source: Some(self.source.trim().to_string()).filter(|s| !s.is_empty()),
                redactions: redactions.saturating_add(redacted),
                share,
                expired_at,
            }),
            _ => Err(f.errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_of_cells_is_written_as_neutralising_then_quoting_each_writes_it() {
        let samples = [
            "plain",
            "",
            "=1+1",
            "'=1+1",
            "a,b",
            "a;=b",
            "say \"hi\"",
            "line\n@x",
            "tab\tthen",
            "-3",
            "+",
            "ok;fine",
        ];
        for shift in 0..samples.len() {
            let cells: [Cow<'_, str>; 22] =
                std::array::from_fn(|i| Cow::Borrowed(samples[(i + shift) % samples.len()]));
            let mut fast = String::new();
            push_csv_cells(&mut fast, &cells);
            let neutralised: Vec<Cow<'_, str>> = cells.iter().map(|c| neutralise(c)).collect();
            assert_eq!(fast, csv_line(neutralised.iter().map(AsRef::as_ref)));
        }
    }

    #[test]
    fn the_withheld_columns_are_where_their_names_are() {
        assert_eq!(COLUMNS[column::AUTHOR_ID], "author_id");
        assert_eq!(COLUMNS[column::AUTHOR_NAME], "author_name");
        assert_eq!(COLUMNS[column::NOTE], "note");
        assert_eq!(COLUMNS[column::FOLLOW_UP_OWNER], "follow_up_owner");
        assert_eq!(COLUMNS[column::SOURCE], "source");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_gets_a_quote_in_front() {
        for start in FORMULA_START {
            let cell = format!("{start}HYPERLINK(\"http://x\")");
            assert_eq!(neutralise(&cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["", "plain", "a=b", "'quoted", "'", "1-2", " =x", "a; b", "2026-11-03T09:30:00Z"] {
            assert_eq!(neutralise(cell), cell, "{cell:?} is left alone");
        }
    }

    #[test]
    fn so_does_a_formula_after_a_semicolon_a_tab_or_a_line_break() {
        assert_eq!(neutralise("cost;=1+1"), "cost;'=1+1");
        assert_eq!(neutralise("a\t@SUM(A1)"), "a\t'@SUM(A1)");
        assert_eq!(neutralise("line\n-2+3\r\n+1"), "line\n'-2+3\r\n'+1");
        assert_eq!(neutralise("=a;'=b"), "'=a;''=b");
        assert_eq!(neutralise(";\t"), ";'\t");
        for cell in ["cost;=1+1", "a\t@SUM(A1)", "line\n-2+3\r\n+1", "=a;'=b", ";\t", "x;'y", ";;=;"] {
            assert_eq!(restore(&neutralise(cell)), *cell, "{cell:?}");
        }
    }

    #[test]
    fn a_quote_already_in_front_of_a_formula_gets_another_so_import_can_take_exactly_one_off() {
        assert_eq!(neutralise("'=1+1"), "''=1+1");
        assert_eq!(neutralise("''-x"), "'''-x");
        assert_eq!(neutralise("'\t"), "''\t");
    }

    #[test]
    fn restore_undoes_neutralise_exactly_and_leaves_other_cells_alone() {
        let mut cells: Vec<String> = ["", "'", "''", "plain", "'quoted", "=", "a=b", "-1", "''x", "'='"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for start in FORMULA_START {
            for quotes in 0..4 {
                cells.push(format!("{}{start}SUM(A1)", "'".repeat(quotes)));
            }
        }
        for cell in &cells {
            assert_eq!(restore(&neutralise(cell)), cell.as_str(), "{cell:?}");
        }
        // Written by hand, or by a version before neutralising: read as it is.
        for cell in ["=1+1", "plain", "'quoted", "'"] {
            assert_eq!(restore(cell), cell);
        }
    }

    #[test]
    fn a_record_is_neutralised_and_restored_cell_by_cell() {
        let record = Record {
            id: "1".into(),
            guild_id: "2".into(),
            author_id: "3".into(),
            author_name: "@admin".into(),
            department: "History".into(),
            channel: "desk".into(),
            informal: "false".into(),
            note: "=cmd|' /C calc'!A0".into(),
            tags: "x".into(),
            occurred_at: "2026-11-03T09:30:00Z".into(),
            created_at: "2026-11-03T09:30:00Z".into(),
            updated_at: String::new(),
            follow_up_owner: String::new(),
            follow_up_due: String::new(),
            follow_up_status: String::new(),
            follow_up_done_at: String::new(),
            source: "+44".into(),
            redactions: "0".into(),
            share: "team".into(),
            expired_at: String::new(),
            also_departments: "Physics".into(),
            partners: "-Dr Minus\n@Lab".into(),
        };
        // As a CSV row is written (`push_csv_cells`); JSON is written as it is.
        let safe = record.clone().map_cells(|cell| neutralise(&cell).into_owned());
        assert_eq!(
            (safe.author_name.as_str(), safe.note.as_str(), safe.source.as_str(), safe.id.as_str()),
            ("'@admin", "'=cmd|' /C calc'!A0", "'+44", "1")
        );
        assert_eq!(safe.partners, "'-Dr Minus\n'@Lab");
        assert_eq!(safe.restored(), record);
    }
}
