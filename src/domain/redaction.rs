//! Redaction of personal data before anything is stored.

use regex::{Captures, Regex, RegexBuilder};

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
    /// A second look at each match that a regex alone cannot take (counting digits): how much of
    /// the match to replace, or `None` to leave it alone.
    accept: Option<fn(&str) -> Option<usize>>,
}

/// A practical address: a local part that does not start with a dot, a domain of labels that
/// neither start nor end with a hyphen, and a top-level domain of letters. Letters in any script,
/// since internationalised addresses are in use at some universities.
const EMAIL_PATTERN: &str = concat!(
    r"[\p{L}\p{N}_%+-][\p{L}\p{N}._%+'-]*@",
    r"[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?",
    r"(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*",
    r"\.\p{L}{2,}\b",
);

/// Telephone numbers as people write them in the UK, and international numbers.
///
/// Every form needs either an international prefix or a leading `0` and then a run of digits
/// as long as a real number, so years, dates, times, counts and room numbers never match.
/// National numbers are spelt out group by group (2+8, 3+7, 4+6, 4+5 and 5+4/5 digits after
/// the `0`); eleven digits may run together, ten need a space, so a ten-digit ISBN starting with
/// `0` is left alone. International numbers take a looser shape whose digit count
/// [`accept_phone`] checks.
const PHONE_PATTERN: &str = concat!(
    // International: +CC or 00CC, an optional bracketed trunk zero, then groups of digits.
    r"(?:(?:\+|\b00)[1-9]\d{0,2}(?:[ .-]?\(0\))?[ .-]?(?:\(\d{1,4}\)|\d{1,4})(?:[ .-]?\d{1,8}){1,5}\b)",
    r"|(?:(?:\(0[1-9]\d\)|\b0[1-9]\d)[ -]?\d{4}[ -]?\d{4}\b)",
    r"|(?:(?:\(0[1-9]\d{2}\)|\b0[1-9]\d{2})[ -]?\d{3}[ -]?\d{4}\b)",
    r"|(?:(?:\(0[1-9]\d{3}\)|\b0[1-9]\d{3})[ -]?\d{3}[ -]?\d{3}\b)",
    r"|(?:(?:\(0[1-9]\d{3}\)|\b0[1-9]\d{3})(?:[ -]?\d{6}|[ -]\d{5})\b)",
    r"|(?:(?:\(0[1-9]\d{4}\)|\b0[1-9]\d{4})[ -]\d{4,5}\b)",
);

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
        let mut patterns = Vec::new();
        if spec.email {
            patterns.push(compile("email", EMAIL_PATTERN, "[email]", None)?);
        }
        // Phone before id: the digits of a phone number would otherwise look like an id.
        if spec.phone {
            patterns.push(compile("phone", PHONE_PATTERN, "[phone]", Some(accept_phone))?);
        }
        if let Some(id) = &spec.id_pattern {
            patterns.push(compile("id", id, "[id]", None)?);
        }
        for extra in &spec.extra {
            patterns.push(compile(&extra.name, &extra.pattern, &extra.replacement, None)?);
        }
        Ok(Redactor { patterns })
    }

    pub fn redact(&self, text: &str) -> Redacted {
        let mut current = text.to_string();
        let mut count: u32 = 0;
        for pattern in &self.patterns {
            let replaced = pattern.regex.replace_all(&current, |caps: &Captures| {
                let whole = caps.get(0).map_or("", |m| m.as_str());
                let keep_from = match pattern.accept {
                    Some(accept) => match accept(whole) {
                        Some(end) => end,
                        None => return whole.to_string(),
                    },
                    None => whole.len(),
                };
                count = count.saturating_add(1);
                // `$1`-style references let a configured replacement keep part of the match.
                let mut out = String::new();
                caps.expand(&pattern.replacement, &mut out);
                out.push_str(&whole[keep_from..]);
                out
            });
            current = replaced.into_owned();
        }
        Redacted { text: current, count }
    }

    /// The names of the patterns in the order they are applied.
    pub fn pattern_names(&self) -> Vec<&str> {
        self.patterns.iter().map(|p| p.name.as_str()).collect()
    }
}

