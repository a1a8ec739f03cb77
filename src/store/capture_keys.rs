//! One-time keys of capture forms: a form submitted twice (a double click, a client retry) saves
//! one entry, and the second submit is told which.

use std::fmt;

use async_trait::async_trait;
use chrono::Duration;

use super::StoreResult;
use crate::domain::entry::{Entry, NewEntry};
use crate::domain::ids::EntryId;

/// How long a key is remembered. A retry comes within seconds; a form opened before is still open
/// for minutes at most. Keys older than this are pruned as new ones are written.
pub const KEEP_CAPTURE_KEYS: Duration = Duration::days(1);

/// A form's one-time key: 64 random bits, written as 16 hex digits. Made by the front end that
/// opens the form; the store only compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaptureKey(u64);

impl CaptureKey {
    pub const fn new(bits: u64) -> Self {
        CaptureKey(bits)
    }

    /// Exactly 16 lowercase hex digits, as `Display` writes them; anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        let canonical = s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        canonical.then(|| u64::from_str_radix(s, 16).ok().map(CaptureKey)).flatten()
    }
}

impl fmt::Display for CaptureKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// What [`CaptureKeyStore::insert_entry_once`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// Stored now.
    New(Box<Entry>),
    /// The key was saved already, as this entry; nothing was written.
    Already(EntryId),
}

#[async_trait]
pub trait CaptureKeyStore: Send + Sync {
    /// Stores `entry` and remembers `key` for its guild, in one transaction, unless an entry of
    /// that guild was stored under `key` already. Durable when it returns, as `insert_entry`.
    /// Keys remembered more than [`KEEP_CAPTURE_KEYS`] before the entry's `created_at` are pruned.
    async fn insert_entry_once(&self, entry: &NewEntry, key: CaptureKey) -> StoreResult<Inserted>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_from_its_16_hex_digits_and_nothing_else_is_one() {
        for bits in [0, 1, 0xdead_beef, u64::MAX] {
            let key = CaptureKey::new(bits);
            assert_eq!(key.to_string().len(), 16);
            assert_eq!(CaptureKey::parse(&key.to_string()), Some(key));
        }
        for s in ["", "0", "00000000000000000", "000000000000000g", "+00000000000000f", "DEADBEEFDEADBEEF"] {
            assert_eq!(CaptureKey::parse(s), None, "{s}");
        }
    }
}
