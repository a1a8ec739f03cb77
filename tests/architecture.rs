//! The layers of `src/lib.rs`, checked on the source itself: a lower layer never names a higher one.
//! The chat layer (`src/discord/`, serenity) sits at the edge; `message`, `service`, `digest`,
//! `store` and `domain` sit under it, so another front end can reuse them; `domain` is pure and names
//! neither the database driver nor the runtime.

use std::path::{Path, PathBuf};

/// (folder under `src/`, what it must not name).
const RULES: &[(&str, &[&str])] = &[
    ("domain", &["crate::discord", "serenity", "sqlx", "tokio"]),
    ("message", &["crate::discord", "serenity"]),
    ("digest", &["crate::discord", "serenity"]),
    ("service", &["crate::discord", "serenity"]),
    ("store", &["crate::discord", "serenity"]),
];

#[test]
fn no_lower_layer_names_a_higher_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (layer, banned) in RULES {
        let dir = src.join(layer);
        assert!(dir.is_dir(), "src/{layer} is missing: update RULES with the layers as they are");
        for file in rust_files(&dir) {
            found.extend(violations(&src, &file, banned));
        }
    }
    assert!(found.is_empty(), "lower layers naming higher ones:\n{}", found.join("\n"));
}

/// The check itself, on text: so that a passing run above means something.
#[test]
fn the_check_finds_a_use_of_the_discord_edge_and_skips_comments() {
    let banned = ["crate::discord", "serenity"];
    let code = "//! No serenity here.\nuse crate::discord::reply::Message;\n    // serenity in a comment\nlet x = 1; // serenity after code\nuse serenity::http::Http; // the edge\n";
    let hits = offending_lines(code, &banned);
    assert_eq!(hits, vec![(2, "crate::discord"), (5, "serenity")]);
    assert!(offending_lines("use crate::message::Message;\n", &banned).is_empty());
}

fn violations(src: &Path, file: &Path, banned: &[&str]) -> Vec<String> {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let shown = file.strip_prefix(src).unwrap_or(file).display().to_string();
    offending_lines(&text, banned)
        .into_iter()
        .map(|(line, name)| format!("src/{shown}:{line} names {name}"))
        .collect()
}

/// Line numbers (from 1) and the banned name on each line that names one outside a comment.
fn offending_lines<'a>(text: &str, banned: &[&'a str]) -> Vec<(usize, &'a str)> {
    let mut hits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if let Some(name) = banned.iter().find(|name| code.contains(*name)) {
            hits.push((n + 1, *name));
        }
    }
    hits
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())).path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