fn compile(
    name: &str,
    pattern: &str,
    replacement: &str,
    accept: Option<fn(&str) -> Option<usize>>,
) -> Result<CompiledPattern, RedactionError> {
    let error = |reason: String| RedactionError { name: name.to_string(), reason };
    let regex = RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| error(e.to_string()))?;
    // A pattern that matches nothing at all would insert its replacement between every character.
    if regex.is_match("") {
        return Err(error("it matches empty text, so it would redact between every character".to_string()));
    }
    Ok(CompiledPattern { name: name.to_string(), regex, replacement: replacement.to_string(), accept })
}

/// How much of a phone match is a phone number. National matches are exact by construction; an
/// international one must have a plausible number of digits for its country code, and trailing
/// groups are dropped while it has too many (so `+44 7700 900123 12 of them` keeps the `12`).
fn accept_phone(matched: &str) -> Option<usize> {
    let rest = matched.strip_prefix('+').or_else(|| matched.strip_prefix("00"));
    let Some(rest) = rest else {
        return Some(matched.len());
    };
    let prefix_len = matched.len() - rest.len();
    let mut end = matched.len();
    loop {
        // The bracketed trunk zero of `+44 (0)20` is not dialled from abroad.
        let digits: String =
            matched[prefix_len..end].replace("(0)", "").chars().filter(char::is_ascii_digit).collect();
        let (code_len, min, max) = country_lengths(&digits);
        let national = digits.len().saturating_sub(code_len);
        if national < min {
            return None;
        }
        if national <= max {
            return Some(end);
        }
        let cut = matched[..end].rfind([' ', '.', '-']).filter(|&cut| cut > prefix_len)?;
        end = matched[..cut].trim_end_matches([' ', '.', '-']).len();
    }
}

