//! Property tests of the normalisers on arbitrary Unicode: whatever a parser accepts parses back
//! to itself, and redaction finds nothing left to redact in what it has redacted. Inputs mix
//! every kind of character that has broken a normaliser somewhere: letters whose case changes
//! unusually (title case, capitals without a lower case, `İ`, `ß`, final sigma), combining
//! marks, bidi controls, zero-width and other invisible characters, Unicode spaces, emoji
//! sequences, and fragments of the personal data redaction looks for.

use std::path::Path;
use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use liaison::config::Config;
use liaison::domain::date_phrase::{parse_date_phrase, DateRole};
use liaison::domain::mention::Mention;
use liaison::domain::note::Note;
use liaison::domain::redaction::{RedactionSpec, Redactor};
use liaison::domain::rules::Rules;
use liaison::domain::search::SearchTerms;
use liaison::domain::tag::{hashtags, parse_tag_list, Tag};
use liaison::domain::text::visible;
use liaison::service::record::{neutralise, restore};
use proptest::prelude::*;

/// Characters chosen for the trouble they make, plus any character at all.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => prop::char::range('a', 'z'),
        3 => prop::char::range('A', 'Z'),
        1 => prop::char::range('0', '9'),
        // Case that changes unusually: title case, capitals with no lower case, one-to-many.
        2 => prop::sample::select(vec![
            'ℝ', 'ℂ', '𝐀', '𝔸', 'ǅ', 'ǈ', 'ǋ', 'ǲ', 'ᾈ', 'İ', 'ı', 'ß', 'ẞ', 'Σ', 'ς', 'σ', 'ﬁ', 'ŉ',
            'Ω', 'Ω', 'K', 'Å', 'ϒ', 'ϓ', 'É', 'é', 'Ж', 'ж', 'Ⅻ', 'ⓐ', 'Ⓐ',
        ]),
        // Combining marks, in and out of the blocks tags treat as part of a word.
        2 => prop::sample::select(vec![
            '\u{300}', '\u{301}', '\u{307}', '\u{323}', '\u{345}', '\u{483}', '\u{93C}', '\u{94D}',
            '\u{1AB0}', '\u{20DD}', '\u{20E3}', '\u{3099}',
        ]),
        // Invisible: bidi controls, zero-width, soft hyphen, fillers, tags, controls.
        2 => prop::sample::select(vec![
            '\u{0}', '\u{2}', '\u{3}', '\u{7}', '\u{1b}', '\r', '\u{85}', '\u{AD}', '\u{61C}',
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202E}',
            '\u{2060}', '\u{2066}', '\u{2069}', '\u{FE0F}', '\u{FEFF}', '\u{3164}', '\u{E0001}',
            '\u{E0067}', '\u{E007F}', '\u{E0100}',
        ]),
        // Spaces and separators of every kind.
        2 => prop::sample::select(vec![
            ' ', ' ', '\n', '\t', '\u{A0}', '\u{2009}', '\u{202F}', '\u{3000}', '\u{2028}',
            '\u{2029}', '\u{1680}',
        ]),
        // Emoji and the pieces of their sequences.
        2 => prop::sample::select(vec!['👩', '💻', '❤', '👍', '🏽', '🇬', '🇧', '🏴', '😀', '#', '*']),
        // What tags, search and redaction split on or look for.
        2 => prop::sample::select(vec!['#', '@', '.', '-', '_', '\'', '’', '+', '(', ')', '/', ',', '&', '"', ';', '=']),
    ]
}

/// Fragments of things redaction looks for, so that they meet the tricky characters.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(tricky_char(), 1..6).prop_map(|cs| cs.into_iter().collect()),
        1 => prop::sample::select(vec![
            "jo.bloggs+lib@dept.uni-x.ac.uk", "jo@x.ac.uk", "[email]", "[phone]", "[id]", "07700 900123",
            "+44 20 7946 0958", "12345678", "s1234567", "AB 12 34 56 C", "AB123456C",
            "4111 1111 1111 1111", "378282246310005", "CB2 1TN", "HIST101", "2026", "pp. 12-19",
            "978-0-19-852663-6", "LIB-0012345X", "OpenAccess", "#EEBO", "ℝB", "http://x.org/#a",
        ])
        .prop_map(str::to_string),
    ]
}

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..max).prop_map(|parts| parts.concat())
}

