//! Impact stories: what changed because of an entry (an outcome, an optional evidence link), and
//! which of the guild's objectives it serves. Library managers report these next to the numbers.

use chrono::{DateTime, Utc};

use super::department::{DepartmentCatalogue, DepartmentKey, DepartmentSpec};
use super::ids::{EntryId, GuildId, UserId};
use super::partner::{name_key, PartnerLink};
use super::privacy::Share;
use super::redaction::Redactor;
use super::text::visible;
use super::web_link::{checked_web_link, WebLinkError};

/// The longest outcome, in characters, as typed and as stored.
pub const MAX_OUTCOME_CHARS: usize = 1000;
/// The longest objective name, in characters.
pub const MAX_OBJECTIVE_CHARS: usize = 100;
/// The longest evidence link, in characters (a partner's link has the same limit).
pub const MAX_EVIDENCE_CHARS: usize = super::partner::MAX_LINK_CHARS;
/// The most objectives a guild keeps: a short list, which also fits one Discord select menu.
pub const MAX_OBJECTIVES: usize = 25;

/// What changed: [`visible`] text, trimmed, 1 to [`MAX_OUTCOME_CHARS`] characters, redacted as
/// entry notes are before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Outcome(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutcomeError {
    #[error("say what changed: the outcome is empty")]
    Empty,
    #[error("the outcome is {0} characters long; the limit is {MAX_OUTCOME_CHARS}")]
    TooLong(usize),
}

impl Outcome {
    pub fn parse(text: &str) -> Result<Self, OutcomeError> {
        let cleaned = visible(text);
        let trimmed = cleaned.trim();
        match trimmed.chars().count() {
            0 => Err(OutcomeError::Empty),
            n if n > MAX_OUTCOME_CHARS => Err(OutcomeError::TooLong(n)),
            _ => Ok(Outcome(trimmed.to_string())),
        }
    }

    /// What an outcome as typed is stored as, as [`Note::clean`](super::note::Note::clean) does
    /// for notes: checked as typed, redacted, checked again (a replacement changes the length).
    /// Returns it with how many items of personal data were replaced.
    pub fn clean(typed: &str, redactor: &Redactor) -> Result<(Self, u32), OutcomeError> {
        let seen = Outcome::parse(typed)?;
        let redacted = redactor.redact(seen.as_str());
        Ok((Outcome::parse(&redacted.text)?, redacted.count))
    }

