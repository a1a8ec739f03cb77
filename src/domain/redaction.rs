//! Redaction of personal data before anything is stored.

use regex::{Captures, Regex, RegexBuilder};

/// The largest compiled size a configured pattern may take; a pattern past it is rejected at
/// start-up rather than slowing every capture.
pub const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// The student/staff id pattern used when the config does not set one.
pub const DEFAULT_ID_PATTERN: &str = r"\b\d{6,9}\b";

/// The letters that start a student or staff id (`s1234567`, `U12345678`) when the config does
/// not set them.
pub const DEFAULT_ID_PREFIXES: [&str; 2] = ["s", "u"];

/// What to redact, as configured (patterns not compiled yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedactionSpec {
    pub email: bool,
    /// Payment card numbers that pass the Luhn check.
    pub card: bool,
    pub phone: bool,
    /// National Insurance numbers.
    pub ni_number: bool,
    /// Student/staff id numbers; `None` turns id redaction off.
    pub id_pattern: Option<String>,
    /// Letters (matched ignoring case) that, followed by 6 to 9 digits, make a student or staff
    /// id; empty turns these off.
    pub id_prefixes: Vec<String>,
    /// UK postcodes; off unless configured, since an address is rarely what a note is about.
    pub postcode: bool,
    pub extra: Vec<PatternSpec>,
}