/// Text up to and around a full note: 4000 characters and a little over.
fn long_text() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 3990..4010).prop_map(|cs| cs.into_iter().collect())
}

/// The shipped config's rules: its departments, channels and redaction.
fn shipped() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml");
        let text = std::fs::read_to_string(&shipped).expect("the shipped config is readable");
        Config::parse(&shipped, &text, None, None).expect("the shipped config is valid").rules
    })
}

/// The redactors in use: the built-in defaults, every pattern switched on, and the shipped config's.
fn redactors() -> &'static [Redactor] {
    static REDACTORS: OnceLock<Vec<Redactor>> = OnceLock::new();
    REDACTORS.get_or_init(|| {
        let everything = RedactionSpec { postcode: true, ..RedactionSpec::default() };
        vec![
            Redactor::new(&RedactionSpec::default()).expect("the defaults compile"),
            Redactor::new(&everything).expect("every built-in compiles"),
            shipped().redactor.clone(),
        ]
    })
}

/// Characters a paste carries that a reader does not see.
fn invisible() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        '\u{7}', '\u{AD}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2060}',
        '\u{2066}', '\u{2069}', '\u{FEFF}',
    ])
}

/// Spaces of every kind, where a reader sees a space.
fn space() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![' ', '\u{A0}', '\u{2009}', '\u{202F}', '\u{3000}', '\t']),
        1..3,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// `clean` as it may arrive: words in any case, any spaces between them, invisible characters
/// anywhere. A reader sees the same phrase, so every parser must read the same value.
fn as_pasted(clean: &'static str) -> impl Strategy<Value = String> {
    let words: Vec<&str> = clean.split(' ').collect();
    let n = words.len();
    (
        prop::collection::vec(space(), n),
        prop::collection::vec(any::<bool>(), clean.len()),
        prop::collection::vec(prop::option::weighted(0.2, invisible()), clean.len() + 1),
    )
        .prop_map(move |(spaces, upper, hidden)| {
            let mut out = String::new();
            let mut i = 0;
            for (w, word) in words.iter().enumerate() {
                if w > 0 {
                    out.push_str(&spaces[w]);
                }
                for c in word.chars() {
                    out.extend(hidden[i]);
                    if upper[i] {
                        out.extend(c.to_uppercase());
                    } else {
                        out.push(c);
                    }
                    i += 1;
                }
            }
            out.extend(hidden[i]);
            out
        })
}

/// A phrase of every accepted form.
fn date_phrase() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "today",
        "yesterday",
        "tomorrow",
        "this week",
        "last week",
        "monday",
        "fri",
        "thurs",
        "sun",
        "3 days ago",
        "1 day ago",
        "in 10 days",
        "in 1 day",
        "2026-11-03",
        "1999-2-28",
        "3 nov",
        "29 feb",
        "31st december",
        "3rd november 2026",
        "03 nov 26",
        "3 sept",
        "3/11",
        "3/11/26",
        "03.11.2026",
        "31/12/2099",
        "1 jan",
    ])
}

/// Any day from 1990 to 2100, as today.
fn today() -> impl Strategy<Value = NaiveDate> {
    (0u64..40_000).prop_map(|n| NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + Days::new(n))
}

fn check_date(clean: &str, pasted: &str, today: NaiveDate) -> Result<(), TestCaseError> {
    for role in [DateRole::Past, DateRole::Future] {
        let span = parse_date_phrase(clean, today, role);
        // The same date, or no date (a refusal quotes the phrase as typed, case and all).
        let again = parse_date_phrase(pasted, today, role);
        prop_assert_eq!(again.ok(), span.clone().ok(), "{:?} as {:?}", clean, pasted);
        // What is kept of a phrase is a date; that date, written out, reads back as itself.
        if let Ok(span) = span {
            for day in [span.first, span.last] {
                let again = parse_date_phrase(&day.to_string(), today, role).map(|s| (s.first, s.last));
                prop_assert_eq!(again, Ok((day, day)), "{:?} gave {}", clean, day);
            }
        }
    }
    Ok(())
}