    /// An outcome read back from the store, which checked it when it was written.
    pub fn from_stored(text: String) -> Self {
        Outcome(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// At most `max_chars` characters on one line, cut as a note's excerpt is.
    pub fn excerpt(&self, max_chars: usize) -> String {
        // The same text rules as a note's (visible, trimmed, non-empty): one way to cut both.
        super::note::Note::from_stored(self.0.clone()).excerpt(max_chars)
    }
}

/// An evidence link: a web address (http or https), as partner links are checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Evidence(String);

impl Evidence {
    /// Trims first: a pasted address often carries a space or a newline at either end.
    pub fn parse(text: &str) -> Result<Self, WebLinkError> {
        checked_web_link(text.trim(), MAX_EVIDENCE_CHARS).map(Evidence)
    }

    pub fn from_stored(text: String) -> Self {
        Evidence(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An objective's name, checked: visible characters on one line, inner spacing collapsed, 1 to
/// [`MAX_OBJECTIVE_CHARS`] characters with a letter or digit. Two names with the same [`key`]
/// (case, accents, punctuation ignored) are the same objective.
///
/// [`key`]: ObjectiveName::key
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectiveName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectiveNameError {
    #[error("an objective needs a name with a letter or digit")]
    Blank,
    #[error("an objective's name is at most {MAX_OBJECTIVE_CHARS} characters")]
    TooLong,
}

impl ObjectiveName {
    pub fn parse(raw: &str) -> Result<Self, ObjectiveNameError> {
        let seen = visible(raw);
        let name = seen.split_whitespace().collect::<Vec<_>>().join(" ");
        if name_key(&name).is_empty() {
            return Err(ObjectiveNameError::Blank);
        }
        if name.chars().count() > MAX_OBJECTIVE_CHARS {
            return Err(ObjectiveNameError::TooLong);
        }
        Ok(ObjectiveName(name))
    }

    pub fn from_stored(name: String) -> Self {
        ObjectiveName(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What two names are compared by, as partner names are.
    pub fn key(&self) -> String {
        name_key(&self.0)
    }
}

impl std::fmt::Display for ObjectiveName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How similar (0 to 1) a typed objective must be to a listed one to be taken for it, when it is
/// neither the name itself nor the start of only one name: a typo or two, not a different word.
pub const OBJECTIVE_SIMILARITY: f64 = 0.8;

/// A typed objective that names none of the guild's: what to tell the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectiveMismatch {
    #[error("this server has no objectives yet: an admin adds them with /settings objectives")]
    NoneListed,
    #[error("\"{typed}\" is not one of this server's objectives: {}", listed.join("; "))]
    Unknown { typed: String, listed: Vec<String> },
}

/// A guild's objectives, in the order they were added, matched fuzzily: the name itself (case,
/// accents and punctuation ignored), the start of exactly one name, or one name close to it.
#[derive(Debug, Clone)]
pub struct Objectives {
    names: Vec<ObjectiveName>,
    /// `None` when there are none (a catalogue is never empty), or should the stored names ever
    /// collide in it: then only exact names match.
    catalogue: Option<DepartmentCatalogue>,
}

impl Objectives {
    pub fn new(names: Vec<ObjectiveName>) -> Self {
        // The department catalogue's fuzzy index, over the names: one implementation of fuzzy
        // matching in the crate, not two.
        let specs =
            names.iter().map(|n| DepartmentSpec { name: n.as_str().to_string(), aliases: Vec::new() });
        let catalogue = DepartmentCatalogue::new(specs.collect()).ok();
        Objectives { names, catalogue }
    }

    pub fn names(&self) -> &[ObjectiveName] {
        &self.names
    }

    fn named(&self, name: &str) -> Option<&ObjectiveName> {
        self.names.iter().find(|n| n.as_str() == name)
    }

    /// The objective `typed` names, or why none.
    pub fn matching(&self, typed: &str) -> Result<&ObjectiveName, ObjectiveMismatch> {
        if self.names.is_empty() {
            return Err(ObjectiveMismatch::NoneListed);
        }
        let key = name_key(typed);
        if let Some(exact) = self.names.iter().find(|n| !key.is_empty() && n.key() == key) {
            return Ok(exact);
        }
        if let Some(found) = self.catalogue.as_ref().and_then(|c| fuzzy(c, typed)) {
            if let Some(name) = self.named(found) {
                return Ok(name);
            }
        }
        Err(ObjectiveMismatch::Unknown {
            typed: visible(typed).trim().to_string(),
            listed: self.names.iter().map(|n| n.as_str().to_string()).collect(),
        })
    }

    /// Up to `limit` names for a partial one, best first; all (to `limit`) for an empty one.
    pub fn autocomplete(&self, partial: &str, limit: usize) -> Vec<&ObjectiveName> {
        match &self.catalogue {
            Some(c) => c.autocomplete(partial, limit).into_iter().filter_map(|n| self.named(n)).collect(),
            None => self.names.iter().take(limit).collect(),
        }
    }
}

/// The one name `typed` starts or closely resembles; `None` when several or none do.
fn fuzzy<'c>(catalogue: &'c DepartmentCatalogue, typed: &str) -> Option<&'c str> {
    if name_key(typed).is_empty() {
        return None;
    }
    if let [only] = catalogue.autocomplete(typed, 2).as_slice() {
        return Some(only);
    }
    match catalogue.closest_scored(typed, 2).as_slice() {
        [(best, score)] if *score >= OBJECTIVE_SIMILARITY => Some(best),
        [(best, score), (_, second)] if *score >= OBJECTIVE_SIMILARITY && score > second => Some(best),
        _ => None,
    }
}

/// What a member gives to mark an entry as an impact story, checked and redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactMark {
    pub outcome: Outcome,
    pub evidence: Option<Evidence>,
    pub objective: ObjectiveName,
}

/// An entry's impact story as stored: one per entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactStory {
    pub guild: GuildId,
    pub entry: EntryId,
    pub outcome: Outcome,
    pub evidence: Option<Evidence>,
    /// The objective's name when it was marked: a story keeps it after the objective is removed
    /// from the list.
    pub objective: ObjectiveName,
    pub marked_by: UserId,
    pub marked_at: DateTime<Utc>,
}

/// A story with what a digest or report shows beside it, from its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactLine {
    pub story: ImpactStory,
    /// The entry's department first, then the others it is filed under.
    pub departments: Vec<DepartmentKey>,
    pub partners: Vec<PartnerLink>,
    pub occurred_at: DateTime<Utc>,
    pub author: UserId,
    pub share: Share,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::redaction::RedactionSpec;

    fn objectives(names: &[&str]) -> Objectives {
        Objectives::new(names.iter().map(|n| ObjectiveName::parse(n).unwrap()).collect())
    }

    #[test]
    fn an_outcome_is_visible_trimmed_and_within_the_limit() {
        assert_eq!(
            Outcome::parse("  \u{200B}Module  reading list rebuilt \n").unwrap().as_str(),
            "Module  reading list rebuilt"
        );
        assert_eq!(Outcome::parse(" \u{200B} "), Err(OutcomeError::Empty));
        assert_eq!(
            Outcome::parse(&"x".repeat(MAX_OUTCOME_CHARS)).map(|o| o.as_str().len()),
            Ok(MAX_OUTCOME_CHARS)
        );
        assert_eq!(Outcome::parse(&"x".repeat(MAX_OUTCOME_CHARS + 1)), Err(OutcomeError::TooLong(1001)));
    }

    #[test]
    fn an_outcome_is_redacted_before_it_is_stored() {
        let redactor = Redactor::new(&RedactionSpec::default()).unwrap();
        let (outcome, count) =
            Outcome::clean("Emailed jo.bloggs@example.ac.uk the guide", &redactor).unwrap();
        assert_eq!(outcome.as_str(), "Emailed [email] the guide");
        assert_eq!(count, 1);
    }

    #[test]
    fn evidence_is_a_web_address() {
        assert_eq!(
            Evidence::parse(" https://example.ac.uk/report \n").unwrap().as_str(),
            "https://example.ac.uk/report"
        );
        assert_eq!(Evidence::parse("file:///etc/passwd"), Err(WebLinkError::NotWeb));
    }

    #[test]
    fn objective_names_are_checked_and_compared_ignoring_case_and_punctuation() {
        let n = ObjectiveName::parse("  Digital   skills (JISC framework) ").unwrap();
        assert_eq!(n.as_str(), "Digital skills (JISC framework)");
        assert_eq!(n.key(), ObjectiveName::parse("digital skills jisc framework").unwrap().key());
        assert_eq!(ObjectiveName::parse("--"), Err(ObjectiveNameError::Blank));
        assert_eq!(ObjectiveName::parse(&"a".repeat(101)), Err(ObjectiveNameError::TooLong));
    }

    #[test]
    fn a_typed_objective_matches_exactly_by_prefix_or_by_a_close_spelling() {
        let list = objectives(&["Digital skills (JISC framework)", "Research support", "Open access"]);
        let name = |typed: &str| list.matching(typed).map(|n| n.as_str().to_string());
        assert_eq!(name("digital skills (jisc framework)").unwrap(), "Digital skills (JISC framework)");
        assert_eq!(name("digital").unwrap(), "Digital skills (JISC framework)");
        assert_eq!(name("Reserch suport").unwrap(), "Research support");
        assert_eq!(name("open acess").unwrap(), "Open access");
    }

    #[test]
    fn an_unmatched_objective_lists_the_guilds_objectives() {
        let list = objectives(&["Research support", "Open access"]);
        let err = list.matching("Student wellbeing").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"Student wellbeing\" is not one of this server's objectives: Research support; Open access"
        );
        assert_eq!(objectives(&[]).matching("anything"), Err(ObjectiveMismatch::NoneListed));
        assert!(list.matching("  ").is_err());
    }
}
