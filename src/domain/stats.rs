//! Counts for statistics and the digest.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::entry::Entry;

/// What to count entries by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    Department,
    /// Channel key.
    Channel,
    /// `formal` or `informal`.
    Formality,
    /// Author id; the label is the author's most recent display name.
    Author,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// The entries of one department in a period, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentEntries {
    pub department: String,
    pub entries: Vec<Entry>,
}

/// When a department was last heard from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastHeard {
    pub department: String,
    pub at: DateTime<Utc>,
}
