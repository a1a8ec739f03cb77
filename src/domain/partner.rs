//! Partners: the people, organisations, teams and groups the library has relationships with,
//! and the library staff who look after each.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use std::collections::HashMap;

use super::department::{squashed, DepartmentCatalogue, DepartmentKey, DepartmentSpec};
use super::ids::{GuildId, UserId};
use super::text::{is_combining_mark, visible};

/// A partner's id, assigned by the store; shown as `P12` nowhere, only used to link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PartnerId(pub i64);

impl std::fmt::Display for PartnerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What a partner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartnerKind {
    /// An academic or a professional-services colleague.
    Person,
    /// An external organisation: a publisher, a funder, another library.
    Organisation,
    /// A team elsewhere in the university (Technology Enhanced Learning, Study Skills).
    Team,
    /// A lab, a network, a committee.
    Group,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 4] =
        [PartnerKind::Person, PartnerKind::Organisation, PartnerKind::Team, PartnerKind::Group];

    pub fn as_str(self) -> &'static str {
        match self {
            PartnerKind::Person => "person",
            PartnerKind::Organisation => "organisation",
            PartnerKind::Team => "team",
            PartnerKind::Group => "group",
        }
    }

    /// Also reads the American spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "person" => Some(PartnerKind::Person),
            "organisation" | "organization" => Some(PartnerKind::Organisation),
            "team" => Some(PartnerKind::Team),
            "group" => Some(PartnerKind::Group),
            _ => None,
        }
    }
}

/// Whether a relationship is being kept up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartnerStatus {
    #[default]
    Active,
    Dormant,
}

impl PartnerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerStatus::Active => "active",
            PartnerStatus::Dormant => "dormant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "active" => Some(PartnerStatus::Active),
            "dormant" => Some(PartnerStatus::Dormant),
            _ => None,
        }
    }
}

/// The longest partner name, in characters (a Discord autocomplete choice holds 100).
pub const MAX_NAME_CHARS: usize = 100;
/// The longest "they want / we offer" note, in characters (a Discord embed field holds 1,024).
pub const MAX_NOTES_CHARS: usize = 1000;
/// The longest link, in characters.
pub const MAX_LINK_CHARS: usize = 500;
/// The most owners (the owner and co-owners) a partner has.
pub const MAX_OWNERS: usize = 10;
/// The most partners one entry links to.
pub const MAX_ENTRY_PARTNERS: usize = 10;

/// A partner's name as people read it, checked: visible characters on one line, trimmed, inner
/// spacing collapsed, 1 to 100 characters, with at least one letter or digit. Its [`key`] is what
/// makes it unique in a guild.
///
/// [`key`]: PartnerName::key
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PartnerName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnerNameError {
    #[error("a partner needs a name")]
    Blank,
    #[error("a partner's name is at most {MAX_NAME_CHARS} characters")]
    TooLong,
}

impl PartnerName {
    pub fn parse(raw: &str) -> Result<Self, PartnerNameError> {
        let seen = visible(raw);
        let name = seen.split_whitespace().collect::<Vec<_>>().join(" ");
        if name_key(&name).is_empty() {
            return Err(PartnerNameError::Blank);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(PartnerNameError::TooLong);
        }
        Ok(PartnerName(name))
    }

    /// A name read back from the store, which checked it when it was written.
    pub fn from_stored(name: String) -> Self {
        PartnerName(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What two names are compared by: lower case, accents, punctuation and spacing ignored,
    /// `&` read as `and` (`Dr A. Field` and `dr a field`, `Müller Lab` and `Muller-Lab`).
    pub fn key(&self) -> String {
        name_key(&self.0)
    }
}

impl std::fmt::Display for PartnerName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The comparison form of any typed name (see [`PartnerName::key`]): what a look-up by name uses.
pub fn name_key(raw: &str) -> String {
    // Squashed as departments are (so the fuzzy index never holds two alike), then without accents.
    squashed(raw).nfd().filter(|&c| !is_combining_mark(c)).nfc().collect()
}

/// A partner as an entry names it: its id, and its name when the entry was read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartnerLink {
    pub id: PartnerId,
    pub name: PartnerName,
}

/// What a partner is and who looks after it: everything but its id and history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerProfile {
    pub kind: PartnerKind,
    pub name: PartnerName,
    /// Filed under their keys, none or several, in the order given.
    pub departments: Vec<DepartmentKey>,
    /// The owner first, then the co-owners; none for a partner nobody has taken on yet.
    pub owners: Vec<UserId>,
    /// "They want / we offer": a short free text, redacted as notes are.
    pub notes: String,
    pub link: Option<String>,
    pub status: PartnerStatus,
}

