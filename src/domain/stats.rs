//! Counts for statistics and the digest.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::department::DepartmentKey;
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

/// The entries filed under one department key in a period, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentEntries {
    pub department: DepartmentKey,
    pub entries: Vec<Entry>,
}

/// When entries filed under a department key were last heard of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastHeard {
    pub department: DepartmentKey,
    pub at: DateTime<Utc>,
}