fn check_catalogues(input: &str) -> Result<(), TestCaseError> {
    let rules = shipped();
    if let Ok(department) = rules.departments.resolve(input) {
        let by_name = rules.departments.resolve(department.name()).map(|d| d.key());
        prop_assert_eq!(by_name, Ok(department.key()), "{:?}", input);
        let by_key = rules.departments.resolve(department.key().as_str()).map(|d| d.key());
        prop_assert_eq!(by_key, Ok(department.key()), "{:?}", input);
    }
    if let Ok(channel) = rules.channels.resolve(input) {
        let by_name = rules.channels.resolve(channel.name()).map(|c| c.key());
        prop_assert_eq!(by_name, Ok(channel.key()), "{:?}", input);
        let by_key = rules.channels.resolve(channel.key().as_str()).map(|c| c.key());
        prop_assert_eq!(by_key, Ok(channel.key()), "{:?}", input);
    }
    Ok(())
}

/// Every department's and channel's own spellings, as typed and as pasted.
fn catalogue_name() -> impl Strategy<Value = &'static str> {
    let rules = shipped();
    let mut names: Vec<&'static str> = Vec::new();
    for d in rules.departments.iter() {
        names.push(d.name());
        names.extend(d.aliases().iter().map(|a| a.as_str()));
    }
    for c in rules.channels.iter() {
        names.push(c.name());
        names.push(c.key().as_str());
    }
    prop::sample::select(names)
}

fn check_tag(raw: &str) -> Result<(), TestCaseError> {
    if let Ok(tag) = Tag::parse(raw) {
        prop_assert_eq!(Tag::parse(tag.as_str()), Ok(tag.clone()), "from {:?}", raw);
    }
    if let Ok(list) = parse_tag_list(raw) {
        let joined = list.iter().map(Tag::as_str).collect::<Vec<_>>().join(", ");
        prop_assert_eq!(parse_tag_list(&joined), Ok(list), "from {:?}", raw);
    }
    for tag in hashtags(raw) {
        prop_assert_eq!(Tag::parse(tag.as_str()), Ok(tag.clone()), "hashtag in {:?}", raw);
    }
    Ok(())
}

fn check_note(raw: &str) -> Result<(), TestCaseError> {
    let seen = visible(raw);
    prop_assert_eq!(visible(&seen), seen.clone());
    if let Ok(note) = Note::parse(raw) {
        prop_assert_eq!(Note::parse(note.as_str()), Ok(note.clone()));
    }
    for redactor in redactors() {
        let once = redactor.redact(raw);
        let twice = redactor.redact(&once.text);
        prop_assert_eq!(&twice.text, &once.text, "redacting {:?} twice", raw);
        prop_assert_eq!(twice.count, 0, "redacting {:?} twice", raw);
        if let Ok(clean) = Note::clean(raw, redactor) {
            let again = Note::clean(clean.note.as_str(), redactor);
            prop_assert_eq!(again.as_ref().map(|c| &c.note), Ok(&clean.note), "cleaning {:?} twice", raw);
            prop_assert_eq!(again.map(|c| c.redactions), Ok(0));
        }
    }
    Ok(())
}

/// A CSV cell: neutralised, no spreadsheet of any locale reads a formula in it, and import's
/// restore gives back exactly what was exported.
fn check_cell(raw: &str) -> Result<(), TestCaseError> {
    let cell = neutralise(raw);
    prop_assert_eq!(restore(&cell), raw, "through {:?}", cell);
    let mut at_start = true;
    for c in cell.chars() {
        prop_assert!(!(at_start && "=+-@\t\r".contains(c)), "a formula in {:?}, from {:?}", cell, raw);
        at_start = matches!(c, ';' | '\t' | '\r' | '\n');
    }
    Ok(())
}