impl PartnerProfile {
    /// The member who looks after it, if any.
    pub fn owner(&self) -> Option<UserId> {
        self.owners.first().copied()
    }

    pub fn co_owners(&self) -> &[UserId] {
        self.owners.get(1..).unwrap_or(&[])
    }

    pub fn is_owner(&self, user: UserId) -> bool {
        self.owners.contains(&user)
    }
}

/// A partner not stored yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPartner {
    pub guild: GuildId,
    pub profile: PartnerProfile,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// A stored partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: PartnerId,
    pub guild: GuildId,
    pub profile: PartnerProfile,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Partner {
    pub fn link(&self) -> PartnerLink {
        PartnerLink { id: self.id, name: self.profile.name.clone() }
    }
}

/// How similar (0 to 1, as [`DepartmentCatalogue::closest_scored`] measures) an existing name must
/// be to a new partner's to be offered first: `Dr A Feild` offers `Dr A. Field` (about 0.9), while
/// names that merely share a letter or two (`Publisher X`, `Study Skills`) stay well under it.
pub const CLOSE_NAME_SIMILARITY: f64 = 0.8;

/// How many close names a new partner's is offered, and how many suggestions a name that names
/// no partner gets.
pub const CLOSE_NAMES_OFFERED: usize = 3;

/// A guild's partner names as a fuzzy index, for autocomplete, suggestions and the close-name
/// check. It is the department catalogue's index, built over the names (one implementation of
/// fuzzy matching, not two), with each name's unaccented spelling as its alias so that `muller`
/// finds `Müller Lab`.
#[derive(Debug, Clone)]
pub struct PartnerIndex {
    links: Vec<PartnerLink>,
    by_name: HashMap<String, usize>,
    /// `None` for a guild with no partners (a catalogue is never empty).
    catalogue: Option<DepartmentCatalogue>,
}

impl PartnerIndex {
    pub fn new(links: Vec<PartnerLink>) -> Self {
        let by_name = links.iter().enumerate().map(|(n, l)| (l.name.as_str().to_string(), n)).collect();
        let spec = |l: &PartnerLink, with_alias: bool| {
            let plain = unaccented(l.name.as_str());
            let aliases = if with_alias && plain != l.name.as_str() { vec![plain] } else { Vec::new() };
            DepartmentSpec { name: l.name.as_str().to_string(), aliases }
        };
        // Names are unique by key, so the catalogue cannot find two alike; should a stored name
        // ever make it refuse, the index does without aliases, then without fuzzy matching.
        let catalogue = DepartmentCatalogue::new(links.iter().map(|l| spec(l, true)).collect())
            .or_else(|_| DepartmentCatalogue::new(links.iter().map(|l| spec(l, false)).collect()))
            .ok();
        PartnerIndex { links, by_name, catalogue }
    }

    fn link_of(&self, name: &str) -> Option<&PartnerLink> {
        self.by_name.get(name).map(|&n| &self.links[n])
    }

    /// Up to `limit` partners for a partial name: prefixes first, then word prefixes, then fuzzy
    /// matches; an empty input lists them by name.
    pub fn autocomplete(&self, partial: &str, limit: usize) -> Vec<&PartnerLink> {
        match &self.catalogue {
            Some(c) => c.autocomplete(partial, limit).into_iter().filter_map(|n| self.link_of(n)).collect(),
            None => Vec::new(),
        }
    }