/// For digits after the international prefix: the length of the country code and the shortest
/// and longest number that may follow it. Countries whose numbers have a known length get tight
/// bounds; for the rest the code is not split off and E.164's limit of fifteen digits applies.
fn country_lengths(digits: &str) -> (usize, usize, usize) {
    const KNOWN: &[(&str, usize, usize)] = &[("1", 10, 10), ("44", 9, 10), ("33", 9, 9), ("353", 7, 9)];
    KNOWN
        .iter()
        .find(|(code, _, _)| digits.starts_with(code))
        .map_or((0, 8, 15), |&(code, min, max)| (code.len(), min, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_redactor() -> Redactor {
        Redactor::new(&RedactionSpec::default()).expect("built-ins compile")
    }

    fn phone_only() -> Redactor {
        Redactor::new(&RedactionSpec { email: false, phone: true, id_pattern: None, extra: Vec::new() })
            .expect("phone compiles")
    }

    fn extra(name: &str, pattern: &str, replacement: &str) -> PatternSpec {
        PatternSpec {
            name: name.to_string(),
            pattern: pattern.to_string(),
            replacement: replacement.to_string(),
        }
    }

    fn with_extra(extra: Vec<PatternSpec>) -> Result<Redactor, RedactionError> {
        Redactor::new(&RedactionSpec { extra, ..RedactionSpec::default() })
    }

    #[test]
    fn patterns_run_in_the_documented_order() {
        let r = with_extra(vec![extra("module", r"\b[A-Z]{2}\d{4}\b", "[module]")]).expect("valid");
        assert_eq!(r.pattern_names(), ["email", "phone", "id", "module"]);
    }

    #[test]
    fn switched_off_built_ins_are_left_out() {
        let r =
            Redactor::new(&RedactionSpec { email: false, phone: false, id_pattern: None, extra: Vec::new() })
                .expect("valid");
        assert!(r.pattern_names().is_empty());
        let text = "jo@example.ac.uk 07700 900123 12345678";
        assert_eq!(r.redact(text), Redacted { text: text.to_string(), count: 0 });
    }

    #[test]
    fn redacts_email_addresses() {
        let r = default_redactor();
        for (input, expected) in [
            ("mail jo.bloggs@example.ac.uk today", "mail [email] today"),
            ("<j_o+lib@dept.uni-x.ac.uk>", "<[email]>"),
            ("(o'neill@example.org).", "([email])."),
            ("mailto:Jo.Bloggs@Example.COM", "mailto:[email]"),
            ("zoë@université.fr", "[email]"),
        ] {
            assert_eq!(r.redact(input).text, expected, "{input}");
        }
    }

    #[test]
    fn leaves_things_that_are_not_email_addresses() {
        let r = default_redactor();
        for input in ["@channel", "jo@localhost", "a @ b.com", "twitter @jo_bloggs", "x@y.z"] {
            assert_eq!(r.redact(input).text, input, "{input}");
        }
    }

    #[test]
    fn redacts_every_phone_form() {
        let r = phone_only();
        for number in [
            "07700 900123",
            "07700900123",
            "07700 900 123",
            "+44 7700 900123",
            "+447700900123",
            "+44 (0)20 7946 0958",
            "+44 (0) 20 7946 0958",
            "+44 20 7946 0958",
            "020 7946 0958",
            "(020) 7946 0958",
            "020-7946-0958",
            "0161 496 0000",
            "01632 960983",
            "(01632) 960983",
            "01632 96098",
            "016977 4567",
            "+1 415-555-2671",
            "+1 (415) 555-2671",
            "+33 1 23 45 67 89",
            "+33 1.23.45.67.89",
            "0044 7700 900123",
            "+353 1 234 5678",
            "+49 30 12345678",
        ] {
            let text = format!("ring {number}, ok");
            assert_eq!(
                r.redact(&text),
                Redacted { text: "ring [phone], ok".to_string(), count: 1 },
                "{number}"
            );
        }
    }

    #[test]
    fn phone_numbers_at_the_edges_of_the_text() {
        let r = phone_only();
        assert_eq!(r.redact("07700 900123").text, "[phone]");
        assert_eq!(r.redact("(020) 7946 0958").text, "[phone]");
        assert_eq!(r.redact("+44 7700 900123").text, "[phone]");
    }

    #[test]
    fn ordinary_numbers_are_not_phone_numbers() {
        let r = default_redactor();
        for text in [
            "In 2026 they meet on 2026-11-03 and 3/11/2026 at 09:00.",
            "three PhD students, 12 of them in room 1.23",
            "+2 more, -3 fewer, 10-12 people, 2025/26 session, 14:30-16:00",
            "ext. 4321 and room 0.12 and 01/02/2026",
        ] {
            assert_eq!(r.redact(text), Redacted { text: text.to_string(), count: 0 }, "{text}");
        }
        // Six to nine digits are the id pattern's business; phone must not take longer runs either.
        let text = "budget 150000, up 2.5%, ISBN 0198526636, ISBN 0-19-852663-6, 12345678901234";
        assert_eq!(phone_only().redact(text).text, text);
    }

    #[test]
    fn a_phone_number_does_not_swallow_a_following_count() {
        let r = phone_only();
        assert_eq!(r.redact("+44 7700 900123 12 of them").text, "[phone] 12 of them");
        assert_eq!(r.redact("+1 415-555-2671 2026").text, "[phone] 2026");
        assert_eq!(r.redact("07700 900123 12 of them").text, "[phone] 12 of them");
        assert_eq!(r.redact("020 7946 0958 2026").text, "[phone] 2026");
    }

    #[test]
    fn too_short_international_numbers_are_left() {
        let r = phone_only();
        for text in ["+44 1234", "+1 555 1234", "+33 1 23"] {
            assert_eq!(r.redact(text).text, text, "{text}");
        }
    }

    #[test]
    fn phone_runs_before_id() {
        let r = default_redactor();
        assert_eq!(r.redact("call 07700 900123").text, "call [phone]");
        assert_eq!(r.redact("call 07700900123").text, "call [phone]");
        assert_eq!(r.redact("student 12345678").text, "student [id]");
    }

    #[test]
    fn email_runs_before_phone() {
        let r = default_redactor();
        assert_eq!(r.redact("07700900123@sms.example.com").text, "[email]");
    }

    #[test]
    fn id_pattern_default_and_custom() {
        let r = default_redactor();
        assert_eq!(
            r.redact("ids 123456, 123456789 and 12345 and 1234567890").text,
            "ids [id], [id] and 12345 and 1234567890"
        );
        let custom = Redactor::new(&RedactionSpec {
            id_pattern: Some(r"\b[Uu]\d{7}\b".to_string()),
            ..RedactionSpec::default()
        })
        .expect("valid");
        assert_eq!(custom.redact("u1234567 and 1234567").text, "[id] and 1234567");
    }

    #[test]
    fn count_is_every_replacement_across_patterns() {
        let r = with_extra(vec![extra("module", r"\b[A-Z]{2}\d{4}\b", "[module]")]).expect("valid");
        let out = r.redact(
            "jo@x.ac.uk and al@y.org rang 07700 900123 and +1 415-555-2671 about 1234567 on HI1234 and HI2345",
        );
        assert_eq!(
            out.text,
            "[email] and [email] rang [phone] and [phone] about [id] on [module] and [module]"
        );
        assert_eq!(out.count, 7);
    }

    #[test]
    fn extra_patterns_see_earlier_replacements() {
        let r = with_extra(vec![extra("tidy", r"\[email\]", "[address]")]).expect("valid");
        assert_eq!(r.redact("jo@x.ac.uk"), Redacted { text: "[address]".to_string(), count: 2 });
    }

    #[test]
    fn extra_replacements_may_use_capture_groups() {
        let r = with_extra(vec![extra("staff", r"\bstaff (\w)\w+", "staff $1.")]).expect("valid");
        assert_eq!(r.redact("ask staff Bloggs").text, "ask staff B.");
    }

    #[test]
    fn a_bad_extra_pattern_is_named() {
        let err = with_extra(vec![extra("ok", "x", "y"), extra("broken", "(", "[b]")]).expect_err("invalid");
        assert_eq!(err.name, "broken");
        assert!(err.to_string().contains("\"broken\""), "{err}");
    }

    #[test]
    fn an_enormous_extra_pattern_is_named() {
        let err = with_extra(vec![extra("huge", r"\w{1000}{1000}", "[h]")]).expect_err("too big");
        assert_eq!(err.name, "huge");
        assert!(!err.reason.is_empty());
    }

    #[test]
    fn a_bad_id_pattern_is_named_id() {
        let err =
            Redactor::new(&RedactionSpec { id_pattern: Some("[".to_string()), ..RedactionSpec::default() })
                .expect_err("invalid");
        assert_eq!(err.name, "id");
    }

    #[test]
    fn a_pattern_matching_empty_text_is_rejected() {
        let err = with_extra(vec![extra("greedy", r"\d*", "[n]")]).expect_err("matches empty");
        assert_eq!(err.name, "greedy");
    }

    #[test]
    fn built_ins_fit_the_size_limit() {
        for (name, pattern) in
            [("email", EMAIL_PATTERN), ("phone", PHONE_PATTERN), ("id", DEFAULT_ID_PATTERN)]
        {
            assert!(compile(name, pattern, "x", None).is_ok(), "{name}");
        }
    }

    #[test]
    fn text_without_personal_data_is_unchanged() {
        let text = "Head of department wants more #EEBO.\nFollow up next week.";
        assert_eq!(default_redactor().redact(text), Redacted { text: text.to_string(), count: 0 });
    }
}
