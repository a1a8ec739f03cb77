//! Discord's documented limits, checked on what the bot sends (see shared/discord-limits.md).
//! A breach is answered as Discord does: 400 `{"code": 50035, "message": "Invalid Form Body",
//! "errors": {...}}` with the path of each bad field (the inner error codes are approximations).

use serde_json::{json, Map, Value};

/// One bad field: its dotted path ("embeds.0.title"), an error code and a message.
#[derive(Debug)]
pub struct Problem {
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

/// Collects problems under a path prefix.
#[derive(Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    fn add(&mut self, path: &str, code: &'static str, message: String) {
        self.0.push(Problem { path: path.to_string(), code, message });
    }

    fn max_len(&mut self, path: &str, value: &Value, max: usize) {
        if let Some(text) = value.as_str() {
            if text.chars().count() > max {
                self.add(path, "BASE_TYPE_MAX_LENGTH", format!("Must be {max} or fewer in length."));
            }
        }
    }

    fn len_between(&mut self, path: &str, value: &Value, min: usize, max: usize) {
        match value.as_str() {
            Some(text) if (min..=max).contains(&text.chars().count()) => {}
            Some(_) => {
                self.add(path, "BASE_TYPE_BAD_LENGTH", format!("Must be between {min} and {max} in length."))
            }
            None => self.add(path, "BASE_TYPE_REQUIRED", "This field is required".to_string()),
        }
    }

    fn max_items(&mut self, path: &str, value: &Value, max: usize) {
        if value.as_array().is_some_and(|items| items.len() > max) {
            self.add(path, "BASE_TYPE_MAX_LENGTH", format!("Must be {max} or fewer in length."));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `errors` object of Discord's error body: nested by path, `_errors` at the leaves.
    pub fn to_errors(&self) -> Value {
        let mut root = Value::Object(Map::new());
        for problem in &self.0 {
            let mut node = &mut root;
            for key in problem.path.split('.').filter(|k| !k.is_empty()) {
                node = node.as_object_mut().expect("object").entry(key).or_insert_with(|| json!({}));
            }
            let errors = node.as_object_mut().expect("object").entry("_errors").or_insert_with(|| json!([]));
            if let Some(list) = errors.as_array_mut() {
                list.push(json!({"code": problem.code, "message": problem.message}));
            }
        }
        root
    }
}

/// Whether a message create would be empty (Discord: 50006 Cannot send an empty message).
pub fn is_empty_message(payload: &Value, files: usize) -> bool {
    let blank = |key: &str| match &payload[key] {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    files == 0
        && blank("content")
        && blank("embeds")
        && blank("components")
        && blank("sticker_ids")
        && blank("poll")
}

/// Content, embeds and components of a message payload (create or edit).
pub fn message(p: &mut Problems, path: &str, payload: &Value) {
    p.max_len(&join(path, "content"), &payload["content"], 2000);
    let embeds = &payload["embeds"];
    p.max_items(&join(path, "embeds"), embeds, 10);
    let mut total = 0;
    for (i, embed) in embeds.as_array().into_iter().flatten().enumerate() {
        let at = join(path, &format!("embeds.{i}"));
        total += self::embed(p, &at, embed);
    }
    if total > 6000 {
        p.add(
            &join(path, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            "Embed size exceeds maximum size of 6000".into(),
        );
    }
    components(p, &join(path, "components"), &payload["components"]);
}

/// Checks one embed; returns its size in characters as Discord counts it for the 6000 total.
fn embed(p: &mut Problems, at: &str, embed: &Value) -> usize {
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    p.max_len(&join(at, "title"), &embed["title"], 256);
    p.max_len(&join(at, "description"), &embed["description"], 4096);
    p.max_len(&join(at, "footer.text"), &embed["footer"]["text"], 2048);
    p.max_len(&join(at, "author.name"), &embed["author"]["name"], 256);
    p.max_items(&join(at, "fields"), &embed["fields"], 25);
    let mut size = chars(&embed["title"])
        + chars(&embed["description"])
        + chars(&embed["footer"]["text"])
        + chars(&embed["author"]["name"]);
    for (j, field) in embed["fields"].as_array().into_iter().flatten().enumerate() {
        p.len_between(&join(at, &format!("fields.{j}.name")), &field["name"], 1, 256);
        p.len_between(&join(at, &format!("fields.{j}.value")), &field["value"], 1, 1024);
        size += chars(&field["name"]) + chars(&field["value"]);
    }
    size
}

/// Message components: at most 5 action rows of at most 5 buttons, or one select.
fn components(p: &mut Problems, path: &str, rows: &Value) {
    p.max_items(path, rows, 5);
    for (i, row) in rows.as_array().into_iter().flatten().enumerate() {
        let at = format!("{path}.{i}");
        if row["type"] != 1 {
            continue; // newer top-level layouts: not checked
        }
        let children = row["components"].as_array().map(Vec::as_slice).unwrap_or_default();
        if children.is_empty() || children.len() > 5 {
            p.add(
                &join(&at, "components"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 5 in length.".into(),
            );
        }
        for (j, child) in children.iter().enumerate() {
            let at = format!("{at}.components.{j}");
            match child["type"].as_u64() {
                Some(2) => {
                    p.max_len(&join(&at, "label"), &child["label"], 80);
                    if child["style"] != 5 && child["style"] != 6 {
                        p.len_between(&join(&at, "custom_id"), &child["custom_id"], 1, 100);
                    }
                }
                Some(3 | 5..=8) => {
                    p.len_between(&join(&at, "custom_id"), &child["custom_id"], 1, 100);
                    p.max_items(&join(&at, "options"), &child["options"], 25);
                    p.max_len(&join(&at, "placeholder"), &child["placeholder"], 150);
                    if children.len() > 1 {
                        p.add(
                            &at,
                            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                            "A select menu must be alone in its row.".into(),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

/// A modal (callback type 9 data).
pub fn modal(p: &mut Problems, path: &str, data: &Value) {
    p.len_between(&join(path, "custom_id"), &data["custom_id"], 1, 100);
    p.len_between(&join(path, "title"), &data["title"], 1, 45);
    let rows = data["components"].as_array().map(Vec::as_slice).unwrap_or_default();
    if rows.is_empty() || rows.len() > 5 {
        p.add(&join(path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.".into());
    }
    for (i, row) in rows.iter().enumerate() {
        for (j, input) in row["components"].as_array().into_iter().flatten().enumerate() {
            let at = join(path, &format!("components.{i}.components.{j}"));
            if input["type"] != 4 {
                continue;
            }
            p.len_between(&join(&at, "custom_id"), &input["custom_id"], 1, 100);
            p.len_between(&join(&at, "label"), &input["label"], 1, 45);
            p.max_len(&join(&at, "placeholder"), &input["placeholder"], 100);
            p.max_len(&join(&at, "value"), &input["value"], 4000);
            if let Some(max) = input["max_length"].as_u64() {
                if !(1..=4000).contains(&max) {
                    p.add(&join(&at, "max_length"), "NUMBER_TYPE_MAX", "Must be between 1 and 4000.".into());
                }
            }
        }
    }
}

/// Autocomplete choices (callback type 8 data).
pub fn choices(p: &mut Problems, path: &str, data: &Value) {
    let at = join(path, "choices");
    p.max_items(&at, &data["choices"], 25);
    for (i, choice) in data["choices"].as_array().into_iter().flatten().enumerate() {
        p.len_between(&format!("{at}.{i}.name"), &choice["name"], 1, 100);
        p.max_len(&format!("{at}.{i}.value"), &choice["value"], 100);
    }
}

/// A bulk overwrite of application commands.
pub fn commands(p: &mut Problems, commands: &[Value]) {
    let mut seen = std::collections::HashSet::new();
    let count = |kind: u64| commands.iter().filter(|c| c["type"].as_u64().unwrap_or(1) == kind).count();
    for (kind, max) in [(1, 100), (2, 15), (3, 15)] {
        if count(kind) > max {
            p.add(
                "",
                "APPLICATION_COMMANDS_TOO_MANY",
                format!("Too many commands of type {kind}: at most {max}."),
            );
        }
    }
    for (i, command) in commands.iter().enumerate() {
        let at = i.to_string();
        let kind = command["type"].as_u64().unwrap_or(1);
        let name = command["name"].as_str().unwrap_or_default();
        if !seen.insert((kind, name.to_string())) {
            p.add(
                &join(&at, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                format!("Duplicate command name {name:?}."),
            );
        }
        if kind == 1 {
            check_name(p, &join(&at, "name"), &command["name"]);
            p.len_between(&join(&at, "description"), &command["description"], 1, 100);
            options(p, &join(&at, "options"), &command["options"]);
        } else {
            p.len_between(&join(&at, "name"), &command["name"], 1, 32);
        }
    }
}

fn options(p: &mut Problems, path: &str, options: &Value) {
    p.max_items(path, options, 25);
    let mut optional_seen = false;
    for (i, option) in options.as_array().into_iter().flatten().enumerate() {
        let at = format!("{path}.{i}");
        check_name(p, &join(&at, "name"), &option["name"]);
        p.len_between(&join(&at, "description"), &option["description"], 1, 100);
        p.max_items(&join(&at, "choices"), &option["choices"], 25);
        if matches!(option["type"].as_u64(), Some(1 | 2)) {
            self::options(p, &join(&at, "options"), &option["options"]);
            continue;
        }
        let required = option["required"].as_bool() == Some(true);
        if required && optional_seen {
            p.add(
                &at,
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options".into(),
            );
        }
        optional_seen |= !required;
    }
}

/// `^[-_'\p{L}\p{N}]{1,32}$`, lower case.
fn check_name(p: &mut Problems, path: &str, name: &Value) {
    let name = name.as_str().unwrap_or_default();
    let length = name.chars().count();
    let chars_ok = name.chars().all(|c| c.is_alphanumeric() || "-_'".contains(c));
    let lower = name.chars().all(|c| c.to_lowercase().eq(std::iter::once(c)));
    if !(1..=32).contains(&length) || !chars_ok || !lower {
        p.add(path, "APPLICATION_COMMAND_INVALID_NAME", format!("Command name is invalid: {name:?}"));
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}