    /// The `n` partners whose names are closest to `typed`, closest first, with how close.
    pub fn closest(&self, typed: &str, n: usize) -> Vec<(&PartnerLink, f64)> {
        match &self.catalogue {
            Some(c) => c
                .closest_scored(typed, n)
                .into_iter()
                .filter_map(|(name, score)| Some((self.link_of(name)?, score)))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The partners a new one called `typed` might be a duplicate of, closest first.
    pub fn close_to(&self, typed: &str) -> Vec<&PartnerLink> {
        self.closest(typed, CLOSE_NAMES_OFFERED)
            .into_iter()
            .filter(|&(_, score)| score >= CLOSE_NAME_SIMILARITY)
            .map(|(link, _)| link)
            .collect()
    }
}

/// A name with its accents taken off (`Müller` is `Muller`), its words kept.
fn unaccented(name: &str) -> String {
    name.nfd().filter(|&c| !is_combining_mark(c)).nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_ignoring_case_accents_punctuation_and_spacing() {
        let a = PartnerName::parse("  Dr  A. Field ").unwrap();
        assert_eq!(a.as_str(), "Dr A. Field");
        assert_eq!(a.key(), PartnerName::parse("dr a field").unwrap().key());
        assert_eq!(name_key("Müller Lab"), name_key("Muller-Lab"));
        assert_eq!(name_key("Müller Lab"), name_key("Mu\u{308}ller lab"));
        assert_eq!(name_key("Arts & Humanities"), name_key("arts and humanities"));
        assert_ne!(name_key("Field"), name_key("Fields"));
    }

    #[test]
    fn a_name_needs_a_letter_or_digit_and_fits_a_choice() {
        assert_eq!(PartnerName::parse(" \u{200B} -- "), Err(PartnerNameError::Blank));
        assert_eq!(PartnerName::parse(&"x".repeat(101)), Err(PartnerNameError::TooLong));
        assert!(PartnerName::parse(&"x".repeat(100)).is_ok());
        assert_eq!(PartnerName::parse("a\nb").unwrap().as_str(), "a b");
    }

    #[test]
    fn names_parse_idempotently() {
        for raw in ["Dr  A. Field", "Müller\u{200B}Lab", " Technology Enhanced Learning "] {
            let once = PartnerName::parse(raw).unwrap();
            assert_eq!(PartnerName::parse(once.as_str()).unwrap(), once);
        }
    }

    #[test]
    fn kinds_and_statuses_read_back() {
        for kind in PartnerKind::ALL {
            assert_eq!(PartnerKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(PartnerKind::parse("Organization"), Some(PartnerKind::Organisation));
        assert_eq!(PartnerStatus::parse("DORMANT"), Some(PartnerStatus::Dormant));
        assert_eq!(PartnerStatus::parse("gone"), None);
    }

    fn index(names: &[&str]) -> PartnerIndex {
        PartnerIndex::new(
            names
                .iter()
                .enumerate()
                .map(|(n, name)| PartnerLink {
                    id: PartnerId(n as i64 + 1),
                    name: PartnerName::parse(name).unwrap(),
                })
                .collect(),
        )
    }

    fn names<'a>(links: impl IntoIterator<Item = &'a PartnerLink>) -> Vec<&'a str> {
        links.into_iter().map(|l| l.name.as_str()).collect()
    }

    #[test]
    fn a_misspelt_name_is_close_and_an_unrelated_one_is_not() {
        let partners = index(&["Dr A. Field", "Study Skills", "Müller Lab", "Technology Enhanced Learning"]);
        assert_eq!(names(partners.close_to("Dr A Feild")), vec!["Dr A. Field"]);
        assert_eq!(names(partners.close_to("dr a field")), vec!["Dr A. Field"]);
        assert!(partners.close_to("Publisher X").is_empty(), "{:?}", partners.closest("Publisher X", 3));
        assert!(
            partners.close_to("Physics Society").is_empty(),
            "{:?}",
            partners.closest("Physics Society", 3)
        );
        assert_eq!(names(partners.close_to("Muller lab")), vec!["Müller Lab"]);
    }

    #[test]
    fn partners_autocomplete_by_prefix_word_and_misspelling_without_accents() {
        let partners = index(&["Dr A. Field", "Study Skills", "Müller Lab", "Technology Enhanced Learning"]);
        assert_eq!(names(partners.autocomplete("stu", 25)), vec!["Study Skills"]);
        assert_eq!(names(partners.autocomplete("field", 25)), vec!["Dr A. Field"]);
        assert_eq!(names(partners.autocomplete("muller", 25)), vec!["Müller Lab"]);
        assert_eq!(names(partners.autocomplete("tecnology", 25)), vec!["Technology Enhanced Learning"]);
        assert_eq!(partners.autocomplete("", 2).len(), 2);
        assert!(index(&[]).autocomplete("x", 25).is_empty());
        assert!(index(&[]).close_to("x").is_empty());
    }
}
