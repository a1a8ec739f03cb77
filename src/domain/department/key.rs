//! What entries are filed under: a department's key as the store holds it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::squash;

/// The department an entry is filed under, as stored: the department's canonical name at the time
/// of capture. A stored key stays valid when the config changes: the catalogue still finds a
/// department renamed since (its old name kept as an alias), and one since removed is shown by
/// its key. Made by the catalogue for new entries, and by the store from what it reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DepartmentKey(String);

impl DepartmentKey {
    /// A key read back from storage (or from a form or saved search that carried one). Not checked
    /// against the catalogue: a department may have left it since.
    pub fn from_stored(key: impl Into<String>) -> Self {
        DepartmentKey(key.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A stable 64-bit digest of the key's squashed form (so `History` and `history` agree), for
    /// places too small for the key itself, such as a button's id. FNV-1a, written out here
    /// because std's hasher is seeded differently in every process.
    pub fn fingerprint(&self) -> u64 {
        fingerprint_of(&squash(&self.0).into_iter().collect::<String>())
    }
}

impl From<&str> for DepartmentKey {
    fn from(key: &str) -> Self {
        DepartmentKey::from_stored(key)
    }
}

impl PartialEq<str> for DepartmentKey {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for DepartmentKey {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for DepartmentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// FNV-1a (64-bit) of a squashed name.
pub(super) fn fingerprint_of(squashed: &str) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    squashed.bytes().fold(OFFSET_BASIS, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(PRIME))
}

/// Every key one department's entries may be filed under: its own, and old names of it (aliases)
/// that entries still carry. Never empty. A filter on a department is a filter on these, so that a
/// department renamed in the config still finds what was filed under its old name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<DepartmentKey>", into = "Vec<DepartmentKey>")]
pub struct DepartmentKeys(Vec<DepartmentKey>);

impl DepartmentKeys {
    pub fn one(key: DepartmentKey) -> Self {
        DepartmentKeys(vec![key])
    }

    /// `None` for no keys at all; a key given twice counts once.
    pub fn from_keys(keys: impl IntoIterator<Item = DepartmentKey>) -> Option<Self> {
        let mut keys = keys.into_iter();
        let mut all = DepartmentKeys::one(keys.next()?);
        for key in keys {
            all.add(key);
        }
        Some(all)
    }

    pub(super) fn add(&mut self, key: DepartmentKey) {
        if !self.0.contains(&key) {
            self.0.push(key);
        }
    }

    /// The department's own key first.
    pub fn keys(&self) -> &[DepartmentKey] {
        &self.0
    }

    pub fn contains(&self, key: &DepartmentKey) -> bool {
        self.0.contains(key)
    }
}

/// Read back from a saved search: as [`DepartmentKeys::from_keys`], refusing none at all.
impl TryFrom<Vec<DepartmentKey>> for DepartmentKeys {
    type Error = &'static str;

    fn try_from(keys: Vec<DepartmentKey>) -> Result<Self, Self::Error> {
        DepartmentKeys::from_keys(keys).ok_or("a department filter needs at least one key")
    }
}

impl From<DepartmentKeys> for Vec<DepartmentKey> {
    fn from(keys: DepartmentKeys) -> Self {
        keys.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fnv1a_of_the_squashed_key() {
        // The published FNV-1a test vectors.
        assert_eq!(fingerprint_of(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fingerprint_of("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fingerprint_of("foobar"), 0x8594_4171_f739_67e8);
        let key = |s: &str| DepartmentKey::from_stored(s);
        assert_eq!(key("History").fingerprint(), fingerprint_of("history"));
        assert_eq!(key("History & Classics").fingerprint(), key("history and classics").fingerprint());
        assert_ne!(key("History").fingerprint(), key("Art History").fingerprint());
    }

    #[test]
    fn keys_keep_their_order_without_repeats_and_are_never_empty() {
        let key = |s: &str| DepartmentKey::from_stored(s);
        let keys = DepartmentKeys::from_keys([key("B"), key("A"), key("B")]).expect("two keys");
        assert_eq!(keys.keys(), [key("B"), key("A")]);
        assert!(keys.contains(&key("A")));
        assert_eq!(DepartmentKeys::from_keys([]), None);
        assert_eq!(DepartmentKeys::one(key("A")).keys(), [key("A")]);
    }

    #[test]
    fn keys_serialise_as_plain_strings() {
        let key = DepartmentKey::from_stored("Art History");
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"Art History\"");
        assert_eq!(serde_json::from_str::<DepartmentKey>("\"Art History\"").unwrap(), key);
        assert_eq!(key.to_string(), "Art History");
    }

    #[test]
    fn keys_of_a_filter_serialise_as_a_list_never_empty() {
        let keys = DepartmentKeys::from_keys(["Art History".into(), "Art".into()]).expect("two keys");
        let json = serde_json::to_string(&keys).unwrap();
        assert_eq!(json, r#"["Art History","Art"]"#);
        assert_eq!(serde_json::from_str::<DepartmentKeys>(&json).unwrap(), keys);
        assert!(serde_json::from_str::<DepartmentKeys>("[]").is_err(), "never empty");
    }
}
