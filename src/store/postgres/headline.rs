//! Snippets from `ts_headline`, shaped like the SQLite backend's: the whole note when it is short,
//! otherwise about 16 words around the best match, `…` where the note is cut, matched words
//! between the domain's HIGHLIGHT marks (which each front end turns into its own markup).

use sqlx::postgres::Postgres;
use sqlx::QueryBuilder;

use crate::domain::search::{HIGHLIGHT_END, HIGHLIGHT_START};

/// Words shown, as SQLite's snippets show tokens.
const SNIPPET_WORDS: usize = 16;

/// Pushes `ts_headline(...)` for the `note` column, with the query `tsquery` pushes. Options are
/// bound like any value (the marks are control characters).
pub(super) fn push(qb: &mut QueryBuilder<'_, Postgres>, tsquery: impl Fn(&mut QueryBuilder<'_, Postgres>)) {
    let marks = format!("StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}");
    qb.push("ts_headline('liaison_english', note, ");
    tsquery(qb);
    // A short note is shown whole; a long one as one fragment, centred on the match.
    qb.push(", CASE WHEN (SELECT count(*) FROM regexp_matches(note, '\\w+', 'g')) <= ")
        .push_bind(SNIPPET_WORDS as i64)
        .push(" THEN ")
        .push_bind(format!("{marks}, HighlightAll=true"))
        .push(" ELSE ")
        .push_bind(format!(
            "{marks}, MaxFragments=1, MaxWords={SNIPPET_WORDS}, MinWords={}",
            SNIPPET_WORDS - 1
        ))
        .push(" END)");
}

/// Adds `…` where the headline cut the note, and joins the marks of a phrase split only by an
/// apostrophe or hyphen (`O'Neill`, `e-books`), which ts_headline marks word by word.
pub(super) fn finish(note: &str, headline: &str) -> String {
    let mut out = join_marks(headline);
    let plain: String = headline.chars().filter(|&c| c != HIGHLIGHT_START && c != HIGHLIGHT_END).collect();
    let plain = plain.trim();
    if let Some(at) = note.find(plain).filter(|_| !plain.is_empty()) {
        if !note[..at].trim().is_empty() {
            out.insert(0, '…');
        }
        if !note[at + plain.len()..].trim().is_empty() {
            out.push('…');
        }
    }
    out
}

fn join_marks(headline: &str) -> String {
    let mut out = String::with_capacity(headline.len());
    let mut chars = headline.chars().peekable();
    while let Some(c) = chars.next() {
        if c == HIGHLIGHT_END {
            let mut rest = chars.clone();
            if let (Some(j), Some(HIGHLIGHT_START)) = (rest.next(), rest.next()) {
                if matches!(j, '\'' | '\u{2019}' | '-') {
                    out.push(j);
                    chars = rest;
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(s: &str) -> String {
        s.replace('[', &HIGHLIGHT_START.to_string()).replace(']', &HIGHLIGHT_END.to_string())
    }

    fn shown(s: &str) -> String {
        s.replace(HIGHLIGHT_START, "[").replace(HIGHLIGHT_END, "]")
    }

    #[test]
    fn a_cut_headline_gets_ellipses_and_a_whole_note_none() {
        let note = "one two three four five";
        assert_eq!(shown(&finish(note, &marked("two [three] four"))), "…two [three] four…");
        assert_eq!(shown(&finish(note, &marked("one two [three] four five"))), "one two [three] four five");
        assert_eq!(shown(&finish(note, &marked("[one] two"))), "[one] two…");
    }

    #[test]
    fn phrase_parts_joined_by_an_apostrophe_or_hyphen_are_marked_as_one() {
        assert_eq!(shown(&finish("Dr O'Neill", &marked("Dr [O]'[Neill]"))), "Dr [O'Neill]");
        assert_eq!(shown(&finish("[e]-[books]", &marked("[e]-[books]"))), "[e-books]");
        assert_eq!(shown(&finish("a b", &marked("[a] [b]"))), "[a] [b]");
    }
}