impl Default for RedactionSpec {
    fn default() -> Self {
        RedactionSpec {
            email: true,
            card: true,
            phone: true,
            ni_number: true,
            id_pattern: Some(DEFAULT_ID_PATTERN.to_string()),
            id_prefixes: DEFAULT_ID_PREFIXES.map(str::to_string).to_vec(),
            postcode: false,
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

type Accept = fn(matched: &str, before: &str, after: &str) -> Option<usize>;

#[derive(Debug, Clone)]
struct CompiledPattern {
    name: String,
    regex: Regex,
    replacement: String,
    /// A second look at each match that a regex alone cannot take (counting digits, looking
    /// behind): given the match and the text before and after it, how much of the match to
    /// replace, or `None` to leave it alone.
    accept: Option<Accept>,
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

/// A payment card number: 14 to 19 digits, run together or in the groups printed on cards
/// (4-4-4-4 and longer, Amex's 4-6-5, Diners' 4-6-4). [`accept_card`] checks the issuer's first
/// digits and the Luhn digit, so an order number or a 16-digit count is left alone. Fewer than
/// 14 digits never match: ISBN-13s stay.
const CARD_PATTERN: &str =
    concat!(r"\b(?:\d{14,19}", r"|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?", r"|\d{4}[ -]\d{6}[ -]\d{4,5})\b",);

/// A National Insurance number as HMRC allocates them, spaced or not (`AB 12 34 56 C`): D, F, I,
/// Q, U and V never start one, O never comes second (so HMRC's own specimen `QQ 12 34 56 C` is
/// left), and the prefixes never allocated (BG, GB, KN, NK, NT, TN, ZZ) are refused by
/// [`accept_ni_number`].
const NI_NUMBER_PATTERN: &str = r"(?i)\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b";

/// A UK postcode in capitals, with or without its space (`CB2 1TN`, `SW1A1AA`, `GIR 0AA`).
const POSTCODE_PATTERN: &str = r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b";

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
        // Card before phone and id, which would otherwise each take part of its digits.
        if spec.card {
            patterns.push(compile("card", CARD_PATTERN, "[card number]", Some(accept_card))?);
        }
        // Phone before id: the digits of a phone number would otherwise look like an id.
        if spec.phone {
            patterns.push(compile("phone", PHONE_PATTERN, "[phone]", Some(accept_phone))?);
        }
        if spec.ni_number {
            patterns.push(compile("ni number", NI_NUMBER_PATTERN, "[ni number]", Some(accept_ni_number))?);
        }
        if let Some(id) = &spec.id_pattern {
            // The built-in shape looks past its match; a configured one is taken as written.
            let accept: Option<Accept> = (id == DEFAULT_ID_PATTERN).then_some(accept_plain_id);
            patterns.push(compile("id", id, "[id]", accept)?);
        }
        if !spec.id_prefixes.is_empty() {
            patterns.push(compile("prefixed id", &prefixed_id_pattern(&spec.id_prefixes)?, "[id]", None)?);
        }
        if spec.postcode {
            patterns.push(compile("postcode", POSTCODE_PATTERN, "[postcode]", None)?);
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
            current = pattern.replace(&current, &mut count);
        }
        Redacted { text: current, count }
    }

    /// The names of the patterns in the order they are applied.
    pub fn pattern_names(&self) -> Vec<&str> {
        self.patterns.iter().map(|p| p.name.as_str()).collect()
    }
}

impl CompiledPattern {
    /// Every match in `text` replaced, counted in `count`. A match its check refuses (a card number
    /// failing Luhn) is not skipped whole: the search resumes one character into it, so a real
    /// card number that a longer refused run of digits overlapped is still found in this pass,
    /// and redacting what was redacted finds nothing more.
    fn replace(&self, text: &str, count: &mut u32) -> String {
        let Some(accept) = self.accept else {
            return self
                .regex
                .replace_all(text, |caps: &Captures| {
                    *count = count.saturating_add(1);
                    // `$1`-style references let a configured replacement keep part of the match.
                    let mut out = String::new();
                    caps.expand(&self.replacement, &mut out);
                    out
                })
                .into_owned();
        };
        let mut out = String::with_capacity(text.len());
        let (mut copied, mut from) = (0, 0);
        while let Some(caps) = self.regex.captures_at(text, from) {
            let Some(m) = caps.get(0) else { break };
            match accept(m.as_str(), &text[..m.start()], &text[m.end()..]) {
                Some(keep_from) => {
                    *count = count.saturating_add(1);
                    out.push_str(&text[copied..m.start()]);
                    caps.expand(&self.replacement, &mut out);
                    out.push_str(&m.as_str()[keep_from..]);
                    copied = m.end();
                    from = m.end().max(next_char(text, m.start()));
                }
                None => from = next_char(text, m.start()),
            }
            if from > text.len() {
                break;
            }
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// The byte offset of the character after the one at `at` (the end of `text` past its last).
fn next_char(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(text.len() + 1, |c| at + c.len_utf8())
}

fn compile(
    name: &str,
    pattern: &str,
    replacement: &str,
    accept: Option<Accept>,
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

/// `\b(?i:s|u)\d{6,9}\b` for the prefixes `s` and `u`. A prefix is 1 to 4 ASCII letters, so
/// that the pattern cannot take words or course codes (`HIST101` has three digits).
fn prefixed_id_pattern(prefixes: &[String]) -> Result<String, RedactionError> {
    let mut alternatives = Vec::with_capacity(prefixes.len());
    for prefix in prefixes {
        let prefix = prefix.trim();
        if prefix.is_empty() || prefix.len() > 4 || !prefix.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(RedactionError {
                name: "id_prefixes".to_string(),
                reason: format!("\"{prefix}\" is not 1 to 4 letters"),
            });
        }
        alternatives.push(prefix.to_string());
    }
    Ok(format!(r"\b(?i:{})\d{{6,9}}\b", alternatives.join("|")))
}

/// A run of digits joined by a hyphen to more digits is one group of a longer number (an ISBN
/// such as `0-19-852663-6`, a range), not an id.
fn accept_plain_id(matched: &str, before: &str, after: &str) -> Option<usize> {
    let joined_before = before.strip_suffix('-').is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit()));
    let joined_after = after.strip_prefix('-').is_some_and(|a| a.starts_with(|c: char| c.is_ascii_digit()));
    (!joined_before && !joined_after).then_some(matched.len())
}

/// A card match is a card number when its issuer digits are a card network's (3 to 6, or the
/// 2221 to 2720 Mastercard range) and its Luhn check digit is right.
fn accept_card(matched: &str, _before: &str, _after: &str) -> Option<usize> {
    let digits: Vec<u32> = matched.chars().filter_map(|c| c.to_digit(10)).collect();
    let first_four = digits.iter().take(4).fold(0, |n, d| n * 10 + d);
    let issuer = matches!(digits.first(), Some(3..=6)) || (2221..=2720).contains(&first_four);
    let luhn: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| match (i % 2 == 1, d * 2) {
            (true, doubled) if doubled > 9 => doubled - 9,
            (true, doubled) => doubled,
            (false, _) => d,
        })
        .sum();
    (issuer && luhn.is_multiple_of(10)).then_some(matched.len())
}

/// Prefixes HMRC never allocates, though the letters alone would allow them.
fn accept_ni_number(matched: &str, _before: &str, _after: &str) -> Option<usize> {
    let prefix = matched.get(..2)?.to_ascii_uppercase();
    (!["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&prefix.as_str())).then_some(matched.len())
}

/// How much of a phone match is a phone number. National matches are exact by construction; an
/// international one must have a plausible number of digits for its country code, and trailing
/// groups are dropped while it has too many (so `+44 7700 900123 12 of them` keeps the `12`).
fn accept_phone(matched: &str, _before: &str, _after: &str) -> Option<usize> {
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

    /// Every built-in off.
    fn nothing() -> RedactionSpec {
        RedactionSpec {
            email: false,
            card: false,
            phone: false,
            ni_number: false,
            id_pattern: None,
            id_prefixes: Vec::new(),
            postcode: false,
            extra: Vec::new(),
        }
    }

    fn phone_only() -> Redactor {
        Redactor::new(&RedactionSpec { phone: true, ..nothing() }).expect("phone compiles")
    }

    fn everything() -> Redactor {
        Redactor::new(&RedactionSpec { postcode: true, ..RedactionSpec::default() })
            .expect("built-ins compile")
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
        assert_eq!(r.pattern_names(), ["email", "card", "phone", "ni number", "id", "prefixed id", "module"]);
        assert_eq!(everything().pattern_names().last(), Some(&"postcode"));
    }

    #[test]
    fn switched_off_built_ins_are_left_out() {
        let r = Redactor::new(&nothing()).expect("valid");
        assert!(r.pattern_names().is_empty());
        let text = "jo@example.ac.uk 07700 900123 12345678 s1234567 QQ123456C 4111111111111111 CB2 1TN";
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
        for (name, pattern) in [
            ("email", EMAIL_PATTERN),
            ("card", CARD_PATTERN),
            ("phone", PHONE_PATTERN),
            ("ni number", NI_NUMBER_PATTERN),
            ("id", DEFAULT_ID_PATTERN),
            ("postcode", POSTCODE_PATTERN),
        ] {
            assert!(compile(name, pattern, "x", None).is_ok(), "{name}");
        }
    }

    /// Text that looks like numbers and codes but holds nobody's personal data.
    const ORDINARY: &[&str] = &[
        "HIST101 and HIST2001, ENG 101, module CS1234",
        "in 2026, 2025/26, 1999-2000 and 2026-11-03",
        "pp. 123-145, pages 12-19, p. 1234",
        "ISBN 978-0-19-852663-6, ISBN 9780198526637, ISBN 0-19-852663-6, ISBN 0198526636",
        "ISBN 979-8-6021-1496-1, items 100234-100260",
        "room 2.14, 14:30-16:00, 3 PhD students, 42 of them, £1,250.00",
        "order 1234567890123, invoice 12345678901234567, 1234 5678 9012 3456",
        "AB 1 and NI scheme, CB2 and SW1, the A1 road, B2 3rd floor",
        "spring 2026 2027 2028 2029, 2024-2025-2026-2027",
        "s12345 u12 S1 and sub 12345678901",
    ];

    #[test]
    fn ordinary_text_is_left_alone_by_every_pattern() {
        for r in [default_redactor(), everything()] {
            for text in ORDINARY {
                assert_eq!(r.redact(text), Redacted { text: text.to_string(), count: 0 }, "{text}");
            }
        }
    }

    #[test]
    fn redacts_email_addresses_with_tags_and_subdomains() {
        let r = default_redactor();
        for address in [
            "jo.bloggs+reading-lists@mail.history.ox.ac.uk",
            "first.last+2026@sub.dept.uni-x.ac.uk",
            "j+o@a.b.c.d.example.org",
            "JO+LIB@LIB.EXAMPLE.AC.UK",
        ] {
            assert_eq!(
                r.redact(&format!("write to {address}, thanks")).text,
                "write to [email], thanks",
                "{address}"
            );
        }
    }

    #[test]
    fn redacts_prefixed_student_and_staff_ids() {
        let r = default_redactor();
        assert_eq!(r.redact("student s1234567 and staff U12345678").text, "student [id] and staff [id]");
        assert_eq!(r.redact("(S123456)").text, "([id])");
        let custom =
            Redactor::new(&RedactionSpec { id_prefixes: vec!["b".into(), "STF".into()], ..nothing() })
                .expect("valid");
        assert_eq!(custom.redact("b1234567 stf7654321 s1234567").text, "[id] [id] s1234567");
        for bad in ["", "1", "s-", "abcde", "ś"] {
            let err = Redactor::new(&RedactionSpec { id_prefixes: vec![bad.into()], ..nothing() })
                .expect_err("not letters");
            assert_eq!(err.name, "id_prefixes", "{bad:?}");
        }
    }

    #[test]
    fn redacts_national_insurance_numbers() {
        let r = default_redactor();
        for number in ["AB 12 34 56 C", "AB123456C", "jz 12 34 56 a", "CE123456D"] {
            assert_eq!(r.redact(&format!("NI {number}.")).text, "NI [ni number].", "{number}");
        }
        // Letters HMRC never uses, or prefixes it never allocates.
        for text in ["DA123456A", "AO123456A", "GB123456A", "ZZ 12 34 56 A", "AB123456E"] {
            assert_eq!(r.redact(text).text, text, "{text}");
        }
    }

    #[test]
    fn a_refused_run_of_digits_never_hides_the_card_number_it_overlaps() {
        // The leftmost run "7946 0958 4111 1111" fails Luhn; the card after it is still found in
        // the same pass, so a second pass finds nothing (found by tests/properties.rs).
        let r = Redactor::new(&RedactionSpec::default()).unwrap();
        let once = r.redact("+44 20 7946 0958 4111 1111 1111 1111");
        assert_eq!((once.text.as_str(), once.count), ("[phone] [card number]", 2));
        assert_eq!(r.redact(&once.text).count, 0);
    }

    #[test]
    fn redacts_payment_card_numbers_that_pass_luhn() {
        let r = default_redactor();
        for number in [
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111111111111111",
            "5555 5555 5555 4444",
            "2223 0031 2200 3222",
            "3782 822463 10005",
            "378282246310005",
            "3056 930902 5904",
            "6011 1111 1111 1117",
            "4111 1111 1111 1111 003",
        ] {
            assert_eq!(r.redact(&format!("card {number}, exp")).text, "card [card number], exp", "{number}");
        }
        // One digit wrong, or an issuer no card network uses.
        for text in ["4111 1111 1111 1112", "1111 1111 1111 1117", "0000000000000000"] {
            assert_eq!(r.redact(text).text, text, "{text}");
        }
    }

    #[test]
    fn redacts_uk_postcodes_only_when_switched_on() {
        let text = "lives at CB2 1TN, SW1A 1AA, M11AE and GIR 0AA";
        assert_eq!(default_redactor().redact(text).text, text);
        assert_eq!(
            everything().redact(text).text,
            "lives at [postcode], [postcode], [postcode] and [postcode]"
        );
    }

    #[test]
    fn redacting_again_finds_nothing() {
        let r = everything();
        let text = "jo+x@a.ac.uk s1234567 AB123456C 4111111111111111 07700 900123 CB2 1TN 12345678";
        let once = r.redact(text);
        assert_eq!(once.text, "[email] [id] [ni number] [card number] [phone] [postcode] [id]");
        assert_eq!(once.count, 7);
        assert_eq!(r.redact(&once.text), Redacted { text: once.text, count: 0 });
    }

    #[test]
    fn text_without_personal_data_is_unchanged() {
        let text = "Head of department wants more #EEBO.\nFollow up next week.";
        assert_eq!(default_redactor().redact(text), Redacted { text: text.to_string(), count: 0 });
    }
}