fn check_terms(raw: &str) -> Result<(), TestCaseError> {
    let terms = SearchTerms::parse(raw);
    prop_assert_eq!(SearchTerms::parse(&terms.to_string()), terms, "from {:?}", raw);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn tags_reparse_to_themselves(raw in text(12)) {
        check_tag(&raw)?;
    }

    #[test]
    fn notes_and_their_redaction_are_idempotent(raw in text(40)) {
        check_note(&raw)?;
    }

    #[test]
    fn search_terms_reparse_to_themselves(raw in text(30)) {
        check_terms(&raw)?;
    }

    #[test]
    fn csv_cells_are_neutralised_everywhere_and_restored_exactly(raw in text(20)) {
        check_cell(&raw)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn date_phrases_read_the_same_however_pasted_and_their_dates_read_back(
        (clean, pasted) in date_phrase().prop_flat_map(|clean| (Just(clean), as_pasted(clean))),
        today in today(),
    ) {
        check_date(clean, &pasted, today)?;
    }

    #[test]
    fn arbitrary_text_is_never_a_date_that_reads_back_otherwise(raw in text(6), today in today()) {
        check_date(&raw, &visible(&raw), today)?;
    }

    #[test]
    fn departments_and_channels_resolve_the_same_however_pasted(
        (clean, pasted) in catalogue_name().prop_flat_map(|clean| (Just(clean), as_pasted(clean))),
    ) {
        let rules = shipped();
        let department = rules.departments.resolve(clean).map(|d| d.key().clone()).ok();
        prop_assert_eq!(rules.departments.resolve(&pasted).map(|d| d.key().clone()).ok(), department);
        let channel = rules.channels.resolve(clean).map(|c| c.key().clone()).ok();
        prop_assert_eq!(rules.channels.resolve(&pasted).map(|c| c.key().clone()).ok(), channel);
        check_catalogues(&pasted)?;
    }

    #[test]
    fn whatever_resolves_resolves_again_from_its_name_and_key(raw in text(8)) {
        check_catalogues(&raw)?;
    }
}

/// Erasing leaves nothing of the mention, erasing again changes nothing, and what was not a
/// mention is kept as written.
fn check_erasure(raw: &str, name: &str) -> Result<(), TestCaseError> {
    let Ok(mention) = Mention::new(name) else { return Ok(()) };
    let found = mention.find(raw);
    let once = mention.erase(raw).unwrap_or_else(|| raw.to_string());
    prop_assert!(!mention.is_in(&once), "{:?} in {:?}, from {:?}", name, once, raw);
    prop_assert_eq!(mention.erase(&once), None);
    let kept: String = found.iter().rev().fold(raw.to_string(), |mut s, r| {
        s.replace_range(r.clone(), "");
        s
    });
    prop_assert_eq!(once.replace("[erased]", ""), kept.replace("[erased]", ""));
    Ok(())
}

/// `word` with an acute accent on each vowel, decomposed.
fn accented(word: &str) -> String {
    word.chars().flat_map(|c| [Some(c), "aeiou".contains(c).then_some('\u{301}')]).flatten().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn erasing_is_idempotent_and_keeps_the_rest_as_written(raw in text(40), name in text(6)) {
        check_erasure(&raw, &name)?;
    }

    #[test]
    fn erasing_a_word_of_the_text_leaves_none_of_it(raw in text(40), pick in any::<prop::sample::Index>()) {
        let words: Vec<&str> = raw.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        if !words.is_empty() {
            let word: &str = pick.get::<&str>(&words);
            check_erasure(&raw, word)?;
        }
    }

    #[test]
    fn a_name_is_found_in_any_case_and_accents_but_only_whole(
        word in "[a-z]{1,8}",
        before in "[ .,;:()\n-]{1,3}",
        extra in "[a-z0-9]",
    ) {
        let nfc: String = unicode_normalization::UnicodeNormalization::nfc(accented(&word).as_str()).collect();
        for asked in [word.clone(), word.to_uppercase(), accented(&word), nfc.clone()] {
            let mention = Mention::new(&asked).expect("letters are words");
            for text in [word.clone(), word.to_uppercase(), accented(&word), nfc.to_uppercase()] {
                let written = format!("x{before}{text}{before}y");
                prop_assert!(mention.is_in(&written), "{:?} in {:?}", asked, written);
                prop_assert!(!mention.is_in(&format!("{text}{extra}")), "{:?} in a longer word", asked);
                prop_assert!(!mention.is_in(&format!("{extra}{text}")), "{:?} in a longer word", asked);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn long_inputs_are_idempotent_too(raw in long_text()) {
        check_tag(&raw)?;
        check_note(&raw)?;
        check_terms(&raw)?;
    }
}
