//! Redaction of personal data before anything is stored.

use regex::Regex;

/// The largest compiled size a configured pattern may take; a pattern past it is rejected at
/// start-up rather than slowing every capture.
pub const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// The student/staff id pattern used when the config does not set one.
pub const DEFAULT_ID_PATTERN: &str = r"\b\d{6,9}\b";

/// What to redact, as configured (patterns not compiled yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedactionSpec {
    pub email: bool,
    pub phone: bool,
    /// Student/staff id numbers; `None` turns id redaction off.
    pub id_pattern: Option<String>,
    pub extra: Vec<PatternSpec>,
}

impl Default for RedactionSpec {
    fn default() -> Self {
        RedactionSpec {
            email: true,
            phone: true,
            id_pattern: Some(DEFAULT_ID_PATTERN.to_string()),
            extra: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternSpec {
    pub name: String,
    pub pattern: String,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("redaction pattern \"{name}\" is invalid: {reason}")]
pub struct RedactionError {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
struct CompiledPattern {
    name: String,
    regex: Regex,
    replacement: String,
}

/// Compiled once at start-up, applied to every note (on capture and on edit).
#[derive(Debug, Clone)]
pub struct Redactor {
    patterns: Vec<CompiledPattern>,
}

/// A note after redaction and how many items were replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub count: u32,
}

impl Redactor {
    pub fn new(spec: &RedactionSpec) -> Result<Self, RedactionError> {
        todo!("{spec:?}")
    }

    pub fn redact(&self, text: &str) -> Redacted {
        todo!("{text}")
    }

    /// The names of the patterns in the order they are applied.
    pub fn pattern_names(&self) -> Vec<&str> {
        self.patterns.iter().map(|p| p.name.as_str()).collect()
    }
}
