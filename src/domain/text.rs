//! What every piece of typed text goes through before any rule looks at it: the characters a
//! reader sees, and nothing else. Pasted text carries invisible characters (a bell, a zero-width
//! space, a soft hyphen, a bidi override) that split a word for a pattern but not for an eye, so
//! redaction, tags and search all start from this form.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// `text` in NFC, with control characters other than newline and tab removed, invisible
/// formatting characters removed (zero-width, soft hyphen, bidi controls, variation selectors,
/// fillers), line breaks (`\r\n`, a lone `\r`, NEL, line and paragraph separators) made `\n` and
/// every other Unicode space a plain space. Joiners that shape what is seen are kept: inside emoji sequences (`👩‍💻`, flags) and
/// after letters of the scripts that need them (Arabic, Indic).
///
/// Idempotent: `visible(&visible(x)) == visible(x)`.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Whether a joiner is kept depends only on the last character kept before it that is not a
    // combining mark: composing reorders marks (`\u{307}\u{94D}` becomes `\u{94D}\u{307}`) but
    // never moves one past such a character, so the decision is the same when the output is
    // cleaned again.
    let mut base: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let kept = match c {
            '\n' | '\t' => Some(c),
            // A carriage return on its own (old Mac text) and NEL break a line for a reader too.
            '\r' if chars.peek() == Some(&'\n') => None,
            '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some('\n'),
            c if c.is_control() => None,
            '\u{200C}' => base.filter(|&p| is_joining_script(p)).map(|_| c),
            '\u{200D}' => base.filter(|&p| is_joining_script(p) || is_emoji_part(p)).map(|_| c),
            c if is_emoji_glue(c) => base.filter(|&p| is_emoji_part(p)).map(|_| c),
            c if is_invisible(c) => None,
            c if is_space(c) => Some(' '),
            c => Some(c),
        };
        if let Some(k) = kept {
            out.push(k);
            if canonical_combining_class(k) == 0 {
                base = Some(k);
            }
        }
    }
    // Composing after filtering: a removed character may have stood between a letter and its
    // accent. No canonical (de)composition yields a character removed above.
    out.nfc().collect()
}

/// A word as compared: what a reader sees, without accents, in lower case. Decomposed again after
/// lower-casing, which can itself add a mark (`İ` becomes `i` and a combining dot).
pub fn fold(word: &str) -> String {
    let seen = visible(word);
    // Every combining mark, not only [`is_combining_mark`]'s blocks: a folded word has none left.
    let mark = unicode_normalization::char::is_combining_mark;
    let bare: String = seen.nfd().filter(|&c| !mark(c)).flat_map(char::to_lowercase).collect();
    bare.nfd().filter(|&c| !mark(c) && is_word_char(c)).collect()
}

/// Letters (any script), digits and the combining marks that belong to them; everything else
/// separates words.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Combining marks in the blocks that decomposed Latin, Greek and Cyrillic text uses; without
/// them `Cafe\u{301}` would split into `cafe` and nothing.
pub fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Default-ignorable code points (Unicode's DerivedCoreProperties), less the emoji glue and the
/// joiners that [`visible`] decides on by context.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// Space separators other than the plain space (no-break, thin, ideographic...).
fn is_space(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// What holds an emoji sequence together: the zero-width joiner, the text and emoji variation
/// selectors, the keycap mark and the tag characters of subdivision flags.
fn is_emoji_glue(c: char) -> bool {
    matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}' | '\u{E0020}'..='\u{E007F}')
}

/// A character after which emoji glue belongs to a sequence. Digits are deliberately not among
/// them (keycaps render without the selector), so a joiner can never hide inside a number.
fn is_emoji_part(c: char) -> bool {
    static EMOJI: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]$")
            .expect("the emoji class is valid")
    });
    if is_emoji_glue(c) {
        return true;
    }
    let mut buf = [0; 4];
    !c.is_ascii() && EMOJI.is_match(c.encode_utf8(&mut buf))
}

/// Scripts whose spelling uses the zero-width (non-)joiner: Arabic, Syriac, Thaana and the
/// Brahmic scripts of South Asia, and the Arabic presentation forms.
fn is_joining_script(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{0DFF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

/// Every character of the planes Unicode assigns anything in (0 to 3 and 14; 4 to 13 are
/// empty and 15 and 16 private), for tests that try them all.
#[cfg(test)]
pub(crate) fn assigned_planes() -> impl Iterator<Item = char> {
    (0..0x40000).chain(0xE0000..0xE1000).filter_map(char::from_u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(visible("jo\u{7}@x.ac.uk"), "jo@x.ac.uk");
        assert_eq!(visible("jo\u{200B}@x\u{AD}.ac\u{2060}.uk\u{FEFF}"), "jo@x.ac.uk");
        assert_eq!(visible("\u{202E}ku.ca.x@oj\u{202C} \u{2066}a\u{2069}\u{200E}"), "ku.ca.x@oj a");
        assert_eq!(visible("jo\u{200D}@x.ac.uk"), "jo@x.ac.uk");
        assert_eq!(visible("4111\u{200C}1111"), "41111111");
    }

    #[test]
    fn unicode_spaces_become_plain_and_separators_newlines() {
        assert_eq!(visible("a\u{A0}b\u{2009}c\u{202F}d\u{3000}e"), "a b c d e");
        assert_eq!(visible("a\u{2028}b\u{2029}c\r\nd\te\rf\u{85}g\r\r\nh"), "a\nb\nc\nd\te\nf\ng\n\nh");
    }

    #[test]
    fn text_is_composed() {
        assert_eq!(visible("Cafe\u{301}"), "Caf\u{E9}");
        // A removed character between a letter and its accent no longer keeps them apart.
        assert_eq!(visible("e\u{200B}\u{301}"), "\u{E9}");
    }

    #[test]
    fn emoji_sequences_and_script_joiners_are_kept() {
        for kept in [
            "👩\u{200D}💻",
            "❤\u{FE0F}",
            "👍🏽",
            "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
            "🇬🇧",
            "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}",
            "\u{0915}\u{094D}\u{200D}\u{0937}",
        ] {
            assert_eq!(visible(kept), kept);
        }
    }

    #[test]
    fn a_joiner_is_judged_by_its_base_not_by_marks_that_composing_reorders() {
        for text in
            ["a\u{307}\u{94D}\u{200D}b", "\u{915}\u{307}\u{94D}\u{200D}\u{937}", "👩\u{301}\u{200D}💻"]
        {
            let once = visible(text);
            assert_eq!(visible(&once), once, "{text:?}");
        }
        assert_eq!(visible("a\u{307}\u{94D}\u{200D}b"), "\u{227}\u{94D}b");
    }

    #[test]
    fn every_single_character_is_stable() {
        for c in assigned_planes() {
            for text in [c.to_string(), format!("a{c}"), format!("👩{c}b")] {
                let once = visible(&text);
                assert_eq!(visible(&once), once, "U+{:04X}", c as u32);
            }
        }
    }
}
